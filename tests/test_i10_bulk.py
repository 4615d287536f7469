"""Issue 10, "work in bulk, as offices do": a post's applicants ranked and decided in one
form (``rankings_record``), several hires confirmed at once (``hires_confirm``), and what
the applicant table tells the committee (subject, title, age, school, other choices)."""

from datetime import date

import pytest

from recruitment import rules
from recruitment.models import Decision, Hire, Post, Ranking
from recruitment.selectors import selection as selection_selectors
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services
from schools.models import Staff

from .factories import adopted_cycle
from .helpers import (
    apply,
    auxiliary,
    messages_of,
    person,
    published,
    school_url,
    section,
    teaching,
    text,
    to_selection,
)

pytestmark = pytest.mark.usefixtures("english_pages", "english")


@pytest.fixture
def selecting(office_user, principal_user, township, school, other_school):
    """Phase 6 open, the layer closed; post 1 (语文, one seat) with auxiliary post 2, and
    post 3 (数学); 张一 and 李二 applied for post 1, 王三 (a 音乐 teacher) for post 3 and,
    as a second choice, for a post at the other school."""
    cycle = adopted_cycle(office=office_user, township=township)
    post1, aux, post3 = published(cycle, office_user, principal_user, school, teaching(1),
                                  auxiliary(2, seats=3), teaching(3, subject="数学"))
    other_post, other_aux = published(cycle, office_user, office_user, other_school,
                                      teaching(1), auxiliary(2))
    zhang = person(school, "张一", born=date(1980, 1, 1))
    li = person(school, "李二")
    wang = person(school, "王三")
    Staff.objects.filter(pk=zhang.pk).update(subject="语文", title="一级教师")
    Staff.objects.filter(pk=wang.pk).update(subject="音乐", title="二级教师")
    apply(zhang, cycle, school, post1, aux)
    apply(li, cycle, school, post1, aux)
    posts_services.intention_submit(by=wang.user, cycle=cycle, choices=[
        rules.Choice(school, post3, [aux]),
        rules.Choice(other_school, other_post, [other_aux])])
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    cycle.refresh_from_db()
    return cycle, post1, post3, Staff.objects.get(pk=zhang.pk), li, Staff.objects.get(pk=wang.pk)


