"""The pages of phase 6 as each role uses them: the office's overview of the selection,
a school's hiring committee page (members, rankings, the principal's confirmations,
cadres, R3 and R5), and the principal's vice-principal assessments (R4).

The rules are tested at the service level (test_selection_services.py); here the
wiring: who may do what through which page, every refusal shown with its reason (on the
disabled button and, when pressed anyway, as the message), the messages, the history,
and query counts that do not grow with the rows."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from recruitment import models, rules
from recruitment.models import (
    CadreProposal,
    CommitteeMember,
    Hire,
    Post,
    PostKind,
    Ranking,
    ViceAssessment,
)
from recruitment.phases import SELECTION
from recruitment.selectors import selection as selection_selectors
from recruitment.services import selection as selection_services
from schools.models import Position, Role, Staff

from .factories import (
    CycleFactory,
    HireFactory,
    PostFactory,
    SchoolFactory,
    StaffFactory,
    adopted_cycle,
    applied,
    membership,
)
from .helpers import (
    apply,
    auxiliary,
    close_phase,
    messages_of,
    person,
    published,
    school_url,
    section,
    teaching,
    text,
    to_selection,
    url,
)

pytestmark = pytest.mark.usefixtures("english_pages")


# --- the world: phase 6 open, a school with posts and applicants, every role --------------


@pytest.fixture
def cycle(office_user, township, school, other_school, centre):
    """The plan adopted (the centre recruits first), phase 5 open."""
    return adopted_cycle(office=office_user, township=township, first_step=[centre],
                         quotas={school.pk: 6})


@pytest.fixture
def posts(cycle, office_user, principal_user, school):
    """The school's teaching post 1 (one seat), auxiliary post 2, teaching post 3."""
    return published(cycle, office_user, principal_user, school, teaching(1),
                     auxiliary(2, seats=3), teaching(3, subject="数学"))


@pytest.fixture
def selecting(cycle, office_user, posts, teacher, school):
    """The teacher applied for post 1 (+ 2); phase 6 open; the centres' layer open."""
    apply(teacher, cycle, school, posts[0], posts[1])
    to_selection(cycle, office_user)
    return cycle


@pytest.fixture
def backbone(school):
    """A backbone teacher of the school with a login (not yet on the committee)."""
    return person(school, "骨干")


def decide(by, post, staff, decision="hire", rank=1):
    return selection_services.ranking_record(
        by=by, post=post, staff=staff, rank=rank, decision=decision
    )


# --- the office's overview --------------------------------------------------------------


def test_the_office_follows_every_school_centres_first(login, office_user, layer_closed,
                                                        principal_user, teacher, posts,
                                                        centre, school):
    decide(principal_user, posts[0], teacher)

    response = login(office_user).get(url("selection", layer_closed))

    assert response.status_code == 200
    rows = response.context["board"].schools
    assert rows[0].school == centre and rows[0].first_step
    row = next(r for r in rows if r.school == school)
    assert (row.posts, row.seats, row.hired, row.applicants) == (
        len(posts), sum(post.seats for post in posts), 0, 1)  # the teacher applied
    assert (row.undecided, row.awaiting_confirmation) == (0, 1)
    schools = section(response, "schools")
    assert schools.index("中心小学") < schools.index("夏庄完小")
    assert "The centres' layer closed at" in text(response)


def test_schools_below_the_own_staff_share_are_listed_and_highlighted(
        login, office_user, layer_closed, principal_user, teacher, posts, school, centre):
    decide(principal_user, posts[0], teacher)
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)

    response = login(office_user).get(url("selection", layer_closed))

    warning = section(response, "below-share")
    # ⌈2/3 × 20⌉ = 14 own staff needed at the school; ⌈2/3 × 6⌉ = 4 at the centre.
    assert "夏庄完小</a>: 1 own staff hired of the 14 needed (establishment 20)" in warning
    assert "中心小学</a>: 0 own staff hired of the 4 needed (establishment 6)" in warning
    assert f'id="school-{school.pk}" class="below-share"' in text(response)


def test_a_school_at_its_share_is_not_warned(login, office_user, layer_closed, principal_user,
                                             posts, school):
    school.establishment = 1
    school.save()
    keeper = person(school, "本校")
    HireFactory(post=posts[2], staff=keeper)

    response = login(office_user).get(url("selection", layer_closed))

    assert "夏庄完小" not in section(response, "below-share")
    assert f'id="school-{school.pk}">' in text(response)


def test_a_committee_member_is_sent_to_their_school(login, principal_user, selecting, school):
    response = login(principal_user).get(url("selection", selecting))

    assert response.status_code == 302
    assert response.url == school_url(selecting, school)


def test_a_liaison_of_several_schools_chooses_among_them(login, liaison_user, selecting,
                                                         other_school):
    membership(liaison_user, Role.LIAISON, other_school)

    response = login(liaison_user).get(url("selection", selecting))

    assert response.status_code == 200
    assert [s.name for s in response.context["schools"]] == ["东张完小", "夏庄完小"]


def test_the_overview_is_not_for_teachers_nor_other_townships(login, teacher_user, selecting,
                                                              foreign_office):
    assert login(teacher_user).get(url("selection", selecting)).status_code == 403
    assert login(foreign_office).get(url("selection", selecting)).status_code == 404


# --- closing the centres' layer ----------------------------------------------------------


def test_the_office_closes_the_centres_layer_after_a_confirmation(login, office_user,
                                                                  selecting):
    client = login(office_user)

    overview = client.get(url("selection", selecting))
    confirm = client.get(url("selection_first_layer_close", selecting))
    response = client.post(url("selection_first_layer_close", selecting), follow=True)

    assert url("selection_first_layer_close", selecting) in text(overview)
    assert "Yes, close the centres' layer" in text(confirm)
    assert "中心小学" in text(confirm)
    assert messages_of(response) == [
        "The centres' layer is closed: the other schools may now confirm their hires."]
    selecting.refresh_from_db()
    assert selecting.first_layer_closed_at is not None
    assert "The centres' layer is already closed." in text(response)  # disabled now


