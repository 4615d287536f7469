"""Issue 10, "rules the product lets through": the two-step order on every way to a hire
(item 1), R3 and the appointed heads (item 2), one-of-a-kind positions (item 4), an
allocation with nothing to go on (item 6)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recruitment.models import CadreProposal, Hire, HireSource, PhaseState, Proposal
from recruitment.phases import DRAFT, SELECTION, UNHIRED
from recruitment.selectors import common as common_selectors
from recruitment.selectors import outcome as outcome_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import allocation as allocation_services
from recruitment.services import plan as plan_services
from recruitment.services import selection as selection_services
from recruitment.services import unhired as unhired_services
from schools import services as school_services
from schools.models import Position

from .factories import CadreProposalFactory, ProposalFactory, adopted_cycle
from .helpers import (
    apply,
    auxiliary,
    close_phase,
    messages_of,
    open_phase,
    person,
    published,
    school_url,
    section,
    teaching,
    text,
    to_selection,
    url,
)

pytestmark = pytest.mark.usefixtures("english")


# --- item 1: the centres' layer first, whichever way the hire comes ------------------------


@pytest.fixture
def layer_one(office_user, principal_user, township, centre, school, other_school):
    """Phase 6 open, the centres' layer still open. 夏庄完小 (``school``, not a centre)
    has two teaching posts and a duty; 青年丙 of 东张完小 applied for post 1 and its
    committee would hire them; 本校戊 of 夏庄完小 applied for post 2, which the committee
    would also hire (``cycle.own_applicant``)."""
    cycle = adopted_cycle(office=office_user, township=township, first_step=(centre,))
    posts = published(cycle, office_user, principal_user, school, teaching(1), teaching(2),
                      auxiliary(3, seats=3))
    mover = person(other_school, "青年丙")
    apply(mover, cycle, school, posts[0], posts[2])
    own = person(school, "本校戊")
    apply(own, cycle, school, posts[1], posts[2])
    to_selection(cycle, office_user)
    for post, staff in ((posts[0], mover), (posts[1], own)):
        selection_services.ranking_record(by=principal_user, post=post, staff=staff, rank=1,
                                          decision="hire")
    cycle.own_applicant = own
    return cycle, posts, mover


def _layer_reason(cycle, school):
    reason = selection_selectors.layer_refusal(cycle, school)
    assert reason is not None
    return reason


def test_the_committee_confirm_waits_for_the_centres(layer_one, principal_user, school):
    cycle, posts, _ = layer_one
    own = cycle.own_applicant
    with pytest.raises(ValidationError) as refused:
        selection_services.hire_confirm(by=principal_user, post=posts[1], staff=own)
    assert refused.value.messages == [_layer_reason(cycle, school)]
    assert not Hire.objects.filter(staff=own).exists()


def test_an_allocated_proposal_is_not_confirmed_during_layer_one(layer_one, office_user,
                                                                 principal_user, school):
    cycle, posts, mover = layer_one
    run = allocation_services.allocation_preview(by=office_user, cycle=cycle,
                                                 own_staff_first=False)
    allocation_services.allocation_send(by=office_user, run=run)
    proposal = Proposal.objects.get(run=run, staff=mover)
    assert (proposal.staff, proposal.post) == (mover, posts[0])
    with pytest.raises(ValidationError) as refused:
        allocation_services.proposal_decide(by=principal_user, proposal=proposal, confirm=True)
    assert refused.value.messages == [_layer_reason(cycle, school)]
    assert not Hire.objects.filter(staff=mover).exists()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.PROPOSED


def test_once_the_layer_closes_the_proposal_is_confirmed(layer_one, office_user,
                                                         principal_user):
    cycle, posts, mover = layer_one
    run = allocation_services.allocation_preview(by=office_user, cycle=cycle,
                                                 own_staff_first=False)
    allocation_services.allocation_send(by=office_user, run=run)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    proposal = Proposal.objects.get(run=run, staff=mover)
    allocation_services.proposal_decide(by=principal_user, proposal=proposal, confirm=True)
    assert Hire.objects.get(staff=mover).post == posts[0]


def test_the_dispatch_meeting_does_not_pair_during_layer_one(layer_one, office_user, school,
                                                             other_school):
    cycle, posts, _ = layer_one
    idle = person(other_school, "教师丁")
    with pytest.raises(ValidationError) as refused:
        allocation_services.dispatch_propose(by=office_user, cycle=cycle, staff=idle,
                                             post=posts[1])
    assert refused.value.messages == [_layer_reason(cycle, school)]
    assert not Proposal.objects.filter(staff=idle).exists()


def test_a_dispatch_proposal_made_before_is_not_confirmed_during_layer_one(
        layer_one, office_user, principal_user, school, other_school):
    cycle, posts, _ = layer_one
    proposal = ProposalFactory(post=posts[1], staff=person(other_school, "教师丁"),
                               proposed_by=office_user)
    with pytest.raises(ValidationError) as refused:
        allocation_services.proposal_decide(by=principal_user, proposal=proposal, confirm=True)
    assert refused.value.messages == [_layer_reason(cycle, school)]
    assert not Hire.objects.filter(staff=proposal.staff).exists()


def test_a_trainee_is_not_placed_outside_the_centres_during_layer_one(layer_one, office_user,
                                                                      school, other_school):
    """Phase 7 opens only once phase 6 has closed, so a trainee's placement meets the
    layer in the one way into a seat every placement goes through."""
    cycle, posts, _ = layer_one
    trainee = person(other_school, "教师丁")
    with pytest.raises(ValidationError) as refused:
        selection_services.hire_create(by=office_user, cycle=cycle, staff=trainee,
                                       post=posts[1], source=HireSource.TRAINING, extra=[])
    assert refused.value.messages == [_layer_reason(cycle, school)]
    assert not Hire.objects.filter(staff=trainee).exists()


def test_after_the_selection_a_trainee_is_placed_without_the_layer(layer_one, office_user,
                                                                   school, other_school):
    cycle, posts, mover = layer_one
    trainee = person(other_school, "教师丁")
    close_phase(cycle, office_user, SELECTION)
    open_phase(cycle, office_user, UNHIRED)
    enrolment = unhired_services.training_enrol(by=office_user, cycle=cycle, staff=trainee)
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=90)
    hire = unhired_services.trainee_assign(by=office_user, enrolment=enrolment, post=posts[1])
    assert (hire.staff, hire.post.school) == (trainee, school)
    assert selection_selectors.layer_refusal(cycle, school) is None


# --- item 6: an allocation with nothing to go on --------------------------------------------


@pytest.fixture
def unranked(office_user, principal_user, other_principal, township, school, other_school):
    """Phase 6 open, the centres' layer closed; 青年丙 of 东张完小 applied for 夏庄完小's post
    1, 本校己 of 夏庄完小 for 东张完小's post 1; no committee has ranked anyone."""
    cycle = adopted_cycle(office=office_user, township=township)
    here = published(cycle, office_user, principal_user, school, teaching(1),
                     auxiliary(2, seats=3))
    there = published(cycle, office_user, other_principal, other_school, teaching(1),
                      auxiliary(2, seats=3))
    mover = person(other_school, "青年丙")
    apply(mover, cycle, school, here[0], here[1])
    back = person(school, "本校己")
    apply(back, cycle, other_school, there[0], there[1])
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    return cycle, here, there, mover, back


