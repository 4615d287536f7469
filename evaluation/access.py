"""Who may see and do what in evaluation: every scoped getter and "may this user"
predicate. Pages and services ask here; nothing else reads memberships."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from evaluation.models import (
    Assessee,
    BallotInvitation,
    BallotRound,
    Candidate,
    Exam,
    ExamImport,
    Letter,
    OtherGround,
    RecommendationList,
    ResearchApplication,
    ResearchRound,
    TitleCandidate,
    TitleYear,
)
from schools import access as school_access
from schools.models import County, School, Staff, Township
from staffing.ids import parse_id
from staffing.models import Objection


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


# ---- exams ----------------------------------------------------------------------------

# The kind of an exam's award list (公示) in staffing.publication; its key is the exam's pk.
AWARDS_PUBLICATION = "evaluation.awards"


def exam_of_office(user, exam_pk):
    """An exam of a township whose office this login is: 404 for an id that is not one,
    403 for another township's."""
    exam = get_object_or_404(Exam.objects.select_related("township"), pk=parse_id(exam_pk))
    if not is_office_of(user, exam.township_id):
        raise PermissionDenied
    return exam


def exam_of_school(user, exam_pk, school_pk):
    """An exam and a school of its township that this login leads (or whose office it is)."""
    school = school_of_principal(user, school_pk)
    exam = get_object_or_404(Exam.objects.select_related("township"), pk=parse_id(exam_pk))
    if exam.township_id != school.township_id:
        raise PermissionDenied
    return exam, school


def exam_of_own_township(user, exam_pk):
    """An exam of the township of the login's own staff record (a teacher's published
    list), with that staff record."""
    staff = require_own_staff(user)
    exam = get_object_or_404(Exam.objects.select_related("township"), pk=parse_id(exam_pk))
    if exam.township_id != staff.school.township_id:
        raise PermissionDenied
    return exam, staff


def exam_import_of_office(user, import_pk):
    record = get_object_or_404(ExamImport.objects.select_related(
        "township", "uploaded_by", "committed_by"), pk=parse_id(import_pk))
    if not is_office_of(user, record.township_id):
        raise PermissionDenied
    return record


def ground_of_office(user, ground_pk):
    ground = get_object_or_404(OtherGround.objects.select_related("staff__school"),
                               pk=parse_id(ground_pk))
    if not is_office_of(user, ground.staff.school.township_id):
        raise PermissionDenied
    return ground


def may_see_awards_of(user, staff: Staff) -> bool:
    """A teacher's awards: their own, their principal's, their township office's."""
    scope = school_access.scope_of(user)
    return (scope.staff_id == staff.pk or staff.school_id in scope.principal_school_ids
            or is_office_of(user, staff.school.township_id))


def staff_awards_get(user, staff_pk) -> Staff:
    staff = get_object_or_404(Staff.objects.select_related("school__township"),
                              pk=parse_id(staff_pk))
    if not may_see_awards_of(user, staff):
        raise PermissionDenied
    return staff


def award_objection_of_office(user, exam, objection_pk):
    """An objection to the published award list of ``exam`` (its office only)."""
    if not is_office_of(user, exam.township_id):
        raise PermissionDenied
    return get_object_or_404(Objection.objects.select_related("staff", "publication"),
                             pk=parse_id(objection_pk), publication__kind=AWARDS_PUBLICATION,
                             publication__township_id=exam.township_id,
                             publication__key=str(exam.pk))
# ---- recommendations ----




def in_township(user, township_id: int) -> bool:
    """Anyone of the township: its office, a principal or liaison of one of its schools,
    a staff member of one of its schools."""
    if is_office_of(user, township_id):
        return True
    scope = school_access.scope_of(user)
    school_ids = scope.principal_school_ids | scope.liaison_school_ids
    if school_ids and School.objects.filter(pk__in=school_ids,
                                            township_id=township_id).exists():
        return True
    return scope.staff_id is not None and Staff.objects.filter(
        pk=scope.staff_id, school__township_id=township_id).exists()


def principal_schools_in(user, township_id: int) -> list[School]:
    """The schools of this township the login leads as principal."""
    ids = school_access.scope_of(user).principal_school_ids
    if not ids:
        return []
    return list(School.objects.filter(pk__in=ids, township_id=township_id))


