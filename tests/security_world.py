"""The URL walk's world (tests/test_security_url_walk.py): the demo township (seed_demo: a
cycle through Step 3, a term's attendance, ballots, letters, exams, a title year of its
county, qualifications), plus a record of each kind the demo leaves empty, and the logins
that must see none of it: a teacher, a principal and a liaison of another county's
township, that township's office and that county's office.

Not a test module: the walk builds it once per module (``build``) and names each URL
parameter's record by ``ids``."""

from dataclasses import dataclass, field
from io import StringIO

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from attendance.models import (
    AttendanceImport,
    AttendanceRecord,
    CalendarDay,
    Contract,
    LeaveRequest,
)
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
    TitleDocument,
    TitleExtraQuota,
    TitleObjection,
    TitlePublicObjection,
    TitleQuota,
    TitleScoreImport,
    TitleTableImport,
    TitleYear,
)
from recruitment.models import (
    AllocationRun,
    CadreProposal,
    CommitteeMember,
    CommitteeRole,
    Cycle,
    Hire,
    Proposal,
    Ranking,
    Representative,
    ReviewComment,
    StaffOpinion,
    TrainingEnrolment,
)
from schools import demo
from schools.models import Position, Role, RosterImport, Staff, Township
from staffing.models import Objection, Publication

from .factories import CountyFactory, SchoolFactory, StaffFactory, TownshipFactory, UserFactory
from .factories import membership as grant

ROLES = ("teacher", "principal", "liaison", "township_office", "county_office",
         "township_office_same_county")


@dataclass
class World:
    ids: dict  # a name of ours → the demo township's record (or value) a URL is filled with
    users: dict  # a role → the outsider's login
    neighbours: dict  # a role → a login of another school of the demo township
    names: list[str] = field(default_factory=list)  # the demo staff's names
    resident_ids: list[str] = field(default_factory=list)  # full and masked


def build() -> World:
    call_command("seed_demo", stdout=StringIO())
    township = Township.objects.get(name=demo.TOWNSHIP)
    county = township.county
    admin = get_user_model().objects.get(username="admin")
    staff = Staff.objects.filter(school__township=township)
    cycle = Cycle.objects.filter(township=township).latest("school_year")
    hire = Hire.objects.filter(post__cycle=cycle).select_related("post", "staff").first()
    post, school, person = hire.post, hire.post.school, hire.staff
    year = TitleYear.objects.filter(county=county).first()
    now = timezone.now()
    publication = Publication.objects.filter(township=township).first()
    ids = {
        "county": county, "township": township, "school": school, "staff": person,
        "cycle": cycle, "post": post, "hire": hire,
        "ranking": Ranking.objects.filter(post__cycle=cycle).first(),
        "position": Position.objects.filter(school__township=township).first(),
        "enrolment": TrainingEnrolment.objects.filter(cycle__township=township).first(),
        "representative": Representative.objects.filter(cycle__township=township).first(),
        "comment": ReviewComment.objects.filter(revision__cycle__township=township).first(),
        "opinion": StaffOpinion.objects.filter(cycle__township=township).first(),
        # Records the demo's last stage leaves empty, written straight to the ORM.
        "member": CommitteeMember.objects.create(cycle=cycle, school=school, user=person.user
                                                 or admin, role=CommitteeRole.BACKBONE),
        "run": AllocationRun.objects.create(cycle=cycle, own_staff_first=False, input={},
                                            result={}, run_by=admin),
        "proposal": Proposal.objects.create(cycle=cycle, source="allocation", staff=person,
                                            post=post, proposed_by=admin),
        "cadre_proposal": CadreProposal.objects.create(cycle=cycle, school=school,
                                                       staff=person, title="副校长",
                                                       proposed_by=admin),
        "roster_import": RosterImport.objects.create(
            township=township, file="imports/none.xlsx", original_name="花名册.xlsx",
            status="previewed", uploaded_by=admin),
        "leave": LeaveRequest.objects.filter(staff__school__township=township).first(),
        "record": AttendanceRecord.objects.filter(staff__school__township=township).first(),
        "calendar_day": CalendarDay.objects.create(township=township,
                                                   date=now.date().replace(month=10, day=1),
                                                   working=False),
        "attendance_import": AttendanceImport.objects.create(
            township=township, file="imports/none.xlsx", original_name="考勤.xlsx",
            status="previewed", uploaded_by=admin),
        "objection": Objection.objects.create(publication=publication, staff=person, item="x",
                                              reason="异议", raised_at=now),
        "contract": Contract.objects.filter(hire__post__cycle=cycle).first(),
        "round": BallotRound.objects.filter(township=township).first(),
        "assessee": Assessee.objects.filter(round__township=township).first(),
        "invitation": BallotInvitation.objects.filter(round__township=township).first(),
        "exam": Exam.objects.filter(township=township).first(),
        "exam_import": ExamImport.objects.create(
            township=township, file="imports/none.xlsx", original_name="成绩.xlsx",
            status="previewed", uploaded_by=admin),
        "ground": OtherGround.objects.filter(staff__school__township=township).first(),
        "letter": Letter.objects.filter(township=township).first(),
        "rec_list": RecommendationList.objects.filter(township=township).first(),
        "rec_candidate": Candidate.objects.filter(rec_list__township=township).first(),
        "research_round": ResearchRound.objects.filter(township=township).first(),
        "research_application": ResearchApplication.objects.filter(
            round__township=township).first(),
        "title_year": year,
        "title_candidate": TitleCandidate.objects.filter(year=year).first(),
        "title_quota": TitleQuota.objects.filter(year=year).first(),
        "title_extra": TitleExtraQuota.objects.filter(year=year).first(),
        "title_document": TitleDocument.objects.filter(year=year).first(),
        "title_objection": TitleObjection.objects.filter(candidate__year=year).first(),
        "title_public_objection": TitlePublicObjection.objects.create(
            year=year, text="异议", client_key="k" * 16),
        "title_score_import": TitleScoreImport.objects.create(
            year=year, file="imports/none.xlsx", original_name="分数.xlsx",
            status="previewed", uploaded_by=admin),
        "title_table_import": TitleTableImport.objects.create(
            year=year, file="imports/none.xlsx", original_name="细则.xlsx",
            status="previewed", uploaded_by=admin),
        "qualification": QualificationApplication.objects.filter(county=county).first(),
        "qualification_import": QualificationImport.objects.create(
            county=county, file="imports/none.xlsx", original_name="认定.xlsx",
            status="previewed", uploaded_by=admin),
    }
    # A demo login locked by django-axes, for the unlock page.
    ids["locked_login"] = AccessAttempt.objects.create(
        username="teacher01", ip_address="10.0.0.1", user_agent="", http_accept="",
        path_info="/accounts/login/", get_data="", post_data="",
        failures_since_start=settings.AXES_FAILURE_LIMIT).username
    missing = sorted(key for key, record in ids.items() if record is None)
    assert not missing, f"the demo has none of: {missing}"
    letter = ids["letter"]
    ids.update({
        # Values that are no record: the phase of Step 2, a month and a day the demo
        # recorded, a letter year, a title level, a check step, an upload token.
        "number": 6, "month": ids["record"].date.strftime("%Y-%m"),
        "day": ids["record"].date.isoformat(), "year": letter.school_year,
        "level": ids["title_candidate"].level, "step": "certificates", "token": "x" * 32,
    })
    return World(ids=ids, users=outsiders(), neighbours=neighbours(school),
                 names=list(staff.values_list("name", flat=True)),
                 resident_ids=[i for s in staff for i in (s.resident_id, s.masked_id)])


