"""The office's Step-2 pages after the schools' own selection, as each role uses them:
the allocation (run, review with the R5 figures, send), the schools' answers to
proposals, the dispatch meeting, phase 7 (R7), and the phase closes they govern.

The engine and the hires are tested at the service level (test_allocation.py,
test_selection_services.py); here the wiring: who may do what through which page,
every refusal shown with its reason (on the disabled button and, when pressed anyway,
as the message), the messages, the history, and query counts that do not grow."""

from datetime import date

import pytest
from django.urls import reverse

from recruitment import rules
from recruitment.models import (
    AllocationRun,
    Application,
    Hire,
    Intention,
    Post,
    PostKind,
    Proposal,
    Ranking,
    TrainingEnrolment,
    UnhiredReason,
)
from recruitment.phases import SELECTION, UNHIRED
from recruitment.selectors import common as common_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import allocation as allocation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import unhired as unhired_services
from schools.models import Position, Role

from .factories import (
    HireFactory,
    SchoolFactory,
    StaffFactory,
    TownshipFactory,
    UserFactory,
    adopted_cycle,
    membership,
)
from .helpers import at_once, close_phase, messages_of, open_phase, person, url

pytestmark = pytest.mark.usefixtures("english_pages")


# --- the world: phase 6 open, two schools with posts, a cross-school applicant ---------


@pytest.fixture
def cycle(office_user, township, school, other_school):
    """Phase 5 open; the world's ``posts``, ``mover`` and ``selecting`` are conftest's."""
    return adopted_cycle(office=office_user, township=township)


@pytest.fixture
def run(selecting, office_user):
    return allocation_services.allocation_preview(
        by=office_user, cycle=selecting, own_staff_first=True
    )


@pytest.fixture
def proposal(run, office_user, layer_closed):
    allocation_services.allocation_send(by=office_user, run=run)
    return Proposal.objects.get(run=run)


# --- allocation: run the engine, review, send ---------------------------------------------


def test_the_office_runs_the_engine_and_reviews_before_anything_is_sent(login, office_user,
                                                                       selecting, mover,
                                                                       school):
    client = login(office_user)

    page = client.get(url("allocation", selecting))
    response = client.post(url("allocation", selecting), {"own_staff_first": "on"},
                           follow=True)

    assert "Run the engine" in page.text and "No run yet." in page.text
    run = AllocationRun.objects.get()
    assert run.own_staff_first and run.run_by == office_user
    assert response.redirect_chain[-1][0] == url("allocation_run", selecting, run.pk)
    assert messages_of(response) == ["The engine placed 1 of 1 applicants. Review the "
                                     "assignment, then send it to the schools."]
    assert not Proposal.objects.exists()  # nothing reaches the schools yet
    figures = response.text.split(f'id="school-{school.pk}"')[1].split("</tr>")[0]
    # Free seats 4 (post 1, and the 3 of auxiliary post 2), placed 1, own staff 0;
    # establishment 20, hired 0, own staff 0, needed ⌈2/3 × 20⌉ = 14; 0 if confirmed.
    assert [cell.split(">")[1].split("<")[0] for cell in figures.split('class="num')[1:]] == [
        "4", "1", "0", "20", "0", "0", "14", "0 "]
    assert "below R5" in figures
    assert "青年丙" in response.text and "not sent" in response.text
    assert "Send to schools" in response.text and "send-refusal" not in response.text


def test_the_run_list_shows_each_run_and_whether_it_was_sent(login, office_user, run,
                                                             proposal):
    response = login(office_user).get(url("allocation", run.cycle))

    row = response.text.split(f'id="run-{run.pk}"')[1].split("</tr>")[0]
    assert "1 proposal" in row and url("allocation_run", run.cycle, run.pk) in row


