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


# ---- ballots ---------------------------------------------------------------------------
# Who organises a round (the township's office for every round of its township; a
# school's principal for that school's round), who votes in it (its invited logins), who
# reads its reports (those, and the people assessed), whose report is whose.

from evaluation.models import Assessee, BallotInvitation, BallotRound  # noqa: E402


def may_organise(user, ballot_round: BallotRound) -> bool:
    if is_office_of(user, ballot_round.township_id):
        return True
    return (ballot_round.school_id is not None and ballot_round.school_id
            in school_access.scope_of(user).principal_school_ids)


def round_of_organiser(user, round_pk) -> BallotRound:
    """A round this login organises: 404 for an id that is not one, 403 for another's."""
    ballot_round = get_object_or_404(BallotRound.objects.select_related("township", "school"),
                                     pk=parse_id(round_pk))
    if not may_organise(user, ballot_round):
        raise PermissionDenied
    return ballot_round


def is_invited(user, ballot_round: BallotRound) -> bool:
    return (user.is_authenticated
            and BallotInvitation.objects.filter(round=ballot_round, user=user).exists())


def round_of_voter(user, round_pk) -> BallotRound:
    """A round this login is invited to vote in."""
    ballot_round = get_object_or_404(BallotRound.objects.select_related("township", "school"),
                                     pk=parse_id(round_pk))
    if not is_invited(user, ballot_round):
        raise PermissionDenied
    return ballot_round


def may_read_reports(user, ballot_round: BallotRound) -> bool:
    """The round's voters, its organisers and the people it assesses read its reports."""
    if may_organise(user, ballot_round) or is_invited(user, ballot_round):
        return True
    staff_id = school_access.scope_of(user).staff_id
    return staff_id is not None and ballot_round.assessees.filter(staff_id=staff_id).exists()


def report_of(user, assessee_pk) -> Assessee:
    """A duty report this login may read (its file is served only through here)."""
    assessee = get_object_or_404(
        Assessee.objects.select_related("round__township", "round__school", "staff"),
        pk=parse_id(assessee_pk))
    if not may_read_reports(user, assessee.round):
        raise PermissionDenied
    return assessee


def own_assessment(user, assessee_pk) -> Assessee:
    """The login's own place in a round (to write the report, read the result)."""
    assessee = get_object_or_404(
        Assessee.objects.select_related("round__township", "round__school", "staff"),
        pk=parse_id(assessee_pk))
    if assessee.staff_id != school_access.scope_of(user).staff_id or assessee.staff_id is None:
        raise PermissionDenied
    return assessee


def round_of_reader(user, round_pk) -> BallotRound:
    """A round whose duty reports this login may read."""
    ballot_round = get_object_or_404(BallotRound.objects.select_related("township", "school"),
                                     pk=parse_id(round_pk))
    if not may_read_reports(user, ballot_round):
        raise PermissionDenied
    return ballot_round