def outsiders() -> dict:
    """A login of each role over another county's township (外县 · 远山镇), and the office
    of a neighbouring township of the demo's county (邻镇)."""
    county = CountyFactory(name="外县")
    township = TownshipFactory(county=county, name="远山镇")
    here, there = (SchoolFactory(township=township, name=n) for n in ("远山完小", "近水完小"))
    users = {role: UserFactory(username=f"outsider-{role}") for role in ROLES}
    StaffFactory(school=here, name="外甲", user=users["teacher"])
    StaffFactory(school=there, name="外乙", user=users["principal"])
    grant(users["principal"], Role.PRINCIPAL, there)
    for school in (here, there):
        grant(users["liaison"], Role.LIAISON, school)
    grant(users["township_office"], Role.TOWNSHIP_OFFICE, township)
    grant(users["county_office"], Role.COUNTY_OFFICE, county)
    # And the office of another township of the demo's own county: the county's title
    # year is shared, the township's records are not.
    neighbour = TownshipFactory(county=CountyFactory(name=demo.COUNTY), name="邻镇")
    grant(users["township_office_same_county"], Role.TOWNSHIP_OFFICE, neighbour)
    for role in ("township_office", "county_office", "township_office_same_county"):
        users[role].is_staff = True
        users[role].save(update_fields=["is_staff"])
    return users


def neighbours(school) -> dict:
    """A teacher, a principal and a liaison of other schools of ``school``'s township."""
    others = list(school.township.schools.exclude(pk=school.pk).order_by("pk")[:2])
    users = {role: UserFactory(username=f"neighbour-{role}")
             for role in ("teacher", "principal", "liaison")}
    StaffFactory(school=others[0], name="邻甲", user=users["teacher"])
    StaffFactory(school=others[1], name="邻乙", user=users["principal"])
    grant(users["principal"], Role.PRINCIPAL, others[1])
    for other in others:
        grant(users["liaison"], Role.LIAISON, other)
    return users


def pk_of(value) -> str:
    return str(getattr(value, "pk", value))