def test_sending_makes_the_proposals_and_a_second_send_is_refused(login, office_user, run,
                                                                  mover, posts):
    client = login(office_user)

    first = client.post(url("allocation_send", run.cycle, run.pk), follow=True)
    second = client.post(url("allocation_send", run.cycle, run.pk), follow=True)

    proposal = Proposal.objects.get()
    assert (proposal.run, proposal.staff, proposal.post, proposal.source) == (
        run, mover, posts["here"][0], "allocation")
    assert messages_of(first) == ["1 proposal sent to 1 school(s); each confirms or declines."]
    [refusal] = messages_of(second)
    assert refusal.startswith("This run was sent to the schools on ")
    assert Proposal.objects.count() == 1
    assert refusal in second.text.replace("&#x27;", "'")  # beside the disabled button
    assert 'name="send" disabled' in second.text
    assert "awaiting the school" in second.text


def test_a_stale_run_sends_only_what_is_still_free(login, office_user, run, mover, posts,
                                                   principal_user):
    # Since the run, the school hired someone else to the only seat of post 1.
    rival = person(posts["here"][0].school, "本校丁")
    HireFactory(post=posts["here"][0], staff=rival, confirmed_by=principal_user)

    response = login(office_user).post(url("allocation_send", run.cycle, run.pk), follow=True)

    assert messages_of(response) == [
        "Nothing to send: every applicant this run placed has been hired or proposed since, "
        "or their post has no free seat left. Run the engine again."]
    assert not Proposal.objects.exists()


def test_no_run_without_applicants_waiting(login, office_user, proposal):
    # The only applicant has a proposal waiting: the engine has nobody to place.
    response = login(office_user).post(url("allocation", proposal.cycle),
                                       {"own_staff_first": "on"}, follow=True)

    assert messages_of(response)[0].startswith("No applicant is waiting for allocation")
    assert AllocationRun.objects.count() == 1


def test_the_engine_does_not_run_before_the_selection_opens(login, office_user, cycle):
    client = login(office_user)

    page = client.get(url("allocation", cycle))
    response = client.post(url("allocation", cycle), {}, follow=True)

    reason = "Phase 6 (Two-way selection) has not opened yet."
    assert reason in page.text and 'name="run" disabled' in page.text
    assert messages_of(response) == [reason]
    assert not AllocationRun.objects.exists()


@pytest.mark.parametrize("who", ["principal_user", "liaison_user", "teacher_user"])
def test_only_the_office_allocates(request, login, run, who):
    client = login(request.getfixturevalue(who))

    assert client.get(url("allocation", run.cycle)).status_code == 403
    assert client.post(url("allocation", run.cycle), {"own_staff_first": "on"}).status_code == 403
    assert client.get(url("allocation_run", run.cycle, run.pk)).status_code == 403
    assert client.post(url("allocation_send", run.cycle, run.pk)).status_code == 403
    assert AllocationRun.objects.count() == 1 and not Proposal.objects.exists()


def test_another_township_finds_neither_the_cycle_nor_its_runs(login, foreign_office, run,
                                                               office_user, foreign_school):
    assert login(foreign_office).get(url("allocation", run.cycle)).status_code == 404
    # A run of another cycle is not found inside this one.
    other = cycle_services.cycle_create(by=foreign_office, township=foreign_school.township,
                                  school_year=2026)
    response = login(office_user).get(url("allocation_run", run.cycle, run.pk))
    assert response.status_code == 200
    assert login(foreign_office).get(url("allocation_run", other, run.pk)).status_code == 404


# --- proposals: the school answers (R6) --------------------------------------------------


def test_the_principal_confirms_and_the_person_is_hired(login, principal_user, proposal,
                                                       mover, posts):
    client = login(principal_user)

    inbox = client.get(url("proposals", proposal.cycle))
    response = client.post(url("proposal_decide", proposal.cycle, proposal.pk),
                           {"decision": "confirm"}, follow=True)

    assert "青年丙" in inbox.text and "Confirm: hire" in inbox.text
    assert messages_of(response) == ["青年丙 is hired to post 1 at 夏庄完小."]
    hire = Hire.objects.get(staff=mover)
    assert (hire.post, hire.source, hire.confirmed_by) == (posts["here"][0], "allocation",
                                                           principal_user)
    assert list(hire.extra_posts.all()) == [posts["here"][1]]
    proposal.refresh_from_db()
    assert proposal.status == "confirmed"
    assert "Confirm: hire" not in response.text  # answered once


