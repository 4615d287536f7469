"""Who may see and do what in attendance: every predicate and scoped getter. Pages and
services ask here; nothing else reads memberships."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from attendance.models import (
    Approver,
    AttendanceImport,
    AttendanceRecord,
    CalendarDay,
    Contract,
    ContractCopy,
    LeaveAuthority,
    LeaveRequest,
)
from recruitment import access as recruitment_access
from recruitment.models import Cycle
from schools import access as school_access
from schools.models import Membership, Role, School, Staff, Township
from staffing.ids import parse_id
from staffing.models import Objection

# ---- leave (R8) ----------------------------------------------------------------------


def own_staff(user) -> Staff | None:
    """The login's own staff record (a teacher's, or a principal's own)."""
    staff_id = school_access.scope_of(user).staff_id
    if staff_id is None:
        return None
    return Staff.objects.select_related("school__township").filter(pk=staff_id).first()


def require_own_staff(user) -> Staff:
    """Pages of one's own leave: a login with a staff record, 403 otherwise."""
    staff = own_staff(user)
    if staff is None:
        raise PermissionDenied
    return staff


def is_principal_of(staff: Staff) -> bool:
    """The staff member leads their own school as its principal (their leave skips the
    principal's step)."""
    return staff.user_id is not None and Membership.objects.filter(
        user_id=staff.user_id, role=Role.PRINCIPAL, school_id=staff.school_id).exists()


def may_decide_step(user, leave: LeaveRequest) -> bool:
    """The approver of the request's waiting step: the school's principal or the
    township's office. Not the asker (``is_own``)."""
    if leave.waiting_for == Approver.PRINCIPAL:
        return recruitment_access.is_principal(user, leave.school_id)
    if leave.waiting_for == Approver.OFFICE:
        return recruitment_access.is_township_office(user, leave.school.township_id)
    return False


def is_own(user, leave: LeaveRequest) -> bool:
    return leave.staff.user_id == user.pk or leave.asked_by_id == user.pk


def is_leave_approver(user) -> bool:
    scope = school_access.scope_of(user)
    return scope.is_office or scope.is_principal


def require_leave_approver(user) -> None:
    if not is_leave_approver(user):
        raise PermissionDenied


def leave_waiting_for(user) -> QuerySet[LeaveRequest]:
    """The pending requests whose waiting step is this login's, not its own."""
    scope = school_access.scope_of(user)
    townships = school_access.townships_managed(user).values("pk") if scope.is_office else []
    waiting = (Q(waiting_for=Approver.PRINCIPAL, school_id__in=scope.principal_school_ids)
               | Q(waiting_for=Approver.OFFICE, school__township_id__in=townships))
    return (LeaveRequest.objects.filter(waiting, status=LeaveRequest.Status.PENDING)
            .exclude(staff__user_id=user.pk).exclude(asked_by_id=user.pk))


def own_leave_get(user, pk) -> LeaveRequest:
    """One of the login's own requests: 404 for anyone else's."""
    staff_id = school_access.scope_of(user).staff_id
    leave = LeaveRequest.objects.select_related("staff", "school__township").filter(
        pk=parse_id(pk), staff_id=staff_id).first() if staff_id else None
    if leave is None:
        raise Http404
    return leave


def leave_many_for_approver(user, ids) -> dict[int, LeaveRequest]:
    """The requests among ``ids`` this login approves at some step of (its school's as
    principal, its township's as office), by id, whatever their status now: a request
    decided meanwhile is reported, not hidden. Others' ids are simply not found."""
    scope = school_access.scope_of(user)
    townships = school_access.townships_managed(user).values("pk") if scope.is_office else []
    seen = Q(school_id__in=scope.principal_school_ids) | Q(school__township_id__in=townships)
    return {leave.pk: leave for leave in LeaveRequest.objects.select_related(
        "staff", "school__township").filter(seen, pk__in=list(ids))}


def authority_township_get(user, pk) -> Township:
    """A township whose leave authority this login sets (its office): 404 otherwise."""
    township = school_access.townships_managed(user).filter(pk=parse_id(pk)).first()
    if township is None:
        raise Http404
    return township