def test_closing_the_layer_twice_is_refused_and_changes_nothing(login, office_user,
                                                                layer_closed):
    closed_at = layer_closed.first_layer_closed_at
    client = login(office_user)

    confirm = client.get(url("selection_first_layer_close", layer_closed))
    response = client.post(url("selection_first_layer_close", layer_closed), follow=True)

    assert "The centres' layer is already closed." in text(confirm)
    assert "Yes, close" not in text(confirm)
    assert messages_of(response) == ["The centres' layer is already closed."]
    layer_closed.refresh_from_db()
    assert layer_closed.first_layer_closed_at == closed_at


def test_the_layer_is_not_closed_before_phase_6_opens(login, office_user, cycle):
    client = login(office_user)

    overview = client.get(url("selection", cycle))
    response = client.post(url("selection_first_layer_close", cycle), follow=True)

    reason = "Phase 6 (Two-way selection) has not opened yet."
    assert 'disabled aria-describedby="layer-refusal"' in text(overview)
    assert reason in section(overview, "layer")
    assert messages_of(response) == [reason]
    cycle.refresh_from_db()
    assert cycle.first_layer_closed_at is None


@pytest.mark.parametrize("who", ["principal_user", "liaison_user", "teacher_user"])
def test_only_the_office_closes_the_layer(request, login, selecting, who):
    client = login(request.getfixturevalue(who))

    assert client.get(url("selection_first_layer_close", selecting)).status_code == 403
    assert client.post(url("selection_first_layer_close", selecting)).status_code == 403
    selecting.refresh_from_db()
    assert selecting.first_layer_closed_at is None


# --- cadres: proposed by the committee, decided by the office ----------------------------


@pytest.fixture
def hired(layer_closed, principal_user, teacher, posts):
    decide(principal_user, posts[0], teacher)
    return selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)


def test_the_committee_proposes_a_cadre_among_those_hired_here(login, principal_user, hired,
                                                               teacher, school):
    client = login(principal_user)

    page = client.get(school_url(hired.cycle, school))
    response = client.post(school_url(hired.cycle, school, "selection_cadre_propose"),
                           {"staff": teacher.pk, "title": " 教导主任 "}, follow=True)

    assert f'<option value="{teacher.pk}">教师乙 (夏庄完小)</option>' in text(page)
    assert messages_of(response) == [
        "教师乙 is proposed as 教导主任; the office approves or rejects the proposal."]
    proposal = CadreProposal.objects.get()
    assert (proposal.staff, proposal.title, proposal.status) == (teacher, "教导主任", "proposed")
    assert "awaiting the office" in section(response, "cadres")
    # Middle-level cadres first: hires wait for the office's approval.
    assert "waiting for the office's approval" in section(response, "layer")


def test_a_cadre_not_hired_here_is_refused_post_before_position(login, principal_user,
                                                                layer_closed, school):
    idle = person(school, "未聘")
    client = login(principal_user)

    page = client.get(school_url(layer_closed, school))
    response = client.post(school_url(layer_closed, school, "selection_cadre_propose"),
                           {"staff": idle.pk, "title": "教导主任"}, follow=True)

    reason = "Nobody hired here is left to propose: post before position (R3)."
    assert reason in section(page, "cadres")
    assert messages_of(response) == [
        "未聘 is not hired to a post yet: post before position (R3)."]
    assert not CadreProposal.objects.exists()


def test_a_cadre_proposal_needs_a_position_name(login, principal_user, hired, teacher, school):
    response = login(principal_user).post(
        school_url(hired.cycle, school, "selection_cadre_propose"),
        {"staff": teacher.pk, "title": "   "}, follow=True)

    assert messages_of(response) == ["Name the position."]
    assert not CadreProposal.objects.exists()


@pytest.mark.parametrize("who", ["teacher_user", "office_user", "other_principal"])
def test_only_the_committee_proposes_cadres(request, login, hired, teacher, school, who):
    response = login(request.getfixturevalue(who)).post(
        school_url(hired.cycle, school, "selection_cadre_propose"),
        {"staff": teacher.pk, "title": "教导主任"})

    assert response.status_code == 403
    assert not CadreProposal.objects.exists()


@pytest.fixture
def proposal(hired, principal_user, teacher):
    return selection_services.cadre_propose(by=principal_user, cycle=hired.cycle, staff=teacher,
                             title="教导主任")


def test_the_office_approves_a_cadre_and_the_position_starts(login, office_user, proposal,
                                                             teacher, school):
    client = login(office_user)

    overview = client.get(url("selection", proposal.cycle))
    response = client.post(url("selection_cadre_decide", proposal.cycle, proposal.pk),
                           {"decision": "approve"}, follow=True)

    cadres = section(overview, "cadres")
    assert "教导主任" in cadres and "post 1" in cadres and "Approve" in cadres
    assert overview.context["board"].schools[-1].cadres_awaiting == 1
    assert messages_of(response) == [
        "教师乙 is approved as 教导主任 at 夏庄完小: the position starts today."]
    position = Position.objects.get(staff=teacher, end_date__isnull=True)
    assert (position.title, position.school) == ("教导主任", school)
    cadres = section(response, "cadres")
    assert "No proposal is awaiting the office." in cadres
    assert "夏庄完小 · 教师乙 · 教导主任 · <strong>approved</strong>" in cadres