def test_the_engine_does_not_run_when_no_committee_has_ranked(unranked, office_user):
    cycle, *_ = unranked
    with pytest.raises(ValidationError) as refused:
        allocation_services.allocation_preview(by=office_user, cycle=cycle,
                                               own_staff_first=True)
    assert refused.value.messages == [
        "No committee has ranked the applicants waiting for allocation, so the engine would "
        "place nobody. Committees that have not ranked anyone yet: 东张完小, 夏庄完小."]
    assert not cycle.allocation_runs.exists()


def test_the_allocation_page_says_why_and_disables_the_run(unranked, office_user, login,
                                                            english_pages):
    cycle, *_ = unranked
    page = login(office_user).get(url("allocation", cycle))
    assert 'name="run" disabled' in page.text
    assert "Committees that have not ranked anyone yet: 东张完小, 夏庄完小." in page.text


def test_the_engine_runs_with_a_warning_naming_the_committees_not_ranked(
        unranked, office_user, principal_user, login, english_pages):
    cycle, here, _, mover, _ = unranked
    selection_services.ranking_record(by=principal_user, post=here[0], staff=mover, rank=1,
                                      decision="hire")
    client = login(office_user)
    page = client.get(url("allocation", cycle))
    assert 'name="run" disabled' not in page.text
    warning = ("1 school's committee has not ranked any applicant yet, so the engine gives "
               "its posts nobody: 东张完小.")
    assert warning in text(page)

    response = client.post(url("allocation", cycle), {"own_staff_first": "on"}, follow=True)
    assert messages_of(response) == [
        "The engine placed 1 of 2 applicants. Review the assignment, then send it to the "
        "schools.", warning]
    assert cycle.allocation_runs.count() == 1


