"""Who may see and do what in attendance: every predicate and scoped getter. Pages and
services ask here; nothing else reads memberships."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from attendance.models import Contract, ContractCopy
from recruitment import access as recruitment_access
from recruitment.models import Cycle
from schools import access as school_access
from schools.models import School

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