def test_a_decline_needs_a_reason_which_the_office_sees(login, principal_user, office_user,
                                                        proposal):
    client = login(principal_user)

    refused = client.post(url("proposal_decide", proposal.cycle, proposal.pk),
                          {"decision": "decline", "reason": "  "}, follow=True)
    declined = client.post(url("proposal_decide", proposal.cycle, proposal.pk),
                           {"decision": "decline", "reason": "本校语文岗已满"}, follow=True)
    again = client.post(url("proposal_decide", proposal.cycle, proposal.pk),
                        {"decision": "confirm"}, follow=True)

    assert messages_of(refused) == ["Give a reason for declining."]
    assert messages_of(declined) == ["You declined 青年丙 for post 1; the office sees your "
                                     "reason."]
    assert messages_of(again) == ["This proposal was already answered."]
    assert not Hire.objects.exists()
    office_page = login(office_user).get(url("proposals", proposal.cycle) + "?status=declined")
    item = office_page.text.split(f'id="proposal-{proposal.pk}"')[1].split("</li>")[0]
    assert "declined" in item and "本校语文岗已满" in item
    detail = login(office_user).get(url("proposal", proposal.cycle, proposal.pk))
    history = detail.text.split('class="history"')[1]
    assert "校长甲" in history and "本校语文岗已满" in history
    assert "sent from an allocation run" in history


@pytest.mark.parametrize("who", ["office_user", "liaison_user", "other_principal",
                                 "teacher_user"])
def test_only_the_principal_of_the_posts_school_answers(request, login, proposal, who):
    client = login(request.getfixturevalue(who))

    response = client.post(url("proposal_decide", proposal.cycle, proposal.pk),
                           {"decision": "confirm"})

    assert response.status_code == 403
    assert not Hire.objects.exists()


def test_who_sees_which_proposals(login, proposal, liaison_user, other_principal,
                                  teacher_user, office_user):
    assert "青年丙" in login(liaison_user).get(url("proposals", proposal.cycle)).text
    liaison_detail = login(liaison_user).get(url("proposal", proposal.cycle, proposal.pk))
    assert liaison_detail.status_code == 200 and "Confirm: hire" not in liaison_detail.text
    # The other school's principal leads no school the proposal is for.
    assert "青年丙" not in login(other_principal).get(url("proposals", proposal.cycle)).text
    assert login(other_principal).get(
        url("proposal", proposal.cycle, proposal.pk)).status_code == 403
    assert login(teacher_user).get(url("proposals", proposal.cycle)).status_code == 403
    assert login(office_user).get(url("proposal", proposal.cycle, 999999)).status_code == 404


# --- the dispatch meeting ---------------------------------------------------------------


@pytest.fixture
def idle(school):
    return person(school, "待岗戊")


def test_the_dispatch_lists_short_schools_remote_first_beside_the_unhired(
        login, office_user, selecting, idle, township, posts):
    remote = SchoolFactory(township=township, name="北赵完小", remote=True, establishment=5)

    response = login(office_user).get(url("dispatch", selecting))

    short = response.text.split('id="short"')[1].split("</section>")[0]
    assert short.index("北赵完小") < short.index("东张完小") < short.index("夏庄完小")
    assert f'id="short-{remote.pk}"' in short
    unhired = response.text.split('id="unhired"')[1].split("</section>")[0]
    assert "待岗戊" in unhired and "青年丙" in unhired
    pair = response.text.split('id="pair"')[1].split("</section>")[0]
    assert f'value="{posts["here"][0].pk}"' in pair and f'value="{idle.pk}"' in pair


def test_the_office_pairs_and_the_school_answers(login, office_user, principal_user, selecting,
                                                 idle, posts, layer_closed):
    response = login(office_user).post(url("dispatch_pair", selecting),
                                       {"staff": idle.pk, "post": posts["here"][0].pk},
                                       follow=True)

    assert messages_of(response) == ["待岗戊 is proposed for post 1 at 夏庄完小; the school "
                                     "confirms or declines."]
    proposal = Proposal.objects.get(staff=idle)
    assert (proposal.source, proposal.post) == ("dispatch", posts["here"][0])
    waiting = response.text.split('id="waiting"')[1].split("</section>")[0]
    assert "待岗戊" in waiting
    # The seat is held: a second pairing to the same post is refused with the reason.
    other = person(posts["here"][0].school, "待岗己")
    again = login(office_user).post(url("dispatch_pair", selecting),
                                    {"staff": other.pk, "post": posts["here"][0].pk},
                                    follow=True)
    assert messages_of(again) == ["Post 1 at 夏庄完小 has no free seat (proposals awaiting the "
                                  "school hold theirs)."]
    login(principal_user).post(url("proposal_decide", selecting, proposal.pk),
                               {"decision": "confirm"})
    assert Hire.objects.get(staff=idle).source == "dispatch"