# --- item 4: one 教导主任 per school ---------------------------------------------------------


@pytest.fixture
def hired_two(office_user, principal_user, township, school):
    """Phase 6 open, the layer closed; 本校甲 and 本校乙 hired at 夏庄完小, whose 教导主任
    is 主任丙 (an open position)."""
    cycle = adopted_cycle(office=office_user, township=township)
    posts = published(cycle, office_user, principal_user, school, teaching(1), teaching(2),
                      auxiliary(3, seats=3))
    people = [person(school, "本校甲"), person(school, "本校乙")]
    for post, staff in zip(posts, people, strict=False):
        apply(staff, cycle, school, post, posts[2])
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    for post, staff in zip(posts, people, strict=False):
        selection_services.ranking_record(by=principal_user, post=post, staff=staff, rank=1,
                                          decision="hire")
        selection_services.hire_confirm(by=principal_user, post=post, staff=staff)
    head = person(school, "主任丙")
    school_services.positions_open(by=office_user, holders=[(head, "教导主任")])
    return cycle, people


def test_a_second_head_of_teaching_is_refused_naming_the_holder(hired_two, principal_user,
                                                               school):
    cycle, people = hired_two
    with pytest.raises(ValidationError) as refused:
        selection_services.cadre_propose(by=principal_user, cycle=cycle, staff=people[0],
                                         title="教导主任")
    assert refused.value.messages == [
        "夏庄完小 already has a 教导主任: 主任丙. A school has one 教导主任."]
    assert not CadreProposal.objects.exists()


def test_a_second_proposal_for_one_title_is_refused(hired_two, principal_user):
    cycle, people = hired_two
    selection_services.cadre_propose(by=principal_user, cycle=cycle, staff=people[0],
                                     title="总务主任")
    with pytest.raises(ValidationError) as refused:
        selection_services.cadre_propose(by=principal_user, cycle=cycle, staff=people[1],
                                         title="总务主任")
    assert refused.value.messages == [
        "夏庄完小 already has a 总务主任: 本校甲 (proposed). A school has one 总务主任."]


def test_titles_a_school_has_several_of_are_proposed_twice(hired_two, principal_user):
    cycle, people = hired_two
    for staff in people:
        selection_services.cadre_propose(by=principal_user, cycle=cycle, staff=staff,
                                         title="年级组长")
    assert CadreProposal.objects.filter(title="年级组长").count() == 2


def test_the_office_does_not_approve_a_second_holder(hired_two, office_user, school):
    cycle, people = hired_two
    first, second = (CadreProposalFactory(cycle=cycle, school=school, staff=staff,
                                          title="总务主任") for staff in people)
    selection_services.cadre_decide(by=office_user, proposal=first, approve=True)
    with pytest.raises(ValidationError) as refused:
        selection_services.cadre_decide(by=office_user, proposal=second, approve=True)
    assert refused.value.messages == [
        "夏庄完小 already has a 总务主任: 本校甲. A school has one 总务主任."]
    assert CadreProposal.objects.get(pk=second.pk).status == CadreProposal.Status.PROPOSED
    assert not Position.objects.filter(staff=people[1], end_date__isnull=True).exists()


def test_the_committee_page_shows_the_refusal(hired_two, principal_user, school, login,
                                              english_pages):
    cycle, people = hired_two
    response = login(principal_user).post(
        school_url(cycle, school, "selection_cadre_propose"),
        {"staff": people[0].pk, "title": "教导主任"}, follow=True)
    assert messages_of(response) == [
        "夏庄完小 already has a 教导主任: 主任丙. A school has one 教导主任."]


# --- item 2: R3 spares the appointed heads; the close lists who loses a position -----------


@pytest.fixture
def leaders(office_user, principal_user, township, school):
    """Phase 6 open at 夏庄完小: its 校长 (``principal_user``'s staff record) and 书记 take no
    part in the selection; its 副校长 applied and is not hired; its 教导主任 is hired."""
    cycle = adopted_cycle(office=office_user, township=township)
    posts = published(cycle, office_user, principal_user, school, teaching(1), teaching(2),
                      auxiliary(3, seats=3))
    head = principal_user.staff_profile
    secretary, vice, dean = (person(school, name) for name in ("书记甲", "副校长乙", "主任丙"))
    school_services.positions_open(by=office_user, holders=[
        (head, "校长"), (secretary, "书记"), (vice, "副校长"), (dean, "教导主任")])
    apply(vice, cycle, school, posts[0], posts[2])
    apply(dean, cycle, school, posts[1], posts[2])
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    selection_services.ranking_record(by=principal_user, post=posts[1], staff=dean, rank=1,
                                      decision="hire")
    selection_services.hire_confirm(by=principal_user, post=posts[1], staff=dean)
    return cycle, {"head": head, "secretary": secretary, "vice": vice, "dean": dean}


