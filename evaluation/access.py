"""Who may see and do what in evaluation: every scoped getter and "may this user"
predicate. Pages and services ask here; nothing else reads memberships."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from evaluation import rules
from evaluation.models import (
    Assessee,
    BallotInvitation,
    BallotRound,
    Candidate,
    Exam,
    ExamImport,
    Letter,
    OtherGround,
    QualificationApplication,
    QualificationImport,
    RecommendationList,
    ResearchApplication,
    ResearchRound,
    TitleCandidate,
    TitleObjection,
    TitleQuota,
    TitleScoreImport,
    TitleYear,
)
from schools import access as school_access
from schools import resident_id
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


# ---- title_candidates: declarations, the unit's check and scores, rankings -------------
# A teacher declares and withdraws their own; the unit (the school's principal) checks,
# scores and settles ties for its own candidates; the county office imports the year's
# scores and sets the eligibility settings; a township office reads its units.


def title_candidate_of_unit(user, candidate_pk) -> TitleCandidate:
    """A candidacy whose unit this login acts for (its principal): 404 for no such
    candidacy, 403 for another unit's (even one the login may read)."""
    candidate = get_object_or_404(
        TitleCandidate.objects.select_related("year__county", "staff", "school__township"),
        pk=parse_id(candidate_pk))
    if not is_title_unit(user, candidate.school_id):
        raise PermissionDenied
    return candidate


def title_unit_acting(user, year: TitleYear, school_pk) -> School:
    """A unit of the year this login acts for (checks, scores): 404 outside the county."""
    school = get_object_or_404(School.objects.select_related("township"),
                               pk=parse_id(school_pk), township__county_id=year.county_id)
    if not is_title_unit(user, school.pk):
        raise PermissionDenied
    return school


def title_score_import_of_county(user, import_pk):
    record = get_object_or_404(
        TitleScoreImport.objects.select_related("year__county", "uploaded_by", "committed_by"),
        pk=parse_id(import_pk))
    if not is_county_office_of(user, record.year.county_id):
        raise PermissionDenied
    return record


def is_own_title_candidacy(user, candidate: TitleCandidate) -> bool:
    staff_id = school_access.scope_of(user).staff_id
    return staff_id is not None and candidate.staff_id == staff_id


def is_own_staff_id(user, staff_id: int) -> bool:
    return staff_id is not None and school_access.scope_of(user).staff_id == staff_id
# ---- teacher-qualification certification (教师资格认定, R13) ----------------------------
# The county office of the application's county alone: it enters applications, records
# their checks and sees full IDs (each look recorded). Township offices, principals and
# teachers have no part in it.


def qualification_county(user, county_pk) -> County:
    """A county whose certification this login runs: 404 for no such county, 403 for
    another's (and for every role but its county office)."""
    county = get_object_or_404(County, pk=parse_id(county_pk))
    if not is_county_office_of(user, county.pk):
        raise PermissionDenied
    return county


def qualification_of(user, application_pk) -> QualificationApplication:
    """An application of a county this login runs: 404 for no such application, 403 for
    another county's."""
    application = get_object_or_404(
        QualificationApplication.objects.select_related("county", "staff__school",
                                                        "entered_by"),
        pk=parse_id(application_pk))
    if not is_county_office_of(user, application.county_id):
        raise PermissionDenied
    return application


def may_see_applicant_ids(user, county_id: int) -> bool:
    """Full applicant IDs are the county office's, which certifies them."""
    return is_county_office_of(user, county_id)


def applicant_id_q(user, county_id: int, query: str) -> Q:
    """The condition a search ``query`` puts on applicants' IDs: exactly the last four
    characters, or the whole number for a login that may see it; otherwise none (an
    empty ``Q()`` to OR with the name)."""
    number = resident_id.normalize(query)
    kind = rules.id_search_kind(number)
    if kind == "tail":
        return Q(resident_id__endswith=number)
    if kind == "full" and may_see_applicant_ids(user, county_id):
        return Q(resident_id=number)
    return Q()


def qualification_import_of(user, import_pk) -> QualificationImport:
    record = get_object_or_404(QualificationImport.objects.select_related(
        "county", "uploaded_by", "committed_by"), pk=parse_id(import_pk))
    if not is_county_office_of(user, record.county_id):
        raise PermissionDenied
    return record


# ---- title_review: public scoring and the exceptional review (R12) ----------------------
# A candidate reads their own unit and level's scores (own_title_candidate); the unit's
# principal answers its candidates' objections; the county office, the township office
# (its units) and the unit read the objections and the acknowledgements; the county
# committee (the county office) runs the exceptional review, the unit recording its own
# evaluation (step 1) as well.


def title_objection_of(user, objection_pk):
    """An objection this login may read: its own candidate's, or one of a unit it sees
    (404 for no such objection, 403 otherwise)."""
    objection = get_object_or_404(
        TitleObjection.objects.select_related(
            "candidate__year__county", "candidate__staff", "candidate__school__township",
            "item", "raised_by__staff_profile", "answered_by__staff_profile"),
        pk=parse_id(objection_pk))
    candidate = objection.candidate
    if candidate.staff_id == school_access.scope_of(user).staff_id:
        return objection
    if not title_schools(user, candidate.year).filter(pk=candidate.school_id).exists():
        raise PermissionDenied
    return objection


def may_answer_title_objection(user, objection) -> bool:
    """The unit answers its candidates' objections: its principal alone (not the
    candidate, even a principal objecting about their own scores)."""
    candidate = objection.candidate
    return (is_title_unit(user, candidate.school_id)
            and candidate.staff_id != school_access.scope_of(user).staff_id)


def title_quota_of(user, year, quota_pk):
    """A ranking group (unit and level) of the year whose acknowledgements this login
    reads: the unit, its township office, the county office."""
    quota = get_object_or_404(TitleQuota.objects.select_related("school__township", "year"),
                              pk=parse_id(quota_pk), year=year)
    if not title_schools(user, year).filter(pk=quota.school_id).exists():
        raise PermissionDenied
    return quota


def title_exceptional_of(user, candidate_pk) -> TitleCandidate:
    """An exceptional candidate whose review this login reads: the county office, the
    township office of its unit, its unit (404 for a candidate who is not exceptional)."""
    candidate = get_object_or_404(
        TitleCandidate.objects.select_related("year__county", "staff", "school__township"),
        pk=parse_id(candidate_pk), exceptional=True)
    if not title_schools(user, candidate.year).filter(pk=candidate.school_id).exists():
        raise PermissionDenied
    return candidate


def may_record_unit_evaluation(user, candidate) -> bool:
    """Step 1 of an exceptional review: the unit itself, or the county office from the
    unit's paper; never the candidate."""
    if candidate.staff_id == school_access.scope_of(user).staff_id:
        return False
    return (is_county_office_of(user, candidate.year.county_id)
            or is_title_unit(user, candidate.school_id))


def may_run_title_committee(user, year) -> bool:
    """Steps 2 and 3 of an exceptional review: the county committee (county office)."""
    return is_county_office_of(user, year.county_id)


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