def test_the_office_rejects_a_cadre_once(login, office_user, proposal, teacher):
    client = login(office_user)
    decide_url = url("selection_cadre_decide", proposal.cycle, proposal.pk)

    response = client.post(decide_url, {"decision": "reject"}, follow=True)
    again = client.post(decide_url, {"decision": "approve"}, follow=True)

    assert messages_of(response) == [
        "The proposal of 教师乙 as 教导主任 at 夏庄完小 is rejected."]
    assert messages_of(again) == ["This proposal was already decided."]
    assert CadreProposal.objects.get().status == "rejected"
    assert not Position.objects.filter(staff=teacher).exists()


@pytest.mark.parametrize("who", ["principal_user", "liaison_user"])
def test_only_the_office_decides_on_cadres(request, login, proposal, who):
    response = login(request.getfixturevalue(who)).post(
        url("selection_cadre_decide", proposal.cycle, proposal.pk), {"decision": "approve"})

    assert response.status_code == 403
    assert CadreProposal.objects.get().status == "proposed"


def test_a_proposal_of_another_cycle_is_not_found(login, office_user, proposal, township):
    other = CycleFactory(township=township, school_year=2030)

    response = login(office_user).post(url("selection_cadre_decide", other, proposal.pk),
                                       {"decision": "approve"})

    assert response.status_code == 404


# --- R3 at the selection's close ------------------------------------------------------------


@pytest.fixture
def vice(school):
    staff = person(school, "副校长")
    Position.objects.create(staff=staff, school=school, title="副校长",
                            start_date=date(2024, 9, 1))
    return staff


def test_the_office_ends_the_positions_of_cadres_not_hired_at_home(login, office_user, vice,
                                                                   selecting):
    client = login(office_user)

    overview = client.get(url("selection", selecting))
    confirm = client.get(url("selection_positions_end", selecting))
    response = client.post(url("selection_positions_end", selecting), follow=True)

    assert "1 leader is not hired at their own unit so far." in text(overview)
    assert "副校长" in section(confirm, "positions-to-end")
    assert "Yes, end 1 position" in text(confirm)
    assert messages_of(response) == [
        "1 leadership position ended: its holder is not hired at their own unit (R3)."]
    position = Position.objects.get(staff=vice)
    assert position.end_date is not None and position.end_reason == rules.R3_REASON
    assert "Every cadre is hired at their own unit: no position ends." in text(response)


def test_no_position_ends_before_phase_6(login, office_user, vice, cycle):
    response = login(office_user).post(url("selection_positions_end", cycle), follow=True)

    assert messages_of(response) == ["Phase 6 (Two-way selection) has not opened yet."]
    assert Position.objects.get(staff=vice).end_date is None


def test_a_cadre_hired_at_home_keeps_the_position(login, office_user, vice, posts, cycle,
                                                  principal_user, school):
    apply(vice, cycle, school, posts[2], posts[1])
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    decide(principal_user, posts[2], vice)
    selection_services.hire_confirm(by=principal_user, post=posts[2], staff=vice)
    client = login(office_user)

    confirm = client.get(url("selection_positions_end", cycle))
    response = client.post(url("selection_positions_end", cycle), follow=True)

    assert "Every cadre is hired at their own unit: no position ends." in text(confirm)
    assert messages_of(response) == ["Every cadre is hired at their own unit: no position ends."]
    assert Position.objects.get(staff=vice).end_date is None
    school_page = login(principal_user).get(school_url(cycle, school))
    assert "hired here to post 3" in section(school_page, "positions")


def test_only_the_office_ends_positions(login, principal_user, vice, selecting):
    response = login(principal_user).post(url("selection_positions_end", selecting))

    assert response.status_code == 403
    assert Position.objects.get(staff=vice).end_date is None


def test_applicants_are_listed_in_the_committees_order(login, principal_user, layer_closed,
                                                       school, teacher, posts, other_school):
    second, unranked = person(school, "二号"), person(other_school, "未排")
    applied(layer_closed, second, school, posts[0], posts[1])
    applied(layer_closed, unranked, school, posts[0], posts[1])
    decide(principal_user, posts[0], second, decision="pending", rank=2)
    decide(principal_user, posts[0], teacher, decision="pending", rank=1)

    response = login(principal_user).get(school_url(layer_closed, school))

    post = section(response, "posts")
    assert post.index("教师乙") < post.index("二号") < post.index("未排")


# --- a school's page: who sees it -----------------------------------------------------------


def test_the_principal_sees_posts_applicants_and_forms(login, principal_user, selecting,
                                                       school, teacher, posts):
    response = login(principal_user).get(school_url(selecting, school))

    assert response.status_code == 200
    post = section(response, "posts")
    assert "Post 1" in post and "教师乙" in post and "own staff" in post and "choice 1" in post
    assert "Rank of 教师乙" in post and "Decision on 教师乙" in post
    assert "No applicant for this post." in post  # posts 2 and 3
    assert "0 of 1 seat taken" in post


@pytest.mark.parametrize("who", ["liaison_user", "office_user"])
def test_the_liaison_and_the_office_see_the_school(request, login, selecting, school, who):
    response = login(request.getfixturevalue(who)).get(school_url(selecting, school))

    assert response.status_code == 200
    assert "教师乙" in section(response, "posts")


def test_a_named_committee_member_sees_and_ranks(login, principal_user, backbone, selecting,
                                                 school, teacher, posts):
    selection_services.committee_member_add(by=principal_user, cycle=selecting, school=school,
                                   user=backbone.user, role="backbone")
    client = login(backbone.user)

    page = client.get(school_url(selecting, school))
    response = client.post(school_url(selecting, school, "selection_rank", posts[0].pk),
                           {"staff": teacher.pk, "rank": 2, "decision": "not_hire"},
                           follow=True)

    assert page.status_code == 200
    assert messages_of(response) == ["教师乙 for post 1: rank 2, not hire."]
    assert Ranking.objects.get().decided_by == backbone.user


