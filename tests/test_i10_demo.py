"""Issue 10, item 19: ``seed_demo --stage`` lets a newcomer try every part — the open
phase holds today, the earlier ones lie before it, vice principals past their term give
the R4 page work; the same stage again changes nothing, another stage is refused."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import F

from attendance import workflow as attendance_workflow
from attendance.models import (
    AttendanceRecord,
    AttendanceStatus,
    Contract,
    ContractCopy,
    LeaveRequest,
)
from attendance.selectors import days as days_selectors
from recruitment import demo, workflow
from recruitment.models import Cycle, Hire, HireSource, Intention, PhaseState, Vote
from recruitment.phases import CONTRACTS, DRAFT, INTENTIONS, SELECTION, UNHIRED, VOTE
from recruitment.selectors import selection as selection_selectors
from recruitment.selectors import unhired as unhired_selectors
from schools.models import Assignment, AssignmentKind, Staff
from staffing.models import Publication

from .helpers import row_counts

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def states(cycle) -> dict[int, str]:
    return {p.number: p.state for p in cycle.phases.all()}


def assert_today_inside(cycle, number):
    """Today lies in the open phase's window; every earlier phase ends by its start."""
    today = workflow.today()
    phases = {p.number: p for p in cycle.phases.all()}
    opened = phases[number]
    assert opened.state == PhaseState.OPEN
    assert opened.start_date <= today <= opened.deadline
    for earlier in range(1, number):
        assert phases[earlier].state == PhaseState.CLOSED
        assert phases[earlier].deadline <= opened.start_date


def test_the_stages_are_the_settings_stages():
    assert list(demo.STAGES) == settings.DEMO_SEED_STAGES
    assert settings.DEMO_SEED_STAGES[settings.DEMO_SEED_DEFAULT] == demo.DEFAULT_STAGE


def test_stage_plan_leaves_the_draft_open():
    seed("--stage", "plan")

    cycle = Cycle.objects.get()
    assert states(cycle)[DRAFT] == PhaseState.OPEN and cycle.revisions.count() == 1
    assert cycle.phases.get(number=DRAFT).start_date == workflow.today()


def test_stage_vote_leaves_the_congress_voting():
    seed("--stage", "vote")

    cycle = Cycle.objects.get()
    assert_today_inside(cycle, VOTE)
    vote = Vote.objects.get()
    assert vote.closed_at is None and vote.ballots.count() == 10
    assert cycle.adopted_revision is None


def test_stage_intentions_opens_phase_5_with_some_intentions_and_vices_to_assess():
    seed("--stage", "intentions")

    cycle = Cycle.objects.get()
    assert_today_inside(cycle, INTENTIONS)
    assert states(cycle)[SELECTION] == PhaseState.NOT_STARTED
    intentions = Intention.objects.filter(cycle=cycle)
    assert 100 < intentions.count() < 250
    assert not intentions.filter(staff__user__username__startswith="teacher").exists()
    assert selection_selectors.vices_due(cycle).count() >= 3


def test_stage_selection_has_today_inside_the_selection():
    seed("--stage", "selection")

    assert_today_inside(Cycle.objects.get(), SELECTION)


def test_the_default_stage_is_the_term_two_weeks_in_with_nobody_unhired():
    seed()

    cycle = Cycle.objects.get()
    phases = {p.number: p for p in cycle.phases.all()}
    assert [phases[n].state for n in range(1, 11)] == [PhaseState.CLOSED] * 7 + [
        PhaseState.OPEN] * 3
    assert phases[CONTRACTS].start_date == workflow.today() - timedelta(days=demo.TERM_DAYS_AGO)
    assert all(phases[n].deadline < phases[CONTRACTS].start_date for n in range(1, 8))
    assert not unhired_selectors.unhired(cycle).exists()
    assert Hire.objects.filter(cycle=cycle, source=HireSource.TRAINING).count() > 50
    # Two weeks of the term recorded for everyone, with some exceptions, and leave waiting.
    staff = Staff.objects.count()
    days = days_selectors.working_days(cycle.township, phases[CONTRACTS].start_date,
                                       phases[CONTRACTS].start_date + timedelta(days=13))
    assert len(days) >= 9
    assert AttendanceRecord.objects.filter(date__in=days).count() == staff * len(days)
    assert AttendanceRecord.objects.exclude(status=AttendanceStatus.PRESENT).exists()
    assert LeaveRequest.objects.filter(status=LeaveRequest.Status.PENDING).count() >= 2
    # The schools' weeks published to their staff, the last one not yet everywhere.
    weeks = Publication.objects.filter(kind=attendance_workflow.WEEK_PUBLICATION)
    assert weeks.values("school_id").distinct().count() == cycle.township.schools.count()
    assert weeks.count() < cycle.township.schools.count() * weeks.values("key").distinct().count()
    # Every hire's contract drawn up, some copies signed and filed, some not.
    assert Contract.objects.filter(cycle=cycle).count() == Hire.objects.filter(cycle=cycle).count()
    copies = ContractCopy.objects.filter(contract__cycle=cycle)
    assert copies.filter(signed_at__isnull=False).exists()
    assert copies.filter(signed_at__isnull=True).exists()
    assert copies.filter(filed_at__isnull=False).exists()
    # closing phase 7 put the outcome into effect from the term's first day
    current = Assignment.objects.filter(end_date__isnull=True)
    assert current.count() == Staff.objects.count()
    assert set(current.values_list("start_date", flat=True)) == {phases[CONTRACTS].start_date}
    assert current.filter(kind=AssignmentKind.SUPPORT).exists()
    assert not current.exclude(school_id=F("staff__school_id")).exists()
    assert 0 < sum(a.moved for a in current) < current.count()


def test_stage_outcome_has_hires_the_unhired_and_phase_7_open():
    seed("--stage", "outcome")

    cycle = Cycle.objects.get()
    assert_today_inside(cycle, UNHIRED)
    assert Hire.objects.filter(cycle=cycle).count() > 50
    assert unhired_selectors.unhired(cycle).exists()
    with pytest.raises(CommandError, match="already at stage outcome"):
        seed("--stage", "selection")


def test_the_same_stage_again_changes_nothing_and_another_is_refused():
    seed("--stage", "intentions")
    before = row_counts()

    seed("--stage", "intentions")
    seed()  # no stage: an existing demo is left as it is
    with pytest.raises(CommandError) as refused:
        seed("--stage", "selection")

    assert row_counts() == before
    assert "already at stage intentions" in str(refused.value)
    assert "--stage selection" in str(refused.value)
