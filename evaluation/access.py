"""Who may see and do what in evaluation: every scoped getter and "may this user"
predicate. Pages and services ask here; nothing else reads memberships."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from schools import access as school_access
from schools.models import School, Staff, Township
from staffing.ids import parse_id


def township_of_office(user, township_pk) -> Township:
    """A township whose office work this login does (its office, its county's, a
    superuser): 404 for an id that is not one, 403 for another township's."""
    township = get_object_or_404(Township, pk=parse_id(township_pk))
    if not school_access.townships_managed(user).filter(pk=township.pk).exists():
        raise PermissionDenied
    return township


def is_office_of(user, township_id: int) -> bool:
    return school_access.townships_managed(user).filter(pk=township_id).exists()


def school_of_principal(user, school_pk) -> School:
    """A school this login leads as its principal, or whose township's office it is."""
    school = get_object_or_404(School.objects.select_related("township"),
                               pk=parse_id(school_pk))
    scope = school_access.scope_of(user)
    if school.pk not in scope.principal_school_ids and not is_office_of(user,
                                                                        school.township_id):
        raise PermissionDenied
    return school


def own_staff(user) -> Staff | None:
    """The login's own staff record (a teacher's, or a principal's own)."""
    staff_id = school_access.scope_of(user).staff_id
    if staff_id is None:
        return None
    return Staff.objects.select_related("school__township").filter(pk=staff_id).first()


def require_own_staff(user) -> Staff:
    staff = own_staff(user)
    if staff is None:
        raise PermissionDenied
    return staff


# ---- letters (目标责任书, R10) --------------------------------------------------------

from evaluation.models import Letter  # noqa: E402


def letter_get(user, letter_pk):
    """A letter this login may read: its township's office, or a principal of its school
    (signing is its own principal's alone: ``is_letter_principal``). 404 for an id that
    is not a letter, 403 for another's."""
    letter = get_object_or_404(
        Letter.objects.select_related("school", "township", "principal", "exam", "drafted_by",
                                      "sent_by", "answered_by"),
        pk=parse_id(letter_pk))
    scope = school_access.scope_of(user)
    if (letter.school_id not in scope.principal_school_ids
            and letter.principal_id != scope.staff_id
            and not is_office_of(user, letter.township_id)):
        raise PermissionDenied
    return letter


def is_letter_principal(user, letter) -> bool:
    """The login is the principal the letter is made out to."""
    staff_id = school_access.scope_of(user).staff_id
    return staff_id is not None and staff_id == letter.principal_id