def _rec_list(pk) -> RecommendationList:
    return get_object_or_404(RecommendationList.objects.select_related("township"),
                             pk=parse_id(pk))


def rec_list_office_get(user, pk) -> RecommendationList:
    """A list whose township's office this login is: 404 / 403."""
    rec_list = _rec_list(pk)
    if not is_office_of(user, rec_list.township_id):
        raise PermissionDenied
    return rec_list


def rec_list_get(user, pk) -> RecommendationList:
    """A list seen by its office or by a principal of one of the township's schools."""
    rec_list = _rec_list(pk)
    if not is_office_of(user, rec_list.township_id) and not principal_schools_in(
            user, rec_list.township_id):
        raise PermissionDenied
    return rec_list


def rec_list_public_get(user, pk) -> RecommendationList:
    """A list seen by anyone of its township (its publication: the page checks it is
    published)."""
    rec_list = _rec_list(pk)
    if not in_township(user, rec_list.township_id):
        raise PermissionDenied
    return rec_list


def nominating_school(user, rec_list: RecommendationList, school_pk) -> School:
    """The school whose staff this login nominates: a principal's own school, or any
    school of the township for its office."""
    school = get_object_or_404(School, pk=parse_id(school_pk))
    if school.township_id != rec_list.township_id:
        raise Http404("Not a school of this township.")
    if is_office_of(user, school.township_id):
        return school
    if school.pk not in school_access.scope_of(user).principal_school_ids:
        raise PermissionDenied
    return school


def candidate_get(user, rec_list: RecommendationList, pk) -> Candidate:
    """A candidate of the list, removed by the office or by the principal of its school."""
    candidate = get_object_or_404(Candidate.objects.select_related("staff", "school"),
                                  pk=parse_id(pk), rec_list=rec_list)
    if not is_office_of(user, rec_list.township_id) and (
            candidate.school_id not in school_access.scope_of(user).principal_school_ids):
        raise PermissionDenied
    return candidate


def may_nominate_staff(rec_list: RecommendationList, school: School, staff_ids) -> bool:
    """Every one of ``staff_ids`` belongs to ``school`` (one query)."""
    ids = set(staff_ids)
    return Staff.objects.filter(pk__in=ids, school=school).count() == len(ids)


# ---- researchers ----



def _round(pk) -> ResearchRound:
    return get_object_or_404(ResearchRound.objects.select_related("township"),
                             pk=parse_id(pk))


def round_office_get(user, pk) -> ResearchRound:
    research_round = _round(pk)
    if not is_office_of(user, research_round.township_id):
        raise PermissionDenied
    return research_round


def round_school_get(user, pk, school_pk) -> tuple[ResearchRound, School]:
    """A round and a school applying to it: the school's principal (or the office)."""
    research_round = _round(pk)
    school = school_of_principal(user, school_pk)
    if school.township_id != research_round.township_id:
        raise Http404("Not a school of this township.")
    return research_round, school


def round_public_get(user, pk) -> ResearchRound:
    research_round = _round(pk)
    if not in_township(user, research_round.township_id):
        raise PermissionDenied
    return research_round


def application_get(research_round: ResearchRound, pk, *, school: School | None = None
                    ) -> ResearchApplication:
    filters = {"round": research_round}
    if school is not None:
        filters["school"] = school
    return get_object_or_404(ResearchApplication.objects.select_related("school", "candidate"),
                             pk=parse_id(pk), **filters)
# ---- letters (目标责任书, R10) --------------------------------------------------------



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
# ---- ballots ---------------------------------------------------------------------------
# Who organises a round (the township's office for every round of its township; a
# school's principal for that school's round), who votes in it (its invited logins), who
# reads its reports (those, and the people assessed), whose report is whose.



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


# ---- titles (职称评审, R12): shared by the title parts -----------------------------------
# The county office runs a year; a township office sees its townships' units; a unit (a
# school's principal) sees its own candidates; a teacher sees their own candidacy and, for
# the public scoring, their unit and level's competitors.


def title_counties(user) -> set[int]:
    """The counties whose title evaluation this login runs (county office, superuser: all)."""
    scope = school_access.scope_of(user)
    if scope.superuser:
        return set(County.objects.values_list("pk", flat=True))
    return set(scope.county_ids)