def test_a_school_that_is_not_short_gets_no_pairing(login, office_user, selecting, idle, posts,
                                                    school):
    school.establishment = 0
    school.save()

    response = login(office_user).post(url("dispatch_pair", selecting),
                                       {"staff": idle.pk, "post": posts["here"][0].pk},
                                       follow=True)

    assert messages_of(response) == ["夏庄完小 is not short of staff: it has hired its "
                                     "establishment."]
    assert not Proposal.objects.exists()


def test_someone_with_an_explained_status_is_not_paired(login, office_user, selecting, idle,
                                                        posts):
    unhired_services.unhired_explain(by=office_user, cycle=selecting, staff=idle, reason="年底退休")

    response = login(office_user).post(url("dispatch_pair", selecting),
                                       {"staff": idle.pk, "post": posts["here"][0].pk},
                                       follow=True)

    assert messages_of(response) == ["待岗戊 has an explained status and needs no post."]


def test_pairing_outside_the_selection_is_refused(login, office_user, cycle, idle, posts):
    client = login(office_user)

    page = client.get(url("dispatch", cycle))
    response = client.post(url("dispatch_pair", cycle),
                           {"staff": idle.pk, "post": posts["here"][0].pk}, follow=True)

    reason = "Phase 6 (Two-way selection) has not opened yet."
    assert reason in page.text and 'name="pair" disabled' in page.text
    assert messages_of(response) == [reason]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["principal_user", "liaison_user", "teacher_user"])
def test_only_the_office_holds_the_dispatch_meeting(request, login, selecting, idle, posts,
                                                    who):
    client = login(request.getfixturevalue(who))

    assert client.get(url("dispatch", selecting)).status_code == 403
    response = client.post(url("dispatch_pair", selecting),
                           {"staff": idle.pk, "post": posts["here"][0].pk})
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_pairing_staff_or_posts_of_another_township_is_not_found(login, office_user,
                                                                  selecting, posts,
                                                                  foreign_school):
    stranger = StaffFactory(school=foreign_school)

    response = login(office_user).post(url("dispatch_pair", selecting),
                                       {"staff": stranger.pk, "post": posts["here"][0].pk})

    assert response.status_code == 404


# --- phase 6 closes: answers first, then R3 ----------------------------------------------


def test_the_selection_does_not_close_while_a_school_has_not_answered(login, office_user,
                                                                      proposal):
    client = login(office_user)

    dashboard = client.get(reverse("recruitment:dashboard", args=[proposal.cycle.pk]))
    response = client.post(reverse("recruitment:phase_close",
                                   args=[proposal.cycle.pk, SELECTION]), follow=True)

    reason = "1 proposal of the office is still waiting for a school's answer."
    row = dashboard.text.split('id="phase-6"')[1].split("</tr>")[0]
    assert reason in row.replace("&#x27;", "'") and 'name="close" disabled' in row
    assert messages_of(response) == [reason]
    assert common_selectors.phase_of(proposal.cycle, SELECTION).state == "open"


def test_closing_the_selection_ends_the_positions_of_cadres_not_hired_at_their_unit(
        login, office_user, selecting, other_school, school):
    vice = person(other_school, "副校长庚")
    lost = Position.objects.create(staff=vice, school=other_school, title="副校长",
                                   start_date=date(2021, 9, 1))

    response = login(office_user).post(reverse("recruitment:phase_close",
                                               args=[selecting.pk, SELECTION]), follow=True)

    assert messages_of(response) == [
        "Phase 6 (Two-way selection) is closed.",
        "1 leadership position ended: its holder is not hired at their own unit (R3)."]
    lost.refresh_from_db()
    assert lost.end_date is not None and lost.end_reason == rules.R3_REASON
    assert lost.history.first().history_user == office_user