@pytest.mark.parametrize("who", ["teacher_user", "other_principal"])
def test_the_school_page_is_the_committees(request, login, selecting, school, who):
    client = login(request.getfixturevalue(who))

    assert client.get(school_url(selecting, school)).status_code == 403


def test_another_townships_school_or_cycle_is_not_found(login, office_user, foreign_office,
                                                        selecting, school, foreign_school):
    assert login(office_user).get(
        school_url(selecting, foreign_school)).status_code == 404
    assert login(foreign_office).get(school_url(selecting, school)).status_code == 404


# --- rankings ------------------------------------------------------------------------------


def test_the_committee_ranks_and_decides_with_its_history(login, principal_user, liaison_user,
                                                          selecting, school, teacher, posts,
                                                          other_principal):
    rank_url = school_url(selecting, school, "selection_rank", posts[0].pk)
    login(liaison_user).post(rank_url, {"staff": teacher.pk, "rank": 2, "decision": "pending"},
                             follow=True)
    client = login(principal_user)

    response = client.post(rank_url, {"staff": teacher.pk, "rank": 1, "decision": "hire"},
                           follow=True)

    assert response.redirect_chain[-1][0].endswith(f"#post-{posts[0].pk}")
    assert messages_of(response) == ["教师乙 for post 1: rank 1, hire."]
    ranking = Ranking.objects.get()
    assert (ranking.rank, ranking.decision, ranking.decided_by) == (1, "hire", principal_user)
    history = client.get(school_url(selecting, school, "selection_ranking_history",
                                    ranking.pk))
    assert history.status_code == 200
    changes = text(history)
    assert "<li>rank: <del>2</del> → <ins>1</ins></li>" in changes
    assert "<li>decision: <del>not yet decided</del> → <ins>hire</ins></li>" in changes
    assert '<span class="who">liaison</span>' in changes
    assert login(other_principal).get(history.request["PATH_INFO"]).status_code == 403


def test_a_ranking_without_rank_is_named(login, principal_user, selecting, school, teacher,
                                         posts):
    response = login(principal_user).post(
        school_url(selecting, school, "selection_rank", posts[0].pk),
        {"staff": teacher.pk, "rank": "", "decision": "not_hire"}, follow=True)

    assert messages_of(response) == ["教师乙 for post 1: not hire, no rank."]


def test_ranking_someone_who_did_not_apply_is_refused(login, principal_user, selecting, school,
                                                      teacher, posts):
    response = login(principal_user).post(
        school_url(selecting, school, "selection_rank", posts[2].pk),
        {"staff": teacher.pk, "rank": 1, "decision": "hire"}, follow=True)

    assert messages_of(response) == ["教师乙 did not apply for this post."]
    assert not Ranking.objects.exists()


def test_a_malformed_ranking_is_refused(login, principal_user, selecting, school, teacher,
                                        posts):
    response = login(principal_user).post(
        school_url(selecting, school, "selection_rank", posts[0].pk),
        {"staff": teacher.pk, "rank": 0, "decision": "maybe"}, follow=True)

    assert len(messages_of(response)) == 1 and "maybe" in messages_of(response)[0]
    assert not Ranking.objects.exists()


def test_rankings_wait_for_phase_6(login, principal_user, cycle, posts, teacher, school):
    apply(teacher, cycle, school, posts[0], posts[1])
    client = login(principal_user)

    page = client.get(school_url(cycle, school))
    response = client.post(school_url(cycle, school, "selection_rank", posts[0].pk),
                           {"staff": teacher.pk, "rank": 1, "decision": "hire"}, follow=True)

    reason = "Phase 6 (Two-way selection) has not opened yet."
    assert reason in section(page, "posts")
    assert 'disabled aria-describedby="rank-refusal"' in text(page)
    assert messages_of(response) == [reason]
    assert not Ranking.objects.exists()


@pytest.mark.parametrize("who", ["office_user", "teacher_user", "other_principal"])
def test_only_the_committee_ranks(request, login, selecting, school, teacher, posts, who):
    response = login(request.getfixturevalue(who)).post(
        school_url(selecting, school, "selection_rank", posts[0].pk),
        {"staff": teacher.pk, "rank": 1, "decision": "hire"})

    assert response.status_code == 403
    assert not Ranking.objects.exists()


def test_the_office_sees_why_it_does_not_rank(login, office_user, selecting, school):
    response = login(office_user).get(school_url(selecting, school))

    assert "Only the school's hiring committee ranks applicants." in section(response,
                                                                                 "posts")
    assert ("Only the school's hiring committee proposes middle-level cadres."
            in section(response, "cadres"))


def test_a_post_of_another_school_is_not_found(login, principal_user, selecting, school,
                                               other_school, teacher):
    post = PostFactory(cycle=selecting, school=other_school, number=7, published_at=None)

    response = login(principal_user).post(
        school_url(selecting, school, "selection_rank", post.pk),
        {"staff": teacher.pk, "rank": 1, "decision": "hire"})

    assert response.status_code == 404
    assert not Ranking.objects.exists()


# --- the principal's confirmation ------------------------------------------------------------


def confirm(client, cycle, school, post, staff):
    return client.post(school_url(cycle, school, "selection_confirm", post.pk),
                       {"staff": staff.pk}, follow=True)