def _open_titles(staff):
    return list(Position.objects.filter(staff=staff, end_date__isnull=True)
                .values_list("title", flat=True))


def test_r3_ends_the_vice_principal_but_not_the_appointed_heads(leaders, office_user):
    cycle, people = leaders
    assert [p.staff for p in selection_selectors.positions_to_end(cycle)] == [people["vice"]]
    close_phase(cycle, office_user, SELECTION)
    assert _open_titles(people["head"]) == ["校长"]
    assert _open_titles(people["secretary"]) == ["书记"]
    assert _open_titles(people["dean"]) == ["教导主任"]
    assert _open_titles(people["vice"]) == []


def test_the_appointed_heads_are_not_unhired_and_count_as_appointed(leaders, office_user,
                                                                    school):
    cycle, people = leaders
    close_phase(cycle, office_user, SELECTION)
    unhired = set(unhired_selectors.unhired(cycle))
    assert people["vice"] in unhired
    assert not {people["head"], people["secretary"]} & unhired
    row = next(r for r in outcome_selectors.outcome(cycle).schools if r.school == school)
    assert (row.appointed, row.unhired) == (2, len(unhired))
    sheets = outcome_selectors.outcome_sheets(outcome_selectors.outcome(cycle))
    people_rows = {row[0]: row for row in next(s for s in sheets if s.name == "人员").rows}
    assert people_rows["书记甲"][-2:] == ["书记", "任命"]
    assert people_rows["校长甲"][-2:] == ["校长", "任命"]


def test_a_principal_sees_their_result_as_appointed(leaders, principal_user, login,
                                                    english_pages):
    cycle, _ = leaders
    page = login(principal_user).get(url("my_result", cycle))
    assert "Appointed: 校长 of 夏庄完小" in text(page)
    assert "Not hired yet" not in text(page)


def test_the_dashboard_lists_who_loses_a_position_before_phase_6_closes(leaders, office_user,
                                                                        login, english_pages):
    cycle, _ = leaders
    page = login(office_user).get(reverse("recruitment:dashboard", args=[cycle.pk]))
    ending = section(page, "positions-ending")
    assert "副校长乙" in ending and "副校长" in ending
    assert "校长甲" not in ending and "书记甲" not in ending and "主任丙" not in ending


def test_closing_phase_6_asks_for_confirmation_with_that_list(leaders, office_user, login,
                                                              english_pages):
    cycle, people = leaders
    client = login(office_user)
    close_url = reverse("recruitment:phase_close", args=[cycle.pk, SELECTION])
    dashboard = client.get(reverse("recruitment:dashboard", args=[cycle.pk]))
    assert f'<form method="get" action="{close_url}">' in dashboard.text

    confirm = client.get(close_url)
    assert confirm.status_code == 200
    listed = section(confirm, "phase-close")
    assert "1 position ends today (R3)" in text(confirm) and "副校长乙" in listed
    assert "校长甲" not in listed
    assert 'name="confirm"' in listed
    assert common_selectors.phase_of(cycle, SELECTION).state == PhaseState.OPEN
    assert _open_titles(people["vice"]) == ["副校长"]

    closed = client.post(close_url, {"confirm": ""}, follow=True)
    assert messages_of(closed) == [
        "Phase 6 (Two-way selection) is closed.",
        "1 leadership position ended: its holder is not hired at their own unit (R3)."]
    assert _open_titles(people["vice"]) == []


def test_every_phase_close_asks_for_confirmation(office_user, login, english_pages, cycle):
    client = login(office_user)
    open_phase(cycle, office_user, DRAFT)
    close_url = reverse("recruitment:phase_close", args=[cycle.pk, DRAFT])
    refused = client.get(close_url)
    assert "Save a first draft of the plan before closing this phase." in text(refused)
    assert 'name="confirm"' not in refused.text
    plan_services.plan_revise(by=office_user, cycle=cycle, text="方案\n一、总则\n公开。\n")
    confirm = client.get(close_url)
    assert "the collective review (phase 2) can open" in text(confirm)
    assert 'name="confirm"' in confirm.text
    assert common_selectors.phase_of(cycle, DRAFT).state == PhaseState.OPEN