# --- phase 7: no one left without a post (R7) ----------------------------------------------


@pytest.fixture
def deadline(selecting, office_user):
    """Phase 7 open: everyone of the township is unhired."""
    close_phase(selecting, office_user, SELECTION)
    open_phase(selecting, office_user, UNHIRED)
    return selecting


def _post(client, name, cycle, data, *args):
    return client.post(url(name, cycle, *args), data, follow=True)


def test_the_office_enrols_scores_and_assigns_those_who_pass(login, office_user, deadline,
                                                             mover, posts):
    client = login(office_user)

    enrolled = _post(client, "training_enrol", deadline, {"staff": mover.pk})
    enrolment = TrainingEnrolment.objects.get(staff=mover)
    failed = _post(client, "training_score", deadline, {"score": 59}, enrolment.pk)
    early = _post(client, "trainee_assign", deadline, {"post": posts["there"][0].pk},
                  enrolment.pk)
    passed = _post(client, "training_score", deadline, {"score": 75}, enrolment.pk)
    assigned = _post(client, "trainee_assign", deadline, {"post": posts["there"][0].pk},
                     enrolment.pk)

    assert messages_of(enrolled) == ["青年丙 is enrolled in the training class."]
    assert messages_of(failed) == ["The test score of 青年丙 is recorded: 59."]
    row = failed.text.split(f'id="staff-{mover.pk}"')[1].split("</tr>")[0]
    assert "59 · not passed" in row and "Assign" not in row
    assert messages_of(early) == ["Only trainees who passed the test (60) are assigned."]
    row = passed.text.split(f'id="staff-{mover.pk}"')[1].split("</tr>")[0]
    assert "75 · passed" in row and f'value="{posts["there"][0].pk}"' in row
    assert messages_of(assigned) == ["青年丙 is assigned to post 1 at 东张完小."]
    assert Hire.objects.get(staff=mover).source == "training"
    assert "青年丙" in assigned.text.split('id="assigned"')[1].split("</section>")[0]
    history = client.get(url("enrolment", deadline, enrolment.pk)).text.split('class="history"')[1]
    assert "59" in history and "75" in history and "office" in history


def test_phase_7_actions_are_refused_with_reasons(login, office_user, deadline, mover,
                                                  posts):
    client = login(office_user)

    twice = [_post(client, "training_enrol", deadline, {"staff": mover.pk}) for _ in range(2)]
    enrolment = TrainingEnrolment.objects.get(staff=mover)
    out_of_range = _post(client, "training_score", deadline, {"score": 101}, enrolment.pk)
    no_reason = _post(client, "unhired_explain", deadline, {"staff": mover.pk, "reason": ""})

    assert messages_of(twice[1]) == ["青年丙 is already enrolled."]
    assert messages_of(out_of_range) == ["Ensure this value is less than or equal to 100."]
    assert messages_of(no_reason) == ["This field is required."]
    assert TrainingEnrolment.objects.get().score is None


def test_phase_7_does_not_close_while_anyone_is_without_a_post(login, office_user, deadline,
                                                               mover, posts):
    client = login(office_user)
    unhired = list(unhired_selectors.unhired(deadline))
    dashboard = client.get(reverse("recruitment:dashboard", args=[deadline.pk]))
    board = client.get(url("unhired", deadline))
    refused = client.post(reverse("recruitment:phase_close", args=[deadline.pk, UNHIRED]),
                          follow=True)

    reason = (f"{len(unhired)} staff members are still without a post or an explained "
              "status (R7).")
    row = dashboard.text.split('id="phase-7"')[1].split("</tr>")[0]
    assert reason in row and 'name="close" disabled' in row
    assert messages_of(refused) == [reason]
    assert f"Phase 7 cannot close yet: {reason}" in board.text

    # Everyone but 青年丙 needs no post; 青年丙 passes and is assigned.
    for staff in unhired:
        if staff != mover:
            _post(client, "unhired_explain", deadline, {"staff": staff.pk, "reason": "退休"})
    _post(client, "training_enrol", deadline, {"staff": mover.pk})
    enrolment = TrainingEnrolment.objects.get(staff=mover)
    _post(client, "training_score", deadline, {"score": 80}, enrolment.pk)
    _post(client, "trainee_assign", deadline, {"post": posts["here"][0].pk}, enrolment.pk)
    ready = client.get(url("unhired", deadline))
    closed = client.post(reverse("recruitment:phase_close", args=[deadline.pk, UNHIRED]),
                         follow=True)

    assert 'id="close-ready"' in ready.text
    assert UnhiredReason.objects.count() == len(unhired) - 1
    assert messages_of(closed) == [
        "Phase 7 (Training and assignment of the unhired) is closed.",
        f"The outcome took effect from 2026-09-01: {len(unhired)} staff members took up "
        "their assignments, 1 moved school, 0 became support staff."]


