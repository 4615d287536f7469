"""The outcome world, shared by the outcome page tests and the ones that need its exports
and charts (resident IDs, the Content-Security-Policy): at 夏庄完小 a teacher of its own is
kept and becomes a middle-level cadre, and a young teacher of 东张完小 moves in through the
office's allocation; 东张完小's vice principal, hired nowhere, loses the position when the
selection closes (R3). A plain module of fixtures, imported by name."""

from datetime import date

import pytest

from recruitment import rules
from recruitment.models import Proposal
from recruitment.phases import INTENTIONS, SELECTION
from recruitment.services import allocation as allocation_services
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services
from schools.models import Position

from .factories import adopted_cycle
from .helpers import apply, close_phase, open_phase, person


@pytest.fixture
def cycle(office_user, township, school, other_school):
    """Phase 5 open; two schools' published ``posts`` (conftest's, as on the allocation
    pages)."""
    return adopted_cycle(office=office_user, township=township)


@pytest.fixture
def people(school, other_school):
    return {
        "keeper": person(school, "本校丁", born=date(1985, 5, 5)),
        "mover": person(other_school, "青年丙", born=date(1999, 3, 1)),
        "vice": person(other_school, "副校长庚", born=date(1970, 1, 1)),
    }


@pytest.fixture
def done(cycle, office_user, principal_user, posts, people, school, other_school):
    """Phase 6 closed with the world of the module docstring."""
    here = posts["here"]
    math = posts_services.post_save(
        by=principal_user,
        cycle=cycle,
        school=school,
        fields=rules.PostFields(
            number=3, kind="teaching", grade_class="五年级", subject="数学", weekly_lessons=12
        ),
    )
    posts_services.posts_publish(by=office_user, cycle=cycle, school=school)
    Position.objects.create(staff=people["vice"], school=other_school, title="副校长",
                            start_date=date(2021, 9, 1))
    apply(people["keeper"], cycle, school, here[0], here[1])
    apply(people["mover"], cycle, school, math, here[1])
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    selection_services.ranking_record(
        by=principal_user, post=here[0], staff=people["keeper"], rank=1, decision="hire"
    )
    selection_services.hire_confirm(by=principal_user, post=here[0], staff=people["keeper"])
    cadre = selection_services.cadre_propose(by=principal_user, cycle=cycle, staff=people["keeper"],
                              title="教导主任")
    selection_services.cadre_decide(by=office_user, proposal=cadre, approve=True)
    selection_services.ranking_record(by=principal_user, post=math, staff=people["mover"], rank=1,
                       decision="hire")
    run = allocation_services.allocation_preview(by=office_user, cycle=cycle, own_staff_first=True)
    allocation_services.allocation_send(by=office_user, run=run)
    allocation_services.proposal_decide(
        by=principal_user, proposal=Proposal.objects.get(staff=people["mover"]), confirm=True
    )
    close_phase(cycle, office_user, SELECTION)
    return cycle