def test_the_principal_confirms_a_hire_and_sees_it_listed(login, principal_user, layer_closed,
                                                          school, teacher, posts):
    decide(principal_user, posts[0], teacher)
    client = login(principal_user)

    page = client.get(school_url(layer_closed, school))
    response = confirm(client, layer_closed, school, posts[0], teacher)

    assert "Confirm the hire of 教师乙" in section(page, "posts")
    assert f'aria-describedby="confirm-reason-{posts[0].pk}-{teacher.pk}"' not in text(page)
    assert messages_of(response) == [
        "教师乙 is hired to post 1, with the auxiliary duties #2."]
    hire = Hire.objects.get()
    assert (hire.staff, hire.post, hire.confirmed_by) == (teacher, posts[0], principal_user)
    hires = section(response, "hires")
    assert "教师乙" in hires and "own staff" in hires and "#2 实验室管理" in hires
    assert "selected by the school" in hires
    assert "hired to this post" in section(response, "posts")
    assert "1 of 1 seat taken" in section(response, "posts")


@pytest.mark.parametrize("who", ["liaison_user", "office_user"])
def test_only_the_principal_confirms(request, login, layer_closed, principal_user, school,
                                     teacher, posts, who):
    decide(principal_user, posts[0], teacher)
    client = login(request.getfixturevalue(who))

    page = client.get(school_url(layer_closed, school))
    response = client.post(school_url(layer_closed, school, "selection_confirm", posts[0].pk),
                           {"staff": teacher.pk})

    assert "Only the principal confirms hires." in section(page, "posts")
    assert response.status_code == 403
    assert not Hire.objects.exists()


def test_a_committee_member_does_not_confirm(login, principal_user, backbone, layer_closed,
                                             school, teacher, posts):
    selection_services.committee_member_add(by=principal_user, cycle=layer_closed, school=school,
                                   user=backbone.user, role="backbone")
    decide(principal_user, posts[0], teacher)

    response = login(backbone.user).post(
        school_url(layer_closed, school, "selection_confirm", posts[0].pk),
        {"staff": teacher.pk})

    assert response.status_code == 403
    assert not Hire.objects.exists()


def assert_refused_alike(client, cycle, school, post, staff, reason):
    """The page shows the confirm button disabled with ``reason``; pressed anyway, the
    service refuses with the same words and nothing is hired."""
    page = client.get(school_url(cycle, school))
    key = f"{post.pk}-{staff.pk}"
    assert f'disabled aria-describedby="confirm-reason-{key}"' in text(page)
    shown = text(page).split(f'id="confirm-reason-{key}">', 1)[1].split("</span>")[0]
    assert shown == reason
    response = confirm(client, cycle, school, post, staff)
    assert messages_of(response) == [reason]
    assert not Hire.objects.filter(staff=staff).exists()


def test_the_second_layer_waits_for_the_centres(login, principal_user, selecting, school,
                                                teacher, posts):
    decide(principal_user, posts[0], teacher)

    assert_refused_alike(login(principal_user), selecting, school, posts[0], teacher,
                         "The township-wide centres select first; wait until the office "
                         "closes their layer.")


def test_hires_wait_for_the_cadres_approval(login, principal_user, layer_closed, school,
                                            teacher, posts):
    first = person(school, "先聘")
    HireFactory(post=posts[2], staff=first)
    selection_services.cadre_propose(
        by=principal_user, cycle=layer_closed, staff=first, title="总务主任"
    )
    decide(principal_user, posts[0], teacher)

    assert_refused_alike(login(principal_user), layer_closed, school, posts[0], teacher,
                         "The school's proposed middle-level cadres are waiting for the "
                         "office's approval.")


def test_cross_school_applicants_are_allocated_by_the_office(login, principal_user,
                                                             layer_closed, school, posts,
                                                             other_school):
    outsider = person(other_school, "外校")
    applied(layer_closed, outsider, school, posts[0], posts[1])
    decide(principal_user, posts[0], outsider)

    assert_refused_alike(login(principal_user), layer_closed, school, posts[0], outsider,
                         "外校 is another school's staff member: cross-school applicants "
                         "are allocated by the office.")
    page = login(principal_user).get(school_url(layer_closed, school))
    assert "东张完小" in section(page, "posts")  # where the applicant comes from


def test_a_full_post_is_refused(login, principal_user, layer_closed, school, teacher, posts):
    taker = person(school, "先到")
    HireFactory(post=posts[0], staff=taker)
    decide(principal_user, posts[0], teacher)

    assert_refused_alike(login(principal_user), layer_closed, school, posts[0], teacher,
                         "Post 1 at 夏庄完小 is full.")


def test_confirming_without_a_hire_decision_is_refused(login, principal_user, layer_closed,
                                                       school, teacher, posts):
    decide(principal_user, posts[0], teacher, decision="not_hire")
    client = login(principal_user)

    page = client.get(school_url(layer_closed, school))
    response = confirm(client, layer_closed, school, posts[0], teacher)

    assert "Confirm the hire of 教师乙" not in text(page)
    assert messages_of(response) == ["The committee has not decided to hire 教师乙."]
    assert not Hire.objects.exists()


def test_confirming_after_the_selection_closed_is_refused(login, principal_user, office_user,
                                                         layer_closed, school, teacher, posts):
    decide(principal_user, posts[0], teacher)
    close_phase(layer_closed, office_user, SELECTION)

    assert_refused_alike(login(principal_user), layer_closed, school, posts[0], teacher,
                         "Phase 6 (Two-way selection) is closed.")


def test_confirming_twice_is_refused(login, principal_user, hired, school, teacher, posts):
    response = confirm(login(principal_user), hired.cycle, school, posts[0], teacher)

    assert messages_of(response) == ["教师乙 is already hired in this cycle."]
    assert Hire.objects.count() == 1


def test_someone_hired_elsewhere_shows_where(login, selecting, centre, school, teacher, posts,
                                             principal_user):
    centre_post = PostFactory(cycle=selecting, school=centre, number=1, published_at=None)
    decide(principal_user, posts[0], teacher)
    HireFactory(post=centre_post, staff=teacher)

    page = login(principal_user).get(school_url(selecting, school))

    posts_html = section(page, "posts")
    assert "hired at 中心小学" in posts_html
    assert "Confirm the hire of 教师乙" not in posts_html


