"""Issue 8, item 11: a phase's deadline stops the participants' submissions (review
comments, opinions and their reports, ballots, intentions) the day after it; the
office's own work goes on until it closes the phase, and extending the deadline lets
the submissions in again. One rule: ``workflow.submission_refusal``."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from recruitment import rules
from recruitment.models import Intention, PhaseState, StaffOpinion
from recruitment.phases import DRAFT, INTENTIONS, OPINIONS, REVIEW, SELECTION, VOTE
from recruitment.selectors import common as common_selectors
from recruitment.selectors import consultation as consultation_selectors
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from recruitment.services import posts as posts_services

from .factories import StaffFactory, UserFactory, adopted_cycle
from .helpers import TEXT, close_phase, open_phase

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def on_day(monkeypatch):
    """on_day(d): from now on the deadlines are read against ``d``."""

    def _pin(day):
        monkeypatch.setattr("recruitment.workflow.today", lambda: day)

    return _pin


def deadline_of(cycle, number):
    return common_selectors.phase_of(cycle, number).deadline


@pytest.fixture
def intentions(office_user, principal_user, township, school):
    cycle = adopted_cycle(office=office_user, township=township)
    posts = [posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=f)
             for f in (rules.PostFields(number=1, kind="teaching", grade_class="三年级",
                                      subject="语文", weekly_lessons=12),
                       rules.PostFields(number=2, kind="auxiliary", duties="实验室管理"))]
    posts_services.posts_publish(by=office_user, cycle=cycle, school=school)
    return cycle, [rules.Choice(school, posts[0], [posts[1]])]


def test_an_intention_is_accepted_on_the_deadline_day_and_refused_the_day_after(
        intentions, teacher_user, on_day):
    cycle, choices = intentions
    deadline = deadline_of(cycle, INTENTIONS)
    on_day(deadline)
    assert posts_services.intention_submit(by=teacher_user, cycle=cycle, choices=choices)
    on_day(deadline + timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        posts_services.intention_submit(by=teacher_user, cycle=cycle, choices=choices)
    assert refused.value.messages == [
        f"The deadline of phase 5 (Study the plan, submit intentions) was "
        f"{deadline.isoformat()}; the office can extend it."]
    assert Intention.objects.get().history.count() == 1


def test_the_intention_page_says_so_and_saves_nothing(intentions, teacher_user, login,
                                                      english_pages, on_day):
    cycle, choices = intentions
    on_day(deadline_of(cycle, INTENTIONS) + timedelta(days=1))
    client = login(teacher_user)
    url = reverse("recruitment:intention", args=[cycle.pk])
    page = client.get(url)
    assert "the office can extend it" in page.text
    [choice] = choices
    school = choice.school
    answer = client.post(url, {"choice-1-school": school.pk, "choice-1-shown": school.pk,
                               "choice-1-teaching": choice.teaching_post.pk,
                               "choice-1-auxiliary": choice.auxiliary_posts[0].pk},
                         follow=True)
    assert "Your intention was not saved" in answer.text
    assert "the office can extend it" in answer.text
    assert not Intention.objects.exists()


def test_the_office_extends_the_deadline_and_closes_the_phase_late(intentions, office_user,
                                                                    teacher_user, on_day):
    cycle, choices = intentions
    phase = common_selectors.phase_of(cycle, INTENTIONS)
    late = phase.deadline + timedelta(days=3)
    on_day(late)
    cycle_services.phase_dates_set(by=office_user, phase=phase, start_date=phase.start_date,
                             deadline=late)
    assert posts_services.intention_submit(by=teacher_user, cycle=cycle, choices=choices)
    on_day(late + timedelta(days=10))
    close_phase(cycle, office_user, INTENTIONS)  # the office's own work goes on
    open_phase(cycle, office_user, SELECTION)
    assert common_selectors.phase_of(cycle, SELECTION).state == PhaseState.OPEN


@pytest.fixture
def consulting(office_user, principal_user, township, school):
    """Phase 2 open on a draft: principals comment."""
    cycle = cycle_services.cycle_create(by=office_user, township=township, school_year=2026)
    open_phase(cycle, office_user, DRAFT)
    plan_services.plan_revise(by=office_user, cycle=cycle, text=TEXT, settings={})
    close_phase(cycle, office_user, DRAFT)
    open_phase(cycle, office_user, REVIEW)
    return cycle


def test_review_comments_stop_at_the_deadline_and_the_office_still_answers(
        consulting, office_user, principal_user, on_day, login, english_pages):
    revision = consulting.revisions.get()
    deadline = deadline_of(consulting, REVIEW)
    on_day(deadline)
    comment = plan_services.review_comment_add(by=principal_user, revision=revision, section=1,
                                          body="意见")
    on_day(deadline + timedelta(days=1))
    with pytest.raises(ValidationError, match="the office can extend it"):
        plan_services.review_comment_add(by=principal_user, revision=revision, section=1,
                                    body="迟到的意见")
    page = login(principal_user).get(reverse("recruitment:review", args=[consulting.pk]))
    assert 'id="deadline-refusal"' in page.text
    plan_services.review_comment_answer(by=office_user, comment=comment, adopted=True, reason="好")
    close_phase(consulting, office_user, REVIEW)


def test_opinions_and_their_report_stop_at_the_deadline(consulting, office_user,
                                                        principal_user, teacher_user,
                                                        school, on_day):
    on_day(deadline_of(consulting, REVIEW))
    close_phase(consulting, office_user, REVIEW)
    open_phase(consulting, office_user, OPINIONS)
    deadline = deadline_of(consulting, OPINIONS)
    on_day(deadline)
    opinion = consultation_services.opinion_submit(by=teacher_user, cycle=consulting, body="意见")
    on_day(deadline + timedelta(days=1))
    with pytest.raises(ValidationError, match="the office can extend it"):
        consultation_services.opinion_submit(by=teacher_user, cycle=consulting, body="迟到")
    assert consultation_selectors.opinions_report_check(consulting, school) is not None
    with pytest.raises(ValidationError, match="the office can extend it"):
        consultation_services.opinions_report(by=principal_user, cycle=consulting, school=school)
    assert StaffOpinion.objects.get() == opinion


def test_a_ballot_after_the_deadline_is_refused_and_the_office_closes_the_vote(
        consulting, office_user, school, on_day):
    for number in (REVIEW, OPINIONS):
        if common_selectors.phase_of(consulting, number).state == PhaseState.NOT_STARTED:
            open_phase(consulting, office_user, number)
        close_phase(consulting, office_user, number)
    reps = [StaffFactory(school=school, user=UserFactory(username=f"rep{i}"))
            for i in range(3)]
    for rep in reps:
        consultation_services.representative_add(by=office_user, cycle=consulting, staff=rep)
    open_phase(consulting, office_user, VOTE)
    deadline = deadline_of(consulting, VOTE)
    on_day(deadline)
    for rep in reps[:2]:
        consultation_services.vote_cast(by=rep.user, cycle=consulting, choice="for")
    on_day(deadline + timedelta(days=1))
    assert "the office can extend it" in consultation_selectors.vote_cast_check(
        reps[2].user, consulting
    )
    with pytest.raises(ValidationError, match="the office can extend it"):
        consultation_services.vote_cast(by=reps[2].user, cycle=consulting, choice="against")
    vote = consultation_services.vote_close(by=office_user, cycle=consulting)
    assert vote.ballots.count() == 2


def test_the_demo_seeds_its_cycle_on_a_day_past_the_seeds_calendar(db, on_day):
    """Run on 1 December (the seeds' calendar of July–August long past), the demo's
    selection stage still opens on a usable phase 6: its calendar puts the day it is
    seeded inside phase 6, the earlier phases before it (issue 10)."""
    day = date(2026, 12, 1)
    on_day(day)
    call_command("seed_demo", "--stage", "selection", stdout=StringIO())
    cycle = Intention.objects.first().cycle
    assert cycle.school_year == 2026
    assert Intention.objects.filter(cycle=cycle).count() > 200
    selection = common_selectors.phase_of(cycle, SELECTION)
    assert selection.state == PhaseState.OPEN and selection.start_date == day
    assert selection.deadline >= day
    assert common_selectors.phase_of(cycle, DRAFT).deadline < day
