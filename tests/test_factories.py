"""The factories arrange what the services would have left: a world built by a factory
must be one the services accept as theirs."""

import pytest

from recruitment.models import PhaseState, Vote
from recruitment.phases import DRAFT, INTENTIONS, OPINIONS, REVIEW, VOTE
from recruitment.selectors import common as common_selectors
from recruitment.selectors import cycle as cycle_selectors
from recruitment.selectors import plan as plan_selectors
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from schools.models import Role

from .factories import (
    HireFactory,
    PostFactory,
    SchoolFactory,
    StaffFactory,
    TownshipFactory,
    UserFactory,
    adopted_cycle,
    applied,
    membership,
)
from .helpers import close_phase, open_phase

pytestmark = pytest.mark.usefixtures("english")


def adopted_through_the_services(*, office, township, first_step, quotas, settings):
    """Phases 1–4 as the office and the congress go through them."""
    cycle = cycle_services.cycle_create(by=office, township=township, school_year=2026)
    open_phase(cycle, office, DRAFT)
    plan_services.plan_revise(by=office, cycle=cycle, text="方案\n一、岗位设置\n先定岗位。\n",
                         settings=settings,
                         schools=[(s, quotas.get(s.pk, 10), s in first_step)
                                  for s in township.schools.all()])
    close_phase(cycle, office, DRAFT)
    for number in (REVIEW, OPINIONS):
        open_phase(cycle, office, number)
        close_phase(cycle, office, number)
    voter = StaffFactory(school=township.schools.first(), user=UserFactory())
    consultation_services.representative_add(by=office, cycle=cycle, staff=voter)
    open_phase(cycle, office, VOTE)
    consultation_services.vote_cast(by=voter.user, cycle=cycle, choice="for")
    consultation_services.vote_close(by=office, cycle=cycle)
    open_phase(cycle, office, INTENTIONS)
    cycle.refresh_from_db()
    return cycle


def state_of(cycle):
    """What the later phases read of phases 1–4."""
    plan = cycle.adopted_revision
    vote = cycle.votes.get()
    return {
        "phases": list(
            cycle.phases.order_by("number").values_list("number", "state", "start_date", "deadline")
        ),
        "plan": (
            plan.number,
            plan.text,
            plan.teaching_load_threshold,
            plan.own_share_num,
            plan.own_share_den,
            plan.max_applications,
            plan.training_pass_mark,
            plan.created_by,
        ),
        "schools": sorted(
            (s.school.name, s.post_count, s.first_step)
            for s in plan.schools.select_related("school")
        ),
        "vote": (
            vote.revision == plan,
            vote.result,
            vote.representatives,
            vote.votes_for,
            vote.turnout,
            vote.closed_at is not None,
            vote.ballots.count(),
        ),
        "representatives": cycle.representatives.count(),
        "may_revise": plan_selectors.plan_revise_check(cycle),
        "phase_6_refusal": cycle_selectors.phase_open_check(common_selectors.phase_of(cycle, 6)),
        "phase_5_close_refusal": cycle_selectors.phase_close_check(
            common_selectors.phase_of(cycle, 5)
        ),
    }


def test_adopted_cycle_leaves_what_phases_1_to_4_leave_through_the_services(office_user):
    towns = []
    for name in ("服务镇", "工厂镇"):
        township = TownshipFactory(name=name)
        membership(office_user, Role.TOWNSHIP_OFFICE, township)
        centre, other = (SchoolFactory(township=township, name=n) for n in ("中心", "完小"))
        towns.append((township, centre, other))
    options = {"settings": {"training_pass_mark": 70, "max_applications": 2}}

    (township, centre, other), (factory_town, factory_centre, factory_other) = towns
    served = adopted_through_the_services(office=office_user, township=township,
                                          first_step=[centre], quotas={other.pk: 4}, **options)
    made = adopted_cycle(office=office_user, township=factory_town, first_step=[factory_centre],
                         quotas={factory_other.pk: 4}, **options)

    assert state_of(made) == state_of(served)
    assert state_of(made)["vote"][1] == Vote.Result.ADOPTED
    assert [p.state for p in made.phases.order_by("number")][:5] == [
        PhaseState.CLOSED] * 4 + [PhaseState.OPEN]


def test_the_step_2_factories_keep_to_one_township(cycle):
    post = PostFactory(cycle=cycle)
    hire = HireFactory(post=post)
    intention = applied(cycle, StaffFactory(school=post.school), post.school, post)

    assert post.school.township == cycle.township
    assert (hire.cycle, hire.staff.school) == (cycle, post.school)
    assert intention.applications.get().teaching_post == post