# --- the committee ---------------------------------------------------------------------------


def test_the_principal_names_a_backbone_teacher(login, principal_user, backbone, selecting,
                                                school):
    client = login(principal_user)

    page = client.get(school_url(selecting, school))
    response = client.post(school_url(selecting, school, "committee_add"),
                           {"user": backbone.user.pk, "role": "backbone"}, follow=True)

    assert f'<option value="{backbone.user.pk}">骨干 (staff)</option>' in text(page)
    assert messages_of(response) == ["骨干 is on the committee as backbone teacher."]
    member = CommitteeMember.objects.get()
    assert (member.user, member.role, member.school) == (backbone.user, "backbone", school)
    members = section(response, "committee")
    assert "骨干" in members and "backbone teacher" in members and "principal" in members
    assert "named 骨干 (backbone teacher)" in members


def test_the_office_names_the_liaison(login, office_user, liaison_user, selecting, school):
    response = login(office_user).post(school_url(selecting, school, "committee_add"),
                                       {"user": liaison_user.pk, "role": "liaison"},
                                       follow=True)

    assert messages_of(response) == ["liaison is on the committee as school liaison."]
    assert CommitteeMember.objects.get().role == "liaison"


@pytest.mark.parametrize(
    ("who", "role", "reason"),
    [
        ("stranger", "backbone", "东张老师 is not on the staff of 夏庄完小."),
        ("backbone", "liaison", "骨干 is not a liaison of 夏庄完小."),
        ("backbone", "principal", "骨干 is not the principal of 夏庄完小."),
        ("stranger", "secretary", "东张老师 is not on the staff of 夏庄完小."),
    ],
)
def test_each_member_refusal_is_named(login, principal_user, backbone, selecting, school,
                                      other_school, who, role, reason):
    people = {"backbone": backbone, "stranger": person(other_school, "东张老师")}

    response = login(principal_user).post(school_url(selecting, school, "committee_add"),
                                          {"user": people[who].user.pk, "role": role},
                                          follow=True)

    assert messages_of(response) == [reason]
    assert not CommitteeMember.objects.exists()


def test_a_member_is_named_once(login, principal_user, backbone, selecting, school):
    client = login(principal_user)
    data = {"user": backbone.user.pk, "role": "backbone"}
    client.post(school_url(selecting, school, "committee_add"), data, follow=True)

    response = client.post(school_url(selecting, school, "committee_add"),
                           {**data, "role": "secretary"}, follow=True)

    assert messages_of(response) == ["骨干 is already on the committee."]
    assert CommitteeMember.objects.count() == 1


def test_a_login_of_another_township_is_not_found(login, principal_user, selecting, school,
                                                  foreign_school):
    stranger = person(foreign_school, "外镇")

    response = login(principal_user).post(school_url(selecting, school, "committee_add"),
                                          {"user": stranger.user.pk, "role": "backbone"})

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["liaison_user", "teacher_user", "other_principal"])
def test_only_the_principal_or_the_office_forms_the_committee(request, login, backbone,
                                                              selecting, school, who):
    response = login(request.getfixturevalue(who)).post(
        school_url(selecting, school, "committee_add"),
        {"user": backbone.user.pk, "role": "backbone"})

    assert response.status_code == 403
    assert not CommitteeMember.objects.exists()


def test_the_liaison_sees_why_they_do_not_form_the_committee(login, liaison_user, selecting,
                                                             school):
    response = login(liaison_user).get(school_url(selecting, school))

    assert ("Only the principal or the office forms the committee."
            in section(response, "committee"))


def test_a_member_is_removed_after_a_confirmation(login, principal_user, backbone, selecting,
                                                  school):
    member = selection_services.committee_member_add(
        by=principal_user, cycle=selecting, school=school, user=backbone.user, role="backbone"
    )
    client = login(principal_user)
    remove_url = school_url(selecting, school, "committee_remove", member.pk)

    confirm_page = client.get(remove_url)
    response = client.post(remove_url, follow=True)

    assert "Remove 骨干 (backbone teacher) from the hiring committee of 夏庄完小?" in (
        text(confirm_page))
    assert messages_of(response) == ["骨干 is no longer on the committee."]
    assert not CommitteeMember.objects.exists()
    assert "removed 骨干 (backbone teacher)" in section(response, "committee")
    assert login(backbone.user).get(school_url(selecting, school)).status_code == 403


def test_the_committee_no_longer_changes_once_the_selection_closed(
        login, principal_user, office_user, backbone, selecting, school):
    member = selection_services.committee_member_add(
        by=principal_user, cycle=selecting, school=school, user=backbone.user, role="backbone"
    )
    close_phase(selecting, office_user, SELECTION)
    client = login(principal_user)
    reason = "The selection has closed: the committee no longer changes."

    page = client.get(school_url(selecting, school))
    added = client.post(school_url(selecting, school, "committee_add"),
                        {"user": principal_user.pk, "role": "principal"}, follow=True)
    removed = client.post(school_url(selecting, school, "committee_remove", member.pk),
                          follow=True)

    assert reason in section(page, "committee")
    assert 'disabled aria-describedby="committee-refusal"' in text(page)
    assert messages_of(added) == [reason] and messages_of(removed) == [reason]
    assert list(CommitteeMember.objects.all()) == [member]


@pytest.mark.parametrize("who", ["liaison_user", "backbone"])
def test_only_the_principal_or_the_office_removes_members(request, login, principal_user,
                                                          backbone, selecting, school, who):
    member = selection_services.committee_member_add(
        by=principal_user, cycle=selecting, school=school, user=backbone.user, role="backbone"
    )
    user = request.getfixturevalue(who)
    client = login(user.user if who == "backbone" else user)
    remove_url = school_url(selecting, school, "committee_remove", member.pk)

    assert client.get(remove_url).status_code == 403
    assert client.post(remove_url).status_code == 403
    assert CommitteeMember.objects.exists()


