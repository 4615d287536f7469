"""Who may see and do what in attendance: every predicate and scoped getter. Pages and
services ask here; nothing else reads memberships."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from attendance.models import AttendanceImport, AttendanceRecord, CalendarDay
from schools import access as school_access
from schools.models import School, Staff, Township

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


def own_staff(user) -> Staff | None:
    staff_id = school_access.scope_of(user).staff_id
    return Staff.objects.select_related("school").filter(pk=staff_id).first() if staff_id else None


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
