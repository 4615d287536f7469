"""Issue 11, item 1: the outcome takes effect (上岗). Closing phase 7 turns each confirmed
hire into the person's current assignment (school, post, auxiliary duties, teaching or
support staff) from the term's start, with history; nobody is left between schools; a
second application is refused; the staff page, the roster export and next year's cycle
start from that state.

The outcome world of tests/outcome_world.py taken into phase 7: 夏庄完小 keeps 本校丁 and
gets 青年丙 from 东张完小 (allocation); 东张完小's former vice principal passes the
training and is assigned its gate duty only (support staff, R2); 落聘戊 of 夏庄完小 passes
and is assigned 东张完小's teaching post (moves); everyone else has an explained status."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from recruitment import rules
from recruitment.models import Hire, HireSource, PlanRevision, Post, PostKind
from recruitment.phases import CONTRACTS, UNHIRED
from recruitment.selectors import outcome as outcome_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import cycle as cycle_services
from recruitment.services import outcome as outcome_services
from recruitment.services import unhired as unhired_services
from schools import resident_id, roster
from schools import services as school_services
from schools.models import Assignment, AssignmentKind, NewAssignment, Staff
from schools.roster import roster_sheets
from staffing.workbook import write_workbook

from . import outcome_world
from .factories import CycleFactory, StaffFactory
from .helpers import close_phase, messages_of, open_phase, person, phase, row_counts, section

cycle, people, done = outcome_world.cycle, outcome_world.people, outcome_world.done


def explain_the_rest(cycle, office):
    for staff in unhired_selectors.unhired(cycle):
        unhired_services.unhired_explain(by=office, cycle=cycle, staff=staff, reason="退休")


@pytest.fixture
def phase7(done, office_user, people, posts, school):
    """Phase 7 open and ready to close (R7: nobody without a post or an explained status)."""
    people["trainee"] = person(school, "落聘戊")
    open_phase(done, office_user, UNHIRED)
    for staff, post in ((people["vice"], posts["there"][1]),
                        (people["trainee"], posts["there"][0])):
        enrolment = unhired_services.training_enrol(by=office_user, cycle=done, staff=staff)
        unhired_services.training_score(by=office_user, enrolment=enrolment, score=80)
        unhired_services.trainee_assign(by=office_user, enrolment=enrolment, post=post)
    explain_the_rest(done, office_user)
    return done


@pytest.fixture
def effected(phase7, office_user):
    close_phase(phase7, office_user, UNHIRED)
    return phase7


def open_assignment(staff) -> Assignment:
    return Assignment.objects.select_related("school", "previous_school").get(
        staff=staff, end_date__isnull=True)


def test_closing_phase_7_makes_each_hire_the_current_assignment(effected, office_user, people,
                                                                school, other_school):
    start = phase(effected, CONTRACTS).start_date
    for staff in people.values():
        staff.refresh_from_db()
    keeper, mover = open_assignment(people["keeper"]), open_assignment(people["mover"])
    vice, trainee = open_assignment(people["vice"]), open_assignment(people["trainee"])

    assert start == date(2026, 9, 1)
    assert people["mover"].school == school and people["trainee"].school == other_school
    assert people["keeper"].school == school and people["vice"].school == other_school
    assert (mover.previous_school, mover.school, mover.kind, mover.post, mover.duties) == (
        other_school, school, AssignmentKind.TEACHING, "3号 五年级 数学 12节/周", "2号 值班")
    assert (keeper.previous_school, keeper.school, keeper.moved) == (school, school, False)
    assert keeper.post == "1号 三年级 语文 12节/周"
    assert (vice.kind, vice.post, vice.duties) == (AssignmentKind.SUPPORT, "2号 值班", "")
    assert trainee.moved and trainee.kind == AssignmentKind.TEACHING
    assert {a.start_date for a in (keeper, mover, vice, trainee)} == {start}
    assert {a.school_year for a in (keeper, mover, vice, trainee)} == {2026}
    # with history: who and why, on the person and on the assignment
    record = people["mover"].history.first()
    assert (record.school_id, record.history_user, record.history_change_reason) == (
        school.pk, office_user, school_services.OUTCOME_REASON)
    assert mover.history.get().history_user == office_user
    assert people["keeper"].history.filter(
        history_change_reason=school_services.OUTCOME_REASON).count() == 0  # stayed


def test_nobody_is_left_between_schools(effected, township, foreign_school):
    StaffFactory(school=foreign_school)  # another township's cycle has not closed

    staff = Staff.objects.filter(school__township=township)
    open_ones = Assignment.objects.filter(end_date__isnull=True)
    assert open_ones.count() == staff.count() > 4
    assert all(open_assignment(s).school_id == s.school_id for s in staff)
    assert not Assignment.objects.filter(staff__school=foreign_school).exists()
    explained = open_ones.filter(kind=AssignmentKind.NOT_IN_POST)
    assert explained.exists() and set(explained.values_list("note", flat=True)) == {"退休"}
    assert not explained.filter(previous_school__isnull=True).exists()


@pytest.mark.usefixtures("english")
def test_the_service_refuses_an_outcome_that_leaves_someone_out(phase7, office_user, township,
                                                                people, school):
    before = row_counts()
    given = [a for a in outcome_selectors.outcome_assignments(phase7)
             if a.staff_id != people["vice"].pk]

    with pytest.raises(ValidationError, match="1 staff member of the township has no "
                                              "assignment"):
        school_services.assignments_apply(by=office_user, township=township, school_year=2026,
                                          start_date=date(2026, 9, 1), assignments=given)
    with pytest.raises(ValueError):
        school_services.assignments_apply(
            by=office_user, township=township, school_year=2026, start_date=date(2026, 9, 1),
            assignments=[*given, NewAssignment(people["vice"].pk, school.pk, "teaching"),
                         NewAssignment(people["vice"].pk, school.pk, "teaching")])
    assert row_counts() == before


@pytest.mark.usefixtures("english")
def test_a_second_application_is_refused(effected, office_user, principal_user):
    before = row_counts()

    with pytest.raises(ValidationError, match="is not open"):
        close_phase(effected, office_user, UNHIRED)
    with pytest.raises(ValidationError, match="already taken effect"):
        outcome_services.outcome_apply(by=office_user, cycle=effected)
    with pytest.raises(ValidationError, match="The outcome has taken effect: every staff "
                                              "member holds their new assignment"):
        cycle_services.phase_reopen(by=office_user, phase=phase(effected, UNHIRED),
                                    reason="误关")
    with pytest.raises(PermissionDenied):
        outcome_services.outcome_apply(by=principal_user, cycle=effected)
    assert row_counts() == before


@pytest.mark.usefixtures("english_pages")
def test_the_close_page_says_what_the_close_does_and_a_double_submit_applies_once(
        login, phase7, office_user):
    client = login(office_user)
    close = reverse("recruitment:phase_close", args=[phase7.pk, UNHIRED])

    page = client.get(close)
    first = client.post(close, follow=True)
    second = client.post(close, follow=True)
    dashboard = client.get(reverse("recruitment:dashboard", args=[phase7.pk]))

    effect = section(page, "outcome-effect")
    total = Staff.objects.filter(school__township=phase7.township).count()
    assert "The outcome takes effect from 2026-09-01" in page.text
    assert f"{total} staff members take up their assignments" in effect
    assert "2 staff members move school" in effect and "1 becomes support staff (R2)" in effect
    assert "Phase 7 is not reopened afterwards." in page.text
    assert messages_of(first) == [
        "Phase 7 (Training and assignment of the unhired) is closed.",
        f"The outcome took effect from 2026-09-01: {total} staff members took up their "
        "assignments, 2 moved school, 1 became support staff."]
    assert messages_of(second) == ["phase 7 (Training and assignment of the unhired) is not "
                                   "open."]
    assert Assignment.objects.count() == total
    row = section(dashboard, "phase-7").split("</tr>")[0]
    assert "so phase 7 is not reopened" in row


def test_others_cannot_close_phase_7(login, phase7, principal_user, teacher_user,
                                     foreign_office):
    close = reverse("recruitment:phase_close", args=[phase7.pk, UNHIRED])
    for user in (principal_user, teacher_user, foreign_office):
        assert login(user).post(close).status_code in (403, 404)
    assert not Assignment.objects.exists()


def test_the_outcome_page_still_counts_moves_against_the_schools_before(phase7, office_user,
                                                                        school, other_school):
    def figures(cycle):
        result = outcome_selectors.outcome(cycle)
        return {r.school.name: (r.staff, r.own_kept, r.moved_in, r.moved_out)
                for r in result.schools}, outcome_selectors.outcome_sheets(result)[2].rows

    before = figures(phase7)
    close_phase(phase7, office_user, UNHIRED)

    assert figures(phase7) == before
    assert before[0][school.name][2] == 1 and before[0][other_school.name][2] == 1


@pytest.mark.usefixtures("english_pages")
def test_the_staff_page_shows_the_assignment_and_its_history(login, effected, office_user,
                                                             people, township):
    # next year's cycle: 青年丙 stays at 夏庄完小
    following = CycleFactory(township=township, school_year=2027, created_by=office_user,
                             phases={n: "closed" for n in range(1, 7)} | {UNHIRED: "open"})
    explain_the_rest(following, office_user)
    close_phase(following, office_user, UNHIRED)

    page = login(office_user).get(reverse("schools:staff_detail", args=[people["mover"].pk]))

    lines = section(page, "assignments")
    assert "Stayed at 夏庄完小 by the 2027–2028 cycle (from 2027-09-01)" in lines
    assert "Moved from 东张完小 to 夏庄完小 by the 2026–2027 cycle (from 2026-09-01)" in lines
    assert "until 2027-08-31" in lines and "3号 五年级 数学 12节/周" in lines
    assert "auxiliary duties: 2号 值班" in lines
    assert lines.index("2027–2028") < lines.index("2026–2027")  # the current one first


def test_the_roster_export_keeps_the_spec_sheets_and_adds_the_assignments(effected, township,
                                                                          people):
    for staff in Staff.objects.filter(school__township=township):  # the world's dates, as IDs say
        parsed = resident_id.parse(staff.resident_id)
        Staff.objects.filter(pk=staff.pk).update(birth_date=parsed.birth_date, sex=parsed.sex)
    buffer = io.BytesIO()
    write_workbook(buffer, roster_sheets(township))
    book = load_workbook(io.BytesIO(buffer.getvalue()))

    assert book.sheetnames == ["学校", "教职工", roster.ASSIGNMENT_SHEET]
    staff_rows = list(book["教职工"].values)
    assert list(staff_rows[0]) == list(roster.STAFF_COLUMNS.values())
    assert [r[4] for r in staff_rows if r[1] == people["mover"].resident_id] == ["夏庄完小"]
    assignments = list(book[roster.ASSIGNMENT_SHEET].values)
    assert list(assignments[0]) == roster.ASSIGNMENT_HEADERS
    [mover] = [r for r in assignments if r[1] == people["mover"].resident_id]
    assert mover[2:10] == ("2026–2027学年", "调动", "东张完小", "夏庄完小", "教学人员",
                           "3号 五年级 数学 12节/周", "2号 值班", None)
    [vice] = [r for r in assignments if r[1] == people["vice"].resident_id]
    assert vice[3:7] == ("留任", "东张完小", "东张完小", "教辅人员")
    # the export imports back unchanged: the import reads the spec's two sheets only
    result = school_services.roster_import(by=None, township=township, data=buffer.getvalue(),
                                           dry_run=True)
    summary = result.plan.summary()
    assert result.error_lines == []
    assert result.ok and summary["staff_updated"] == summary["staff_created"] == 0


def test_next_years_cycle_starts_from_the_new_state(effected, office_user, township, people,
                                                    school, other_school):
    following = cycle_services.cycle_create(by=office_user, township=township, school_year=2027)

    roster_of = {s.pk: s.school_id for s in unhired_selectors.unhired(following)}
    assert roster_of[people["mover"].pk] == school.pk
    assert roster_of[people["trainee"].pk] == other_school.pk
    mover = Staff.objects.get(pk=people["mover"].pk)
    post = Post(cycle=following, school=school, number=1, kind=PostKind.TEACHING)
    assert rules.cross_school_refusal(mover, post, first_step=False) is None  # own staff now
    assert people["keeper"].positions.get(end_date__isnull=True).school == school


def test_support_staff_by_the_plans_threshold():
    plan = PlanRevision(teaching_load_threshold=8)

    def post(kind, lessons=0):
        return Post(kind=kind, weekly_lessons=lessons)

    assert rules.hire_is_support_staff(plan, post(PostKind.AUXILIARY))
    assert rules.hire_is_support_staff(plan, post(PostKind.TEACHING, 7))
    assert not rules.hire_is_support_staff(plan, post(PostKind.TEACHING, 8))
    assert not rules.hire_is_support_staff(plan, post(PostKind.LEADERSHIP))


def test_the_close_applies_a_township_of_hundreds_in_bounded_queries(
        phase7, office_user, other_school, posts, django_assert_max_num_queries):
    movers = [StaffFactory(school=other_school) for _ in range(300)]
    Hire.objects.bulk_create(Hire(cycle=phase7, staff=s, post=posts["here"][1],
                                  source=HireSource.SELECTION) for s in movers)
    explain_the_rest(phase7, office_user)

    # SQLite splits a bulk insert at 999 parameters (five statements for 300 history rows);
    # PostgreSQL writes 500 rows a statement.
    with django_assert_max_num_queries(50):
        close_phase(phase7, office_user, UNHIRED)

    assert Staff.objects.filter(pk__in=[s.pk for s in movers],
                                school=posts["here"][1].school).count() == 300
    assert Assignment.objects.filter(kind=AssignmentKind.SUPPORT).count() == 301