def test_the_committee_services_name_who_acted_and_keep_to_the_township(
        principal_user, foreign_office, backbone, selecting, school):
    with pytest.raises(PermissionDenied):
        selection_services.committee_member_add(by=foreign_office, cycle=selecting, school=school,
                                       user=backbone.user, role="backbone")
    member = selection_services.committee_member_add(by=principal_user, cycle=selecting,
                                            school=school, user=backbone.user,
                                            role="backbone")
    selection_services.committee_member_remove(by=principal_user, member=member)

    records = CommitteeMember.history.order_by("history_id")
    assert [(r.history_type, r.history_user) for r in records] == [
        ("+", principal_user), ("-", principal_user)]


# --- R5 on the school's page ------------------------------------------------------------------


def test_the_school_sees_its_own_staff_share_live(login, principal_user, hired, school):
    response = login(principal_user).get(school_url(hired.cycle, school))

    share = section(response, "share")
    assert "1 own staff hired of the 14 needed (establishment 20)" in share
    assert "Below the own-staff share: the office is told." in share


# --- R3 on the school's page ------------------------------------------------------------------


def test_the_school_sees_whether_its_leaders_are_hired_here(login, principal_user, vice,
                                                            selecting, school):
    response = login(principal_user).get(school_url(selecting, school))

    leaders = section(response, "positions")
    assert "副校长 · 副校长 ·" in leaders and "not hired here yet" in leaders


# --- R4: vice principals --------------------------------------------------------------------


@pytest.fixture
def vices(school):
    """A vice principal whose three-year term is over, and one whose is not."""
    due = Position.objects.create(staff=person(school, "老副校长"), school=school,
                                  title="副校长", start_date=date(2022, 9, 1))
    recent = Position.objects.create(staff=person(school, "新副校长"), school=school,
                                     title="副校长", start_date=date(2024, 9, 1))
    return due, recent


def vices_url(cycle, school, name="vice_assessments", *args):
    return school_url(cycle, school, name, *args)


def test_the_principal_keeps_a_vice_principal_one_more_year(login, principal_user, cycle,
                                                            school, vices):
    due, _recent = vices
    client = login(principal_user)

    page = client.get(vices_url(cycle, school))
    response = client.post(vices_url(cycle, school, "vice_keep", due.pk),
                           {"reason": "考核合格"}, follow=True)

    assert "老副校长" in section(page, "due") and "新副校长" in section(page, "serving")
    assert messages_of(response) == [
        "老副校长 passed the assessment and stays one more year as 副校长."]
    assessment = ViceAssessment.objects.get()
    assert (assessment.result, assessment.reason, assessment.vacancy) == ("keep", "考核合格",
                                                                          None)
    assert "No vice principal's term is over." in section(response, "due")
    assert "passed: stays one more year" in section(response, "done")


def test_the_principal_removes_a_vice_principal_with_a_reason(login, principal_user, cycle,
                                                              school, vices):
    due, _recent = vices
    client = login(principal_user)
    remove_url = vices_url(cycle, school, "vice_remove", due.pk)

    confirm_page = client.get(remove_url)
    without = client.post(remove_url, {"reason": " "})
    response = client.post(remove_url, {"reason": "考核不合格"}, follow=True)

    assert "Remove 老副校长 as 副校长 of 夏庄完小?" in text(confirm_page)
    assert messages_of(without) == ["Give the reason for the removal."]
    vacancy = Post.objects.get(kind=PostKind.LEADERSHIP)
    assert messages_of(response) == [
        f"老副校长 is removed as 副校长. Post {vacancy.number}, the vacancy, is open to the "
        "whole township."]
    due.refresh_from_db()
    assert due.end_date is not None and due.end_reason == rules.R4_REASON
    assert vacancy.township_wide
    done = section(response, "done")
    assert "考核不合格" in done and f"post {vacancy.number}, open to the whole township" in done


def test_a_vice_principal_not_due_is_refused(login, principal_user, cycle, school, vices):
    _due, recent = vices
    client = login(principal_user)
    reason = "This vice principal is not due for the term assessment."

    confirm_page = client.get(vices_url(cycle, school, "vice_remove", recent.pk))
    kept = client.post(vices_url(cycle, school, "vice_keep", recent.pk), follow=True)

    assert reason in text(confirm_page) and "Yes, remove" not in text(confirm_page)
    assert messages_of(kept) == [reason]
    assert not ViceAssessment.objects.exists()


def test_the_office_follows_the_assessments_but_does_not_assess(login, office_user, cycle,
                                                                school, vices):
    due, _recent = vices
    client = login(office_user)

    page = client.get(vices_url(cycle, school))
    kept = client.post(vices_url(cycle, school, "vice_keep", due.pk))
    removed = client.get(vices_url(cycle, school, "vice_remove", due.pk))

    assert page.status_code == 200
    assert "Only the school's principal assesses its vice principals." in text(page)
    assert 'disabled aria-describedby="vice-refusal"' in text(page)
    assert kept.status_code == 403 and removed.status_code == 403
    assert not ViceAssessment.objects.exists()


@pytest.mark.parametrize("who", ["teacher_user", "other_principal"])
def test_the_assessments_are_not_for_teachers_or_other_schools(request, login, cycle, school,
                                                               vices, who):
    client = login(request.getfixturevalue(who))
    due, _recent = vices

    assert client.get(vices_url(cycle, school)).status_code == 403
    assert client.post(vices_url(cycle, school, "vice_keep", due.pk)).status_code == 403
    assert not ViceAssessment.objects.exists()