def test_phase_7_actions_wait_for_phase_7(login, office_user, selecting, mover):
    client = login(office_user)

    page = client.get(url("unhired", selecting))
    response = _post(client, "training_enrol", selecting, {"staff": mover.pk})

    reason = "Phase 7 (Training and assignment of the unhired) has not opened yet."
    assert reason in page.text and 'name="enrol" disabled' in page.text
    assert messages_of(response) == [reason]
    assert not TrainingEnrolment.objects.exists()


@pytest.mark.parametrize("who", ["principal_user", "liaison_user", "teacher_user"])
def test_only_the_office_runs_phase_7(request, login, deadline, mover, posts, office_user,
                                      who):
    enrolment = unhired_services.training_enrol(by=office_user, cycle=deadline, staff=mover)
    client = login(request.getfixturevalue(who))

    assert client.get(url("unhired", deadline)).status_code == 403
    assert client.get(url("enrolment", deadline, enrolment.pk)).status_code == 403
    assert client.post(url("training_enrol", deadline), {"staff": mover.pk}).status_code == 403
    assert client.post(url("training_score", deadline, enrolment.pk),
                       {"score": 90}).status_code == 403
    assert client.post(url("trainee_assign", deadline, enrolment.pk),
                       {"post": posts["here"][0].pk}).status_code == 403
    assert client.post(url("unhired_explain", deadline),
                       {"staff": mover.pk, "reason": "x"}).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.score is None and not Hire.objects.exists()
    assert not UnhiredReason.objects.exists()


def test_an_enrolment_of_another_cycle_is_not_found(login, office_user, deadline, mover,
                                                    foreign_school, foreign_office):
    enrolment = unhired_services.training_enrol(by=office_user, cycle=deadline, staff=mover)
    other = cycle_services.cycle_create(by=foreign_office, township=foreign_school.township,
                                  school_year=2026)

    response = login(foreign_office).post(url("training_score", other, enrolment.pk),
                                          {"score": 90})

    assert response.status_code == 404


# --- at the same moment ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_run_at_once_make_one_batch(office_user, run):
    def send():
        return allocation_services.allocation_send(by=office_user, run=run)

    outcomes = at_once(send, send)

    assert sorted(type(o).__name__ for o in outcomes) == ["SendResult", "ValidationError"], \
        outcomes
    assert Proposal.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_pairings_for_the_last_seat_at_once_make_one_proposal(office_user, selecting,
                                                                  posts, school, layer_closed):
    post = posts["here"][0]  # one seat
    people = [person(school, f"待岗{i}") for i in range(2)]

    outcomes = at_once(*(
        lambda who=who: allocation_services.dispatch_propose(by=office_user, cycle=selecting,
                                                     staff=who, post=post)
        for who in people))

    assert sorted(type(o).__name__ for o in outcomes) == ["Proposal", "ValidationError"], \
        outcomes
    assert Proposal.objects.filter(post=post).count() == 1


# --- query counts with a few hundred rows ------------------------------------------------


