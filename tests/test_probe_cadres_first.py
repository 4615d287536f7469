"""Issue 8, item 12: while a school's middle-level cadre proposals await the office, no
way into one of its seats is open — the committee's confirm, a school confirming the
office's proposal, the placement of a trainee — and each says the same reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recruitment import rules
from recruitment.models import Hire, Proposal
from recruitment.phases import INTENTIONS, SELECTION
from recruitment.selectors import selection as selection_selectors
from recruitment.services import allocation as allocation_services
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services

from .factories import StaffFactory, UserFactory, adopted_cycle
from .helpers import close_phase, open_phase

pytestmark = pytest.mark.usefixtures("english")


def _post(n, kind="teaching"):
    if kind == "teaching":
        return rules.PostFields(number=n, kind=kind, grade_class="三年级", subject="语文",
                              weekly_lessons=12)
    return rules.PostFields(number=n, kind=kind, duties="实验室管理")


@pytest.fixture
def pending_cadre(office_user, principal_user, township, school, other_school, teacher):
    """School S: its own teacher hired and proposed as a cadre (awaiting the office); a
    teacher of another school allocated to S's other post by the office (a proposal
    awaiting S's answer)."""
    cycle = adopted_cycle(office=office_user, township=township)
    posts = [posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=f)
             for f in (_post(1), _post(2, "auxiliary"), _post(3))]
    posts_services.posts_publish(by=office_user, cycle=cycle, school=school)
    outsider = StaffFactory(school=other_school, user=UserFactory(username="outsider"))
    posts_services.intention_submit(by=teacher.user, cycle=cycle,
                         choices=[rules.Choice(school, posts[0], [posts[1]])])
    posts_services.intention_submit(by=outsider.user, cycle=cycle,
                         choices=[rules.Choice(school, posts[2], [posts[1]])])
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    for post, person in ((posts[0], teacher), (posts[2], outsider)):
        selection_services.ranking_record(by=principal_user, post=post, staff=person, rank=1,
                           decision="hire")
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)
    run = allocation_services.allocation_preview(by=office_user, cycle=cycle, own_staff_first=False)
    allocation_services.allocation_send(by=office_user, run=run)
    proposal = Proposal.objects.get(run=run)
    assert (proposal.staff, proposal.post) == (outsider, posts[2])
    selection_services.cadre_propose(
        by=principal_user, cycle=cycle, staff=teacher, title="教导主任"
    )
    return cycle, proposal


def test_confirming_a_proposal_waits_for_the_cadres_like_the_committee(pending_cadre,
                                                                       principal_user,
                                                                       school):
    cycle, proposal = pending_cadre
    reason = selection_selectors.cadre_refusal(cycle, school)
    assert reason is not None
    with pytest.raises(ValidationError) as refused:
        allocation_services.proposal_decide(by=principal_user, proposal=proposal, confirm=True)
    assert refused.value.messages == [reason]
    assert not Hire.objects.filter(staff=proposal.staff).exists()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.PROPOSED


def test_the_proposals_page_says_why(pending_cadre, principal_user, login, english_pages):
    cycle, proposal = pending_cadre
    client = login(principal_user)
    answer = client.post(
        reverse("recruitment:proposal_decide", args=[cycle.pk, proposal.pk]),
        {"decision": "confirm", "reason": ""}, follow=True)
    assert "waiting for the office&#x27;s approval" in answer.text
    assert not Hire.objects.filter(staff=proposal.staff).exists()


def test_once_the_office_decides_the_proposal_is_confirmed(pending_cadre, principal_user,
                                                           office_user):
    cycle, proposal = pending_cadre
    cadre = cycle.cadre_proposals.get()
    selection_services.cadre_decide(by=office_user, proposal=cadre, approve=True)
    allocation_services.proposal_decide(by=principal_user, proposal=proposal, confirm=True)
    assert Hire.objects.get(staff=proposal.staff).post == proposal.post