def test_a_position_of_another_school_is_not_found(login, principal_user, cycle, school,
                                                   other_school):
    elsewhere = Position.objects.create(staff=person(other_school, "别校副校长"),
                                        school=other_school, title="副校长",
                                        start_date=date(2020, 9, 1))

    response = login(principal_user).post(vices_url(cycle, school, "vice_keep", elsewhere.pk))

    assert response.status_code == 404


# --- the selectors agree with the services ------------------------------------------------


def test_the_schools_applicants_are_the_services_applicants(principal_user, selecting, school,
                                                            posts, other_school):
    applied(selecting, person(school, "教辅"), school, None, posts[1])
    applied(selecting, person(other_school, "外来"), school, posts[2], posts[1])

    board = selection_selectors.school_board(principal_user, selecting, school)

    for row in board.posts:
        assert {a.staff for a in row.applicants} == set(selection_selectors.applicants_of(row.post))
    assert {a.staff.name for row in board.posts for a in row.applicants} == {
        "教师乙", "教辅", "外来"}


# --- query counts ------------------------------------------------------------------------------


def many_applicants(cycle, school, office, principal, *, posts, per_post, outsiders_from):
    """``posts`` teaching posts of the school with ``per_post`` applicants each (half of
    them from ``outsiders_from``), all sharing one auxiliary post, some ranked and hired,
    written as the services would have during phase 5."""
    made = [Post(cycle=cycle, school=school, number=n, kind=PostKind.TEACHING,
                 grade_class="三年级", subject="语文", weekly_lessons=12, seats=2,
                 published_at=cycle.created_at) for n in range(10, posts + 10)]
    aux = Post(cycle=cycle, school=school, number=posts + 10, kind=PostKind.AUXILIARY,
               duties="值班", seats=posts * per_post, published_at=cycle.created_at)
    Post.objects.bulk_create([*made, aux])
    people = StaffFactory.create_batch(posts * per_post // 2, school=school)
    people += StaffFactory.create_batch(posts * per_post - len(people), school=outsiders_from)
    intentions = models.Intention.objects.bulk_create(
        [models.Intention(cycle=cycle, staff=s) for s in people])
    applications = models.Application.objects.bulk_create(
        [models.Application(intention=i, rank=1, school=school, teaching_post=made[n % posts])
         for n, i in enumerate(intentions)])
    through = models.Application.auxiliary_posts.through
    through.objects.bulk_create([through(application_id=a.pk, post_id=aux.pk)
                                 for a in applications])
    Ranking.objects.bulk_create(
        [Ranking(post=a.teaching_post, staff=i.staff, rank=1 + n // posts,
                 decision="hire" if n % 3 == 0 else "pending", decided_by=principal)
         for n, (a, i) in enumerate(zip(applications, intentions, strict=True))])
    Hire.objects.bulk_create([Hire(cycle=cycle, staff=i.staff, post=a.teaching_post,
                                   source="selection", confirmed_by=principal)
                              for a, i in list(zip(applications, intentions, strict=True))[:10]
                              if i.staff.school_id == school.pk])
    return made


def test_the_school_page_has_a_bounded_query_count(login, principal_user, office_user,
                                                   layer_closed, school, other_school, posts,
                                                   backbone, django_assert_max_num_queries):
    per_post = 8
    made = many_applicants(layer_closed, school, office_user, principal_user, posts=40,
                           per_post=per_post, outsiders_from=other_school)
    selection_services.committee_member_add(by=principal_user, cycle=layer_closed, school=school,
                                   user=backbone.user, role="backbone")
    for staff in StaffFactory.create_batch(5, school=school):
        Position.objects.create(staff=staff, school=school, title="教导主任",
                                start_date=date(2024, 9, 1))
    client = login(principal_user)

    # 32: the committee members named through their staff records (one lookup per request),
    # and the applicants' other choices (issue 10).
    with django_assert_max_num_queries(32):
        response = client.get(school_url(layer_closed, school))

    board = response.context["board"]
    # ``per_post`` people for each post made, and the teacher who applied in ``selecting``;
    # the posts made, their shared auxiliary post, and the school's first ``posts``.
    assert board.applicants == len(made) * per_post + 1
    assert len(board.posts) == len(made) + 1 + len(posts)


def test_the_overview_has_a_bounded_query_count(login, office_user, principal_user,
                                                layer_closed, school, other_school, township,
                                                django_assert_max_num_queries):
    many_applicants(layer_closed, school, office_user, principal_user, posts=30, per_post=8,
                    outsiders_from=other_school)
    for n in range(20):
        SchoolFactory(township=township, name=f"小学{n}")
    client = login(office_user)

    with django_assert_max_num_queries(22):
        response = client.get(url("selection", layer_closed))

    assert len(response.context["board"].schools) == township.schools.count()


@pytest.mark.usefixtures("english")
def test_the_office_sees_the_confirm_button_for_a_principals_own_hire():
    from recruitment.models import Post

    staff = Staff(user_id=7, school_id=1)
    row = type("Row", (), {"post": Post(seats=1, school_id=1, number=1), "taken": 0})()
    assert (
        selection_selectors.confirm_refusal(
            principal=False,
            refusal=None,
            first_step=True,
            row=row,
            staff=staff,
            office=True,
            principal_users=frozenset({7}),
        )
        is None
    )
    assert (
        selection_selectors.confirm_refusal(
            principal=False,
            refusal=None,
            first_step=True,
            row=row,
            staff=staff,
            office=True,
            principal_users=frozenset(),
        )
        is not None
    )
    by = type("User", (), {"pk": 7})()
    assert "own hire" in selection_selectors.confirm_refusal(
        principal=True, refusal=None, first_step=True, row=row, staff=staff, by=by
    )
