"""The cycle and Step 1 (phases 1–4) at the service level: order, refusals, the vote."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recruitment.models import Ballot, PhaseState, ReviewComment, StaffOpinion, Vote
from recruitment.phases import DRAFT, INTENTIONS, OPINIONS, REVIEW, VOTE
from recruitment.selectors import cycle as cycle_selectors
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from schools.models import Role

from .factories import UserFactory, membership
from .helpers import TEXT, person, phase, run

pytestmark = pytest.mark.usefixtures("english")


# --- the cycle and its order ---------------------------------------------------------


def test_a_cycle_has_ten_phases_on_the_seeds_calendar(cycle):
    phases = list(cycle.phases.order_by("number"))
    assert [p.number for p in phases] == list(range(1, 11))
    assert all(p.state == PhaseState.NOT_STARTED for p in phases)
    assert (phases[4].start_date, phases[4].deadline) == (date(2026, 8, 20), date(2026, 8, 22))
    assert phases[5].deadline == date(2026, 8, 28)
    assert phases[7].deadline == date(2026, 9, 8)


def test_one_cycle_per_township_and_year(cycle, office_user, township):
    with pytest.raises(ValidationError, match="already has a cycle"):
        cycle_services.cycle_create(by=office_user, township=township, school_year=2026)


@pytest.mark.parametrize("user", ["principal_user", "teacher_user", "liaison_user"])
def test_only_the_office_opens_phases(request, cycle, user):
    with pytest.raises(PermissionDenied):
        cycle_services.phase_open(by=request.getfixturevalue(user), phase=phase(cycle, DRAFT))


def test_an_office_of_another_township_cannot_touch_the_cycle(cycle, foreign_school):
    stranger = UserFactory(username="stranger")
    membership(stranger, Role.TOWNSHIP_OFFICE, foreign_school.township)
    with pytest.raises(PermissionDenied):
        cycle_services.phase_open(by=stranger, phase=phase(cycle, DRAFT))


def test_a_phase_cannot_open_before_the_one_before_it_closed(cycle, office_user):
    with pytest.raises(ValidationError, match="phase 1 .* must be closed first"):
        cycle_services.phase_open(by=office_user, phase=phase(cycle, REVIEW))
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    with pytest.raises(ValidationError, match="must be closed first"):
        cycle_services.phase_open(by=office_user, phase=phase(cycle, REVIEW))


def test_opening_twice_and_closing_what_is_not_open_are_refused(cycle, office_user):
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    with pytest.raises(ValidationError, match="already open"):
        cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    with pytest.raises(ValidationError, match="not open"):
        cycle_services.phase_close(by=office_user, phase=phase(cycle, REVIEW))


def test_the_draft_phase_cannot_close_without_a_draft(cycle, office_user):
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    with pytest.raises(ValidationError, match="first draft"):
        cycle_services.phase_close(by=office_user, phase=phase(cycle, DRAFT))


def test_intentions_cannot_open_before_the_plan_is_adopted(drafted, office_user):
    run(drafted, office_user, DRAFT)
    p = phase(drafted, INTENTIONS)
    assert "must be closed first" in cycle_selectors.phase_open_check(p)


def test_the_vote_phase_needs_representatives(drafted, office_user):
    run(drafted, office_user, DRAFT, REVIEW, OPINIONS)
    with pytest.raises(ValidationError, match="representatives first"):
        cycle_services.phase_open(by=office_user, phase=phase(drafted, VOTE))


def test_the_vote_phase_closes_only_through_the_vote(voting, office_user):
    with pytest.raises(ValidationError, match="closes when the office closes"):
        cycle_services.phase_close(by=office_user, phase=phase(voting, VOTE))


def test_phase_changes_are_recorded_with_who(drafted, office_user):
    record = phase(drafted, DRAFT).history.first()
    assert record.state == PhaseState.OPEN
    assert record.history_user == office_user


def test_phase_dates_can_be_moved_but_not_reversed(cycle, office_user):
    p = phase(cycle, DRAFT)
    with pytest.raises(ValidationError, match="before the start"):
        cycle_services.phase_dates_set(by=office_user, phase=p, start_date=date(2026, 7, 5),
                                 deadline=date(2026, 7, 1))
    cycle_services.phase_dates_set(by=office_user, phase=p, start_date=date(2026, 6, 20),
                             deadline=date(2026, 7, 1))
    assert phase(cycle, DRAFT).history.first().history_user == office_user


# --- phase 1: drafting ---------------------------------------------------------------


def test_every_saved_revision_is_kept_with_its_settings_and_schools(drafted, office_user,
                                                                    school):
    first = drafted.revisions.get()
    assert first.number == 1 and first.created_by == office_user
    assert first.teaching_load_threshold == 8 and (first.own_share_num,
                                                   first.own_share_den) == (2, 3)
    second = plan_services.plan_revise(
        by=office_user, cycle=drafted, text=TEXT + "三、纪律\n严禁说情。", note="加纪律",
        settings={"training_pass_mark": 70}, schools=[(school, 18, True)],
    )
    assert second.number == 2
    assert second.training_pass_mark == 70 and second.teaching_load_threshold == 8
    assert [(s.school, s.post_count, s.first_step) for s in second.schools.all()] == [
        (school, 18, True)]
    assert drafted.revisions.count() == 2
    assert first.schools.count() == 2


def test_a_plan_cannot_name_a_school_of_another_township(drafted, office_user, foreign_school):
    with pytest.raises(ValidationError, match="not a school of this township"):
        plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT,
                             schools=[(foreign_school, 3, False)])


def test_the_plan_cannot_be_written_before_phase_1_opens(cycle, office_user):
    with pytest.raises(ValidationError, match="only while phase 1, 2 or 3"):
        plan_services.plan_revise(by=office_user, cycle=cycle, text=TEXT)


def test_a_bad_own_staff_share_is_refused(drafted, office_user):
    with pytest.raises(ValidationError, match="fraction"):
        plan_services.plan_revise(by=office_user, cycle=drafted, text=TEXT,
                             settings={"own_share_num": 4, "own_share_den": 3})


# --- phase 2: collective review ------------------------------------------------------


def test_a_principal_comments_on_a_section_and_the_office_answers(reviewing, principal_user,
                                                                  office_user, school):
    revision = reviewing.revisions.get()
    comment = plan_services.review_comment_add(by=principal_user, revision=revision, section=2,
                                          body="岗位数偏少")
    assert (comment.section_title, comment.school) == ("二、岗位设置", school)
    with pytest.raises(ValidationError, match="still waiting"):
        cycle_services.phase_close(by=office_user, phase=phase(reviewing, REVIEW))
    with pytest.raises(ValidationError, match="reason"):
        plan_services.review_comment_answer(
            by=office_user, comment=comment, adopted=False, reason=""
        )
    plan_services.review_comment_answer(by=office_user, comment=comment, adopted=True,
                                   reason="增加两个岗位")
    comment.refresh_from_db()
    assert comment.status == ReviewComment.Status.ADOPTED and comment.answered_by == office_user
    assert comment.history.first().history_user == office_user
    cycle_services.phase_close(by=office_user, phase=phase(reviewing, REVIEW))


@pytest.mark.parametrize("user", ["teacher_user", "liaison_user"])
def test_only_principals_comment_in_the_review(request, reviewing, user):
    with pytest.raises(PermissionDenied):
        plan_services.review_comment_add(by=request.getfixturevalue(user),
                                    revision=reviewing.revisions.get(), section=0, body="x")


def test_comments_are_refused_outside_the_review_phase(drafted, principal_user):
    with pytest.raises(ValidationError, match="not opened yet"):
        plan_services.review_comment_add(by=principal_user, revision=drafted.revisions.get(),
                                    section=0, body="x")


def test_a_principal_cannot_answer_comments(reviewing, principal_user):
    comment = plan_services.review_comment_add(by=principal_user,
                                          revision=reviewing.revisions.get(), section=1, body="x")
    with pytest.raises(PermissionDenied):
        plan_services.review_comment_answer(by=principal_user, comment=comment, adopted=True,
                                       reason="自己批准")


# --- phase 3: staff opinions ---------------------------------------------------------


def test_opinions_go_through_the_principal_to_the_office_and_back(
    consulting, teacher_user, principal_user, office_user, school
):
    opinion = consultation_services.opinion_submit(
        by=teacher_user, cycle=consulting, body="请增加英语岗"
    )
    with pytest.raises(ValidationError, match="not reported"):
        consultation_services.opinion_decide(
            by=office_user, opinion=opinion, adopted=True, reason="好"
        )
    report = consultation_services.opinions_report(
        by=principal_user, cycle=consulting, school=school
    )
    assert report.count == 1
    opinion.refresh_from_db()
    consultation_services.opinion_decide(
        by=office_user, opinion=opinion, adopted=False, reason="编制不足"
    )
    opinion.refresh_from_db()
    assert (opinion.status, opinion.reason) == (StaffOpinion.Status.DECLINED, "编制不足")


def test_a_principal_reports_only_their_own_school(consulting, principal_user, other_school):
    with pytest.raises(PermissionDenied):
        consultation_services.opinions_report(
            by=principal_user, cycle=consulting, school=other_school
        )


def test_reporting_twice_with_nothing_new_is_refused(consulting, principal_user, school):
    consultation_services.opinions_report(by=principal_user, cycle=consulting, school=school)
    with pytest.raises(ValidationError, match="Already reported"):
        consultation_services.opinions_report(by=principal_user, cycle=consulting, school=school)


def test_a_report_takes_only_the_schools_own_opinions(consulting, principal_user, school,
                                                      other_school, teacher_user):
    consultation_services.opinion_submit(by=teacher_user, cycle=consulting, body="本校意见")
    elsewhere = person(other_school, "外校教师")
    consultation_services.opinion_submit(by=elsewhere.user, cycle=consulting, body="外校意见")
    report = consultation_services.opinions_report(
        by=principal_user, cycle=consulting, school=school
    )
    assert [o.body for o in report.opinions.all()] == ["本校意见"]


def test_staff_of_another_township_cannot_send_opinions(consulting, foreign_school):
    stranger = person(foreign_school, "外镇教师")
    with pytest.raises(PermissionDenied):
        consultation_services.opinion_submit(by=stranger.user, cycle=consulting, body="x")


# --- phase 4: the congress vote ------------------------------------------------------


def vote(cycle, staff, choice):
    return consultation_services.vote_cast(by=staff.user, cycle=cycle, choice=choice)


def test_a_representative_votes_once(voting, reps):
    vote(voting, reps[0], "for")
    with pytest.raises(ValidationError, match="You have voted"):
        vote(voting, reps[0], "against")
    assert Ballot.objects.count() == 1


def test_a_non_representative_cannot_vote(voting, teacher_user):
    with pytest.raises(ValidationError, match="Only the congress representatives"):
        consultation_services.vote_cast(by=teacher_user, cycle=voting, choice="for")


def test_no_vote_after_the_close(voting, reps, office_user):
    vote(voting, reps[0], "for")
    consultation_services.vote_close(by=office_user, cycle=voting)
    with pytest.raises(ValidationError):
        vote(voting, reps[1], "for")


def test_representatives_cannot_change_while_the_vote_is_open(voting, office_user, teacher):
    with pytest.raises(ValidationError, match="while a vote is open"):
        consultation_services.representative_add(by=office_user, cycle=voting, staff=teacher)


def test_adopted_freezes_the_revision_and_closes_the_phase(voting, reps, office_user):
    for rep in reps[:2]:
        vote(voting, rep, "for")
    result = consultation_services.vote_close(by=office_user, cycle=voting)
    voting.refresh_from_db()
    assert result.result == Vote.Result.ADOPTED
    assert (result.representatives, result.votes_for, result.turnout) == (3, 2, 2)
    assert voting.adopted_revision == result.revision
    assert phase(voting, VOTE).state == PhaseState.CLOSED
    with pytest.raises(ValidationError, match="adopted and is frozen"):
        plan_services.plan_revise(by=office_user, cycle=voting, text="改")
    assert cycle_selectors.phase_open_check(phase(voting, INTENTIONS)) is None


def test_a_rejected_plan_goes_back_to_phase_1_with_its_history(voting, reps, office_user):
    vote(voting, reps[0], "against")
    vote(voting, reps[1], "against")
    result = consultation_services.vote_close(by=office_user, cycle=voting)
    assert result.result == Vote.Result.REJECTED
    states = {p.number: p.state for p in voting.phases.all()}
    assert states[DRAFT] == PhaseState.OPEN
    assert {states[n] for n in (REVIEW, OPINIONS, VOTE)} == {PhaseState.NOT_STARTED}
    voting.refresh_from_db()
    assert voting.adopted_revision is None
    assert Ballot.objects.count() == 2 and Vote.objects.get().closed_at is not None
    revised = plan_services.plan_revise(by=office_user, cycle=voting, text=TEXT + "修改")
    assert revised.number == 2


# The congress rule at its edges: turnout ≥ 2/3 of all, and for > 1/2 of all.
@pytest.mark.parametrize(
    ("reps", "for_", "against", "abstain", "result"),
    [
        (6, 4, 0, 0, "adopted"),  # turnout 4/6 = 2/3 exactly, for 4 > 3
        (6, 3, 1, 0, "rejected"),  # for 3 = half, not more
        (9, 5, 0, 0, "rejected"),  # for 5 > 4.5 but turnout 5 < 6
        (9, 5, 1, 0, "adopted"),  # turnout 6 = 2/3 exactly
        (9, 4, 0, 5, "rejected"),  # full turnout, for 4 < 4.5
        (3, 2, 0, 0, "adopted"),
        (4, 2, 1, 0, "rejected"),  # for 2 = half of 4
    ],
)
def test_the_adoption_rule_at_its_edges(drafted, office_user, school, reps, for_, against,
                                        abstain, result):
    people = [person(school, f"r{i}") for i in range(reps)]
    for rep in people:
        consultation_services.representative_add(by=office_user, cycle=drafted, staff=rep)
    run(drafted, office_user, DRAFT, REVIEW, OPINIONS)
    cycle_services.phase_open(by=office_user, phase=phase(drafted, VOTE))
    choices = ["for"] * for_ + ["against"] * against + ["abstain"] * abstain
    for rep, choice in zip(people, choices, strict=False):
        vote(drafted, rep, choice)
    assert consultation_services.vote_close(by=office_user, cycle=drafted).result == result


# --- the report ----------------------------------------------------------------------


def test_cycle_report_lists_phases_and_votes(voting, reps, office_user, tmp_path):
    import io

    from django.core.management import call_command
    from openpyxl import load_workbook

    vote(voting, reps[0], "for")
    out = tmp_path / "report.xlsx"
    call_command("cycle_report", "--export", str(out))
    book = load_workbook(io.BytesIO(out.read_bytes()))
    phases = [[c.value for c in row] for row in book["环节"].iter_rows()]
    assert phases[0] == ["序号", "步骤", "环节", "开始", "截止", "状态"]
    assert phases[1][:3] == [1, "制定科学合理方案", "充分酝酿、拟定草案"]
    assert [row[5] for row in phases[1:5]] == ["已结束", "已结束", "已结束", "进行中"]
    assert phases[5][5] == "未开始"
    votes = [[c.value for c in row] for row in book["表决"].iter_rows()]
    assert votes[1] == [1, 1, 3, 1, None, None, None, "表决中"]
    vote(voting, reps[1], "for")
    consultation_services.vote_close(by=office_user, cycle=voting)
    call_command("cycle_report", "--year", "2026", "--export", str(out))
    votes = [[c.value for c in row] for row in load_workbook(out)["表决"].iter_rows()]
    assert votes[1] == [1, 1, 3, 2, 2, 0, 0, "通过"]


def test_the_dashboard_lists_who_is_awaited(voting, reps, office_user, school, other_school):

    vote(voting, reps[0], "for")
    board = cycle_selectors.dashboard(voting)
    assert {r.staff for r in board.reps_not_voted} == {reps[1], reps[2]}
    assert set(board.schools_not_reported) == {school, other_school}
    assert board.phases[VOTE - 1].close_refusal is not None
    assert board.phases[INTENTIONS - 1].open_refusal is not None