def authority_get(township: Township, pk) -> LeaveAuthority:
    row = LeaveAuthority.objects.filter(township=township, pk=pk).first()
    if row is None:
        raise Http404
    return row


def township_school_get(township: Township, pk) -> School:
    school = township.schools.filter(pk=pk).first()
    if school is None:
        raise Http404
    return school



# ---- days: the day page, the calendar, the import ----------------------------------------


def is_township_office(user, township_id: int) -> bool:
    """The township's office, or its county's (or a superuser)."""
    return school_access.townships_managed(user).filter(pk=township_id).exists()


def may_record_school(user, school: School) -> bool:
    """Who records a school's day: its principal, its liaison, its township's office."""
    scope = school_access.scope_of(user)
    return (school.pk in scope.principal_school_ids or school.pk in scope.liaison_school_ids
            or is_township_office(user, school.township_id))


def schools_recorded(user) -> QuerySet[School]:
    """The schools whose days this login records."""
    scope = school_access.scope_of(user)
    if scope.superuser:
        return School.objects.all()
    return School.objects.filter(
        Q(township__in=school_access.townships_managed(user).values("pk"))
        | Q(pk__in=scope.principal_school_ids | scope.liaison_school_ids))


def recorded_school_get(user, pk) -> School:
    """A school whose day this login records, or 404 (not 403: whether another school's
    page exists is not this login's business)."""
    return get_object_or_404(schools_recorded(user).select_related("township"), pk=pk)


def managed_township_get(user, pk) -> Township:
    """A township whose office this login is, or 404."""
    return get_object_or_404(school_access.townships_managed(user), pk=pk)


def calendar_day_get(user, pk) -> CalendarDay:
    return get_object_or_404(
        CalendarDay.objects.filter(township__in=school_access.townships_managed(user)), pk=pk)


def record_get(user, pk) -> AttendanceRecord:
    """A record of a school this login records, or 404."""
    return get_object_or_404(
        AttendanceRecord.objects.select_related("staff", "school")
        .filter(school__in=schools_recorded(user)), pk=pk)




def imports_visible(user) -> QuerySet[AttendanceImport]:
    """Uploads this login may see: its township's (office), its schools' (school leaders;
    not the township's whole-township uploads)."""
    scope = school_access.scope_of(user)
    return AttendanceImport.objects.filter(
        Q(township__in=school_access.townships_managed(user).values("pk"))
        | Q(school_id__in=scope.principal_school_ids | scope.liaison_school_ids))


def import_get(user, pk) -> AttendanceImport:
    return get_object_or_404(
        imports_visible(user).select_related("township", "school", "uploaded_by",
                                             "committed_by"), pk=pk)


def may_import(user, township: Township, school: School | None) -> bool:
    """The office imports for its township; a principal or liaison for their school."""
    if school is None:
        return is_township_office(user, township.pk)
    return school.township_id == township.pk and may_record_school(user, school)


def import_targets(user) -> list[tuple[Township, School | None]]:
    """Where this login may import: each township it manages (whole), then each school it
    leads or liaises for."""
    targets: list[tuple[Township, School | None]] = [
        (t, None) for t in school_access.townships_managed(user).order_by("name")]
    scope = school_access.scope_of(user)
    ids = scope.principal_school_ids | scope.liaison_school_ids
    if ids:
        targets += [(s.township, s) for s in
                    School.objects.filter(pk__in=ids).select_related("township").order_by("name")]
    return targets


# ---- month: the weekly and monthly publications, the settings, the chart ---------------
# The office's pages are 403 for a login that is no office, 404 for another township's;
# a school's pages are 403 for a login that leads no school, 404 for another school; a
# teacher's pages show only their own records.


def month_township_get(user, pk) -> Township:
    """A township this login is the office of (403 for no office at all, else 404)."""
    school_access.require_office(user)
    return get_object_or_404(school_access.townships_managed(user), pk=pk)


def schools_led(user) -> QuerySet[School]:
    """The schools this login leads as principal or liaison."""
    scope = school_access.scope_of(user)
    return School.objects.filter(pk__in=scope.principal_school_ids | scope.liaison_school_ids)


