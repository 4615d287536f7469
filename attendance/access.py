"""Who may see and do what in attendance: every predicate and scoped getter. Pages and
services ask here; nothing else reads memberships."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from schools import access as school_access
from schools.models import School, Staff, Township
from staffing.models import Objection

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