@pytest.fixture
def busy(selecting, office_user, township, school, other_school, posts):
    """300 cross-school applicants for 30 posts of 10 more schools, ranked; 100 of them
    enrolled in training with scores; a run sent."""
    schools = [SchoolFactory(township=township, establishment=10) for _ in range(10)]
    new_posts = Post.objects.bulk_create(
        Post(cycle=selecting, school=s, number=n, kind=PostKind.TEACHING, grade_class="一年级",
             subject="数学", weekly_lessons=12, seats=3, published_at=posts["here"][0].published_at)
        for s in schools for n in (1, 2, 3))
    applicants = StaffFactory.create_batch(300, school=other_school)
    intentions = Intention.objects.bulk_create(
        Intention(cycle=selecting, staff=s) for s in applicants)
    Application.objects.bulk_create(
        Application(intention=intention, rank=rank, school=post.school, teaching_post=post)
        for i, intention in enumerate(intentions)
        for rank, post in enumerate([new_posts[i % 30], new_posts[(i + 7) % 30]], start=1)
        if rank == 1 or post.school_id != new_posts[i % 30].school_id)
    Ranking.objects.bulk_create(
        Ranking(post=app.teaching_post, staff=app.intention.staff, rank=n, decision="hire")
        for n, app in enumerate(Application.objects.filter(intention__in=intentions)
                                .select_related("intention", "teaching_post")))
    TrainingEnrolment.objects.bulk_create(
        TrainingEnrolment(cycle=selecting, staff=s, enrolled_by=office_user, score=40 + n % 50)
        for n, s in enumerate(applicants[:100]))
    run = allocation_services.allocation_preview(
        by=office_user, cycle=selecting, own_staff_first=False
    )
    allocation_services.allocation_send(by=office_user, run=run)
    return run


def filled_seats(cycle) -> int:
    """The seats the engine fills in the busy world: each post anyone is ranked for has at
    least as many applicants ranked "hire" as seats (ten first choices for the three of each
    new post, 青年丙 alone for the one of 夏庄完小's post 1), so every such seat is taken."""
    ranked = Post.objects.filter(cycle=cycle, rankings__decision="hire").distinct()
    return sum(post.seats for post in ranked)


def test_the_run_page_query_count_does_not_grow_with_rows(login, office_user, busy,
                                                          django_assert_max_num_queries):
    client = login(office_user)

    with django_assert_max_num_queries(16):
        response = client.get(url("allocation_run", busy.cycle, busy.pk))

    review = response.context["review"]
    applicants = Intention.objects.filter(cycle=busy.cycle).count()
    assert review.placed == filled_seats(busy.cycle)
    assert len(review.unplaced) == applicants - review.placed
    assert review.sent and review.send_refusal


def test_the_proposals_page_query_count_does_not_grow_with_rows(login, office_user, busy,
                                                                django_assert_max_num_queries):
    client = login(office_user)

    with django_assert_max_num_queries(10):
        response = client.get(url("proposals", busy.cycle))

    assert response.context["page"].paginator.count == filled_seats(busy.cycle)  # all sent


def test_the_dispatch_page_query_count_does_not_grow_with_rows(login, office_user, busy,
                                                               django_assert_max_num_queries):
    client = login(office_user)

    # 16, and 3 for the filters' choices (schools, the people's and the posts' subjects).
    with django_assert_max_num_queries(19):
        response = client.get(url("dispatch", busy.cycle))

    board = response.context["board"]
    assert board.page.paginator.count > 300 and len(board.candidates) > 200


def test_the_unhired_page_query_count_does_not_grow_with_rows(login, office_user, busy,
                                                              django_assert_max_num_queries):
    client = login(office_user)

    # 16, and 3 for the filters' choices (schools, the people's and the posts' subjects).
    with django_assert_max_num_queries(19):
        response = client.get(url("unhired", busy.cycle))

    assert len(response.context["board"].page) == unhired_selectors.UNHIRED_PER_PAGE


def test_a_foreign_login_sees_nothing_of_the_cycle(login, selecting):
    stranger = UserFactory(username="stranger")
    membership(stranger, Role.TOWNSHIP_OFFICE, TownshipFactory(name="远镇"))
    client = login(stranger)

    for name in ("allocation", "proposals", "dispatch", "unhired", "outcome", "my_result"):
        assert client.get(url(name, selecting)).status_code == 404