def led_school_get(user, pk) -> School:
    """A school this login leads (principal, liaison): 403 for no school leader, else 404."""
    scope = school_access.scope_of(user)
    if not (scope.is_principal or scope.is_liaison):
        raise PermissionDenied
    return get_object_or_404(schools_led(user).select_related("township"), pk=pk)


def month_own_staff(user) -> Staff:
    """The login's own staff record (403 for a login with none)."""
    staff_id = school_access.scope_of(user).staff_id
    if staff_id is None:
        raise PermissionDenied
    return Staff.objects.select_related("school__township").get(pk=staff_id)


def school_objection_get(school: School, publication, pk) -> Objection:
    """An objection to this publication by one of the school's staff, or 404."""
    return get_object_or_404(
        Objection.objects.select_related("staff", "publication"),
        publication=publication, staff__school=school, pk=pk)





# ---- contracts (phase 8) ------------------------------------------------------------------
# The township's office sees and does everything; a principal their own school's
# contracts; a teacher their own contract only. A school outside the login's scope, or
# a contract, answers 404; a page the role never has (a liaison, a teacher on a school's
# list) answers 403.


def is_contracts_office(user, cycle: Cycle) -> bool:
    return recruitment_access.is_cycle_office(user, cycle)


def principal_school_ids(user, cycle: Cycle) -> set[int]:
    """The schools of the cycle's township this login leads as principal."""
    ids = school_access.scope_of(user).principal_school_ids
    if not ids:
        return set()
    return set(School.objects.filter(pk__in=ids, township_id=cycle.township_id)
               .values_list("pk", flat=True))


def require_contracts_school(user, cycle: Cycle, school_pk, *, office: bool) -> School:
    """A school of the cycle's township whose contracts this login keeps (its office or
    its principal): 404 for another school, 403 for a login that keeps none."""
    school = School.objects.filter(township_id=cycle.township_id, pk=school_pk).first()
    if office:
        if school is None:
            raise Http404
        return school
    led = principal_school_ids(user, cycle)
    if not led:
        raise PermissionDenied
    if school is None or school.pk not in led:
        raise Http404
    return school


def contracts_with_copies(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    return contracts.select_related("staff", "school", "hire__post", "edited_by").prefetch_related(
        Prefetch("copies", queryset=ContractCopy.objects.select_related("signed_by", "filed_by")
                 .order_by("pk")))


def contracts_visible(user, cycle: Cycle, *, office: bool) -> QuerySet[Contract]:
    """The cycle's contracts this login may read: all for the office, their schools' for
    a principal, their own for a teacher."""
    contracts = Contract.objects.filter(cycle=cycle)
    if office:
        return contracts
    led = principal_school_ids(user, cycle)
    staff_id = school_access.scope_of(user).staff_id
    own = contracts.filter(staff_id=staff_id) if staff_id else contracts.none()
    return contracts.filter(school_id__in=led) | own if led else own


def contract_get(user, cycle: Cycle, pk, *, office: bool) -> Contract:
    """One contract this login may read, or 404."""
    contract = contracts_with_copies(contracts_visible(user, cycle, office=office)).filter(
        pk=pk).first()
    if contract is None:
        raise Http404
    return contract


def may_keep_contract(user, contract: Contract, *, office: bool) -> bool:
    """The office and the school's principal edit a contract and record its copies."""
    return office or recruitment_access.is_principal(user, contract.school_id)


def own_contract(user, cycle: Cycle) -> Contract | None:
    staff_id = school_access.scope_of(user).staff_id
    if staff_id is None:
        return None
    return contracts_with_copies(Contract.objects.filter(cycle=cycle, staff_id=staff_id)).first()


def school_contracts_many(cycle: Cycle, school: School, ids) -> list[Contract]:
    """The contracts of ``school`` among ``ids`` (others are ignored), with their copies."""
    return list(contracts_with_copies(Contract.objects.filter(cycle=cycle, school=school,
                                                              pk__in=list(ids))))