def rows_for(post, *pairs):
    """The formset's POST for ``post``: (staff, rank, decision) per line."""
    prefix = f"post{post.pk}"
    data = {f"{prefix}-TOTAL_FORMS": str(len(pairs)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, (staff, rank, decision) in enumerate(pairs):
        data[f"{prefix}-{i}-staff"] = str(staff.pk)
        data[f"{prefix}-{i}-rank"] = "" if rank is None else str(rank)
        data[f"{prefix}-{i}-decision"] = decision
    return data


# --- 8: a post ranked and decided in one form ---------------------------------------------


def test_the_committee_ranks_a_posts_applicants_in_one_post(login, principal_user, school,
                                                            selecting):
    cycle, post1, _post3, zhang, li, _wang = selecting

    response = login(principal_user).post(
        school_url(cycle, school, "selection_rankings", post1.pk),
        rows_for(post1, (zhang, 1, Decision.HIRE), (li, 2, Decision.NOT_HIRE)), follow=True)

    assert messages_of(response) == ["Post 1: 2 rankings saved."]
    saved = {r.staff_id: (r.rank, r.decision, r.decided_by)
             for r in Ranking.objects.filter(post=post1)}
    assert saved == {zhang.pk: (1, "hire", principal_user),
                     li.pk: (2, "not_hire", principal_user)}
    assert Ranking.objects.get(staff=zhang).history.first().history_user == principal_user


def test_one_refused_row_saves_nothing_and_names_each_refusal(login, principal_user, school,
                                                               selecting):
    cycle, post1, _post3, zhang, li, _wang = selecting
    client = login(principal_user)

    response = client.post(
        school_url(cycle, school, "selection_rankings", post1.pk),
        rows_for(post1, (zhang, 1, Decision.HIRE), (li, 1, Decision.HIRE)), follow=True)

    assert not Ranking.objects.exists()
    assert messages_of(response) == [
        "The rankings were not saved. 李二: rank 1 is already given to 张一."]


def test_the_service_refuses_a_non_applicant_and_keeps_the_others_unsaved(
        principal_user, selecting):
    cycle, post1, _post3, zhang, _li, wang = selecting

    with pytest.raises(Exception) as refused:
        selection_services.rankings_record(by=principal_user, post=post1, rows=[
            selection_selectors.RankingRow(zhang, 1, Decision.HIRE),
            selection_selectors.RankingRow(wang, 2, Decision.HIRE)])

    assert refused.value.messages == ["王三: 王三 did not apply for this post."]
    assert not Ranking.objects.exists()


def test_an_unchanged_row_is_not_rewritten(principal_user, liaison_user, selecting):
    cycle, post1, _post3, zhang, li, _wang = selecting
    selection_services.rankings_record(by=principal_user, post=post1, rows=[
        selection_selectors.RankingRow(zhang, 1, Decision.HIRE)])

    written = selection_services.rankings_record(by=liaison_user, post=post1, rows=[
        selection_selectors.RankingRow(zhang, 1, Decision.HIRE),
        selection_selectors.RankingRow(li, 2, Decision.NOT_HIRE)])

    assert [r.staff for r in written] == [li]
    assert Ranking.objects.get(staff=zhang).decided_by == principal_user


def test_the_page_offers_one_form_per_post_and_tells_who_applies(login, principal_user,
                                                                 school, other_school,
                                                                 selecting):
    cycle, post1, post3, zhang, _li, wang = selecting

    response = login(principal_user).get(school_url(cycle, school))

    post_html = section(response, f"post-{post1.pk}")
    assert "Save the rankings of post 1" in post_html
    assert f'name="post{post1.pk}-TOTAL_FORMS" value="2"' in post_html
    zhang_row = post_html.split(f'id="applicant-{post1.pk}-{zhang.pk}"')[1].split("</tr>")[0]
    assert "语文 · 一级教师 · " + f"{zhang.age} years old" in zhang_row
    assert "own staff" in zhang_row
    wang_row = text(response).split(f'id="applicant-{post3.pk}-{wang.pk}"')[1].split("</tr>")[0]
    assert "not the post's subject (数学)" in wang_row
    assert f"other choices: 2. {other_school.name} #1" in wang_row


# --- 8: the principal confirms several hires at once ----------------------------------------


@pytest.fixture
def decided(selecting, principal_user):
    """Both applicants of post 1 (one seat) decided 'hire', and 王三 for post 3."""
    cycle, post1, post3, zhang, li, wang = selecting
    selection_services.rankings_record(by=principal_user, post=post1, rows=[
        selection_selectors.RankingRow(zhang, 1, Decision.HIRE),
        selection_selectors.RankingRow(li, 2, Decision.HIRE)])
    selection_services.ranking_record(by=principal_user, post=post3, staff=wang, rank=1,
                                      decision=Decision.HIRE)
    return selecting


def test_confirming_several_asks_first_and_lists_the_auxiliary_duties(login, principal_user,
                                                                      school, decided):
    cycle, post1, post3, zhang, _li, wang = decided
    client = login(principal_user)
    page = client.get(school_url(cycle, school))
    assert "Review the picked hires" in text(page)
    assert f'value="{post1.pk}-{zhang.pk}"' in text(page)

    response = client.post(school_url(cycle, school, "selection_confirm_many"),
                           {"pick": [f"{post1.pk}-{zhang.pk}", f"{post3.pk}-{wang.pk}"]})

    assert response.status_code == 200
    assert not Hire.objects.exists()
    page = section(response, "confirm-many")
    assert "Confirm these 2 hires at 夏庄完小?" in page
    assert "#2 实验室管理" in page.split(f'id="picked-{post1.pk}-{zhang.pk}"')[1]
    assert "Yes, confirm these hires" in page


def test_confirming_several_reports_each_row(login, principal_user, school, decided):
    cycle, post1, post3, zhang, li, wang = decided

    response = login(principal_user).post(
        school_url(cycle, school, "selection_confirm_many"),
        {"pick": [f"{post1.pk}-{zhang.pk}", f"{post1.pk}-{li.pk}", f"{post3.pk}-{wang.pk}"],
         "confirmed": "1"}, follow=True)

    assert {(h.staff, h.post, h.confirmed_by) for h in Hire.objects.all()} == {
        (zhang, post1, principal_user), (wang, post3, principal_user)}
    assert messages_of(response) == [
        "2 hires confirmed: 张一 (#1), 王三 (#3).",
        "李二 (post 1) was not confirmed: Post 1 at 夏庄完小 is full."]


def test_only_the_principal_confirms_several(login, liaison_user, school, decided):
    cycle, post1, _post3, zhang, _li, _wang = decided

    response = login(liaison_user).post(
        school_url(cycle, school, "selection_confirm_many"),
        {"pick": [f"{post1.pk}-{zhang.pk}"], "confirmed": "1"}, follow=True)

    assert not Hire.objects.exists()
    assert messages_of(response) == [
        "张一 (post 1) was not confirmed: Only the principal confirms hires."]


def test_a_pick_of_another_schools_post_is_404(login, principal_user, school, other_school,
                                                decided):
    cycle, *_rest, wang = decided
    other_post = Post.objects.filter(cycle=cycle, school=other_school).first()

    response = login(principal_user).post(
        school_url(cycle, school, "selection_confirm_many"),
        {"pick": [f"{other_post.pk}-{wang.pk}"], "confirmed": "1"})

    assert response.status_code == 404


# --- 8 with 3: several hires at once say which auxiliary duties come with each -------------


@pytest.fixture
def one_seat_duty(office_user, principal_user, township, school):
    """Phase 6 open, the layer closed: 张一 (post 1) and 王三 (post 3) both chose the
    auxiliary post 2 (值班, one seat) as their extra duty, and both are decided 'hire'."""
    cycle = adopted_cycle(office=office_user, township=township)
    post1, duty, post3 = published(cycle, office_user, principal_user, school, teaching(1),
                                   auxiliary(2, duty="值班"), teaching(3, subject="数学"))
    zhang, wang = person(school, "张一"), person(school, "王三")
    apply(zhang, cycle, school, post1, duty)
    apply(wang, cycle, school, post3, duty)
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    for post, staff in ((post1, zhang), (post3, wang)):
        selection_services.ranking_record(by=principal_user, post=post, staff=staff, rank=1,
                                          decision=Decision.HIRE)
    return cycle, post1, duty, post3, zhang, wang


def test_the_review_of_several_hires_says_which_duties_come_and_which_cannot(
        login, principal_user, school, one_seat_duty):
    cycle, post1, _duty, post3, zhang, wang = one_seat_duty
    picks = {"pick": [f"{post1.pk}-{zhang.pk}", f"{post3.pk}-{wang.pk}"]}
    client = login(principal_user)

    response = client.post(school_url(cycle, school, "selection_confirm_many"), picks)

    page = section(response, "confirm-many")
    first = page.split(f'id="picked-{post1.pk}-{zhang.pk}"')[1].split("</li>")[0]
    second = page.split(f'id="picked-{post3.pk}-{wang.pk}"')[1].split("</li>")[0]
    assert "Come with the hire: #2 值班" in first and "Cannot come" not in first
    # the one seat goes with the first pick, confirmed before the second
    assert "Cannot come with the hire, no free seat: #2 值班" in second
    assert "Come with the hire:" not in second
    assert not Hire.objects.exists()


def test_the_message_after_several_hires_names_the_duties_not_attached(
        login, principal_user, school, one_seat_duty):
    cycle, post1, duty, post3, zhang, wang = one_seat_duty

    response = login(principal_user).post(
        school_url(cycle, school, "selection_confirm_many"),
        {"pick": [f"{post1.pk}-{zhang.pk}", f"{post3.pk}-{wang.pk}"], "confirmed": "1"},
        follow=True)

    assert messages_of(response) == [
        "2 hires confirmed: 张一 (#1), 王三 (#3).",
        "Not attached, no free seat: #2. 王三 does not hold these duties."]
    assert list(Hire.objects.get(staff=zhang).extra_posts.all()) == [duty]
    assert not Hire.objects.get(staff=wang).extra_posts.exists()


def test_the_review_says_a_pick_beyond_the_posts_last_seat_will_not_be_confirmed(
        login, principal_user, school, decided):
    cycle, post1, _post3, zhang, li, _wang = decided  # post 1 has one seat

    response = login(principal_user).post(
        school_url(cycle, school, "selection_confirm_many"),
        {"pick": [f"{post1.pk}-{zhang.pk}", f"{post1.pk}-{li.pk}"]})

    page = section(response, "confirm-many")
    first = page.split(f'id="picked-{post1.pk}-{zhang.pk}"')[1].split("</li>")[0]
    second = page.split(f'id="picked-{post1.pk}-{li.pk}"')[1].split("</li>")[0]
    assert "is full" not in first
    assert "Post 1 at 夏庄完小 is full." in second