def is_county_office_of(user, county_id: int) -> bool:
    return county_id in title_counties(user)


def _title_year(pk) -> TitleYear:
    return get_object_or_404(TitleYear.objects.select_related("county"), pk=parse_id(pk))


def title_year_of_county(user, year_pk) -> TitleYear:
    """A year this login runs as its county office: 404 for no such year, 403 otherwise."""
    year = _title_year(year_pk)
    if not is_county_office_of(user, year.county_id):
        raise PermissionDenied
    return year


def title_schools(user, year: TitleYear) -> QuerySet[School]:
    """The units of the year's county whose candidates this login sees: all for the county
    office, its townships' schools for a township office, its own for a principal."""
    schools = School.objects.filter(township__county_id=year.county_id)
    if is_county_office_of(user, year.county_id):
        return schools
    scope = school_access.scope_of(user)
    return schools.filter(Q(township_id__in=school_access.townships_managed(user).values("pk"))
                          | Q(pk__in=scope.principal_school_ids))


def title_year_visible(user, year_pk) -> TitleYear:
    """A year this login takes part in: the county office, an office or unit of the
    county, or a staff member of one of its schools."""
    year = _title_year(year_pk)
    if is_county_office_of(user, year.county_id) or title_schools(user, year).exists():
        return year
    staff = own_staff(user)
    if staff is not None and staff.school.township.county_id == year.county_id:
        return year
    raise PermissionDenied


def title_unit_of(user, year: TitleYear, school_pk) -> School:
    """A unit of the year whose candidates this login sees (404 outside the county)."""
    school = get_object_or_404(School.objects.select_related("township"),
                               pk=parse_id(school_pk), township__county_id=year.county_id)
    if not title_schools(user, year).filter(pk=school.pk).exists():
        raise PermissionDenied
    return school


def is_title_unit(user, school_id: int) -> bool:
    """The unit's own people act for it: its principal (and the county office)."""
    scope = school_access.scope_of(user)
    return school_id in scope.principal_school_ids


def title_candidate_of(user, candidate_pk) -> TitleCandidate:
    """A candidacy this login may read: their own, or one of a unit they see."""
    candidate = get_object_or_404(
        TitleCandidate.objects.select_related("year__county", "staff", "school__township"),
        pk=parse_id(candidate_pk))
    if candidate.staff_id == school_access.scope_of(user).staff_id:
        return candidate
    if not title_schools(user, candidate.year).filter(pk=candidate.school_id).exists():
        raise PermissionDenied
    return candidate


def own_title_candidate(user, candidate_pk) -> TitleCandidate:
    """The login's own candidacy (to acknowledge scores, to object)."""
    candidate = get_object_or_404(
        TitleCandidate.objects.select_related("year__county", "staff", "school__township"),
        pk=parse_id(candidate_pk))
    staff_id = school_access.scope_of(user).staff_id
    if staff_id is None or candidate.staff_id != staff_id:
        raise PermissionDenied
    return candidate


# ---- title_years: the county office's year, table, quotas, public page ----------------
# The county office edits; the table is read by everyone taking part in the year (and by
# anyone once the county publishes it); the public page needs no login.


def title_counties_list(user) -> QuerySet[County]:
    """The counties this login runs the title evaluation of, by name."""
    return County.objects.filter(pk__in=title_counties(user)).order_by("name")


def title_year_public(year_pk) -> TitleYear:
    """Any year by id, for its public page (which shows only what is published)."""
    return _title_year(year_pk)


def title_quota_of_county(user, year: TitleYear, quota_pk):
    """A quota of a year this login runs (the year already checked): 404 elsewhere."""
    from evaluation.models import TitleQuota

    if not is_county_office_of(user, year.county_id):
        raise PermissionDenied
    return get_object_or_404(TitleQuota.objects.select_related("school", "year"),
                             pk=parse_id(quota_pk), year=year)


def title_part_of_year(user, year: TitleYear, model, pk, *, related=(), year_path="year"):
    """A record of a year this login runs (an extra quota, a document, an objection, an
    import, a candidate's published materials): 404 for another year's."""
    if not is_county_office_of(user, year.county_id):
        raise PermissionDenied
    return get_object_or_404(model.objects.select_related(*related), pk=parse_id(pk),
                             **{year_path: year})
