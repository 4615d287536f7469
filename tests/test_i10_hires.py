"""Issue 10, items 3 and 7 (hires): the auxiliary duties that come with a hire (R2 "1+X")
shown before the confirmation, said after it, and listed on the auxiliary post's card;
the confirmation step before a hire; the office's withdrawal of a confirmed hire."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recruitment.models import Hire
from recruitment.phases import SELECTION
from recruitment.selectors import selection as selection_selectors
from recruitment.services import selection as selection_services

from .factories import adopted_cycle
from .helpers import (
    apply,
    auxiliary,
    close_phase,
    messages_of,
    person,
    published,
    school_url,
    teaching,
    text,
    to_selection,
)

pytestmark = pytest.mark.usefixtures("english_pages", "english")


@pytest.fixture
def cycle(office_user, township, school, other_school):
    """The plan adopted with ``school`` in the first layer (it confirms from the start)."""
    return adopted_cycle(office=office_user, township=township, first_step=[school])


@pytest.fixture
def posts(cycle, office_user, principal_user, school):
    """Teaching posts 1 and 3, auxiliary post 2 (值班, one seat)."""
    return published(cycle, office_user, principal_user, school, teaching(1),
                     auxiliary(2, duty="值班"), teaching(3, subject="数学"))


@pytest.fixture
def people(school):
    return {name: person(school, name) for name in ("甲老师", "乙老师", "丙老师")}


@pytest.fixture
def selecting(cycle, office_user, posts, people, school):
    """甲 applied for 1 + 2, 乙 for 3 + 2, 丙 for 2 alone (support staff); phase 6 open."""
    apply(people["甲老师"], cycle, school, posts[0], posts[1])
    apply(people["乙老师"], cycle, school, posts[2], posts[1])
    apply(people["丙老师"], cycle, school, None, posts[1])
    to_selection(cycle, office_user)
    return cycle


def decide(by, post, staff):
    return selection_services.ranking_record(by=by, post=post, staff=staff, rank=1,
                                             decision="hire")


def confirm_url(cycle, post, staff):
    return school_url(cycle, post.school, "selection_confirm", post.pk) + f"?staff={staff.pk}"


# --- item 3: the auxiliary duties that come with a hire --------------------------------------


def test_the_preview_says_which_duties_come_with_the_hire(selecting, posts, people,
                                                          principal_user):
    decide(principal_user, posts[0], people["甲老师"])

    before = selection_selectors.hire_preview(posts[0], people["甲老师"])
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=people["甲老师"])
    after = selection_selectors.hire_preview(posts[2], people["乙老师"])

    assert (before.duties, before.full) == ([posts[1]], [])
    assert (after.duties, after.full) == ([], [posts[1]])  # its one seat is 甲's now


def test_the_confirmation_page_shows_the_duties_that_cannot_come(login, selecting, posts,
                                                                 people, principal_user):
    decide(principal_user, posts[0], people["甲老师"])
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=people["甲老师"])
    decide(principal_user, posts[2], people["乙老师"])
    client = login(principal_user)

    board = client.get(school_url(selecting, posts[0].school))
    page = client.get(confirm_url(selecting, posts[2], people["乙老师"]))

    assert confirm_url(selecting, posts[2], people["乙老师"]).split("?")[0] in text(board)
    assert page.status_code == 200
    assert "Hire 乙老师 to post 3 at 夏庄完小?" in text(page)
    full = text(page).split('id="duties-full"', 1)[1].split("</ul>")[0]
    assert "#2 值班" in full
    assert 'id="duties-attached"' not in text(page)
    assert "Yes, confirm the hire" in text(page)
    assert not Hire.objects.filter(staff=people["乙老师"]).exists()  # a GET changes nothing


def test_the_message_after_confirming_says_which_duties_were_not_attached(
        login, selecting, posts, people, principal_user):
    decide(principal_user, posts[0], people["甲老师"])
    decide(principal_user, posts[2], people["乙老师"])
    client = login(principal_user)

    first = client.post(school_url(selecting, posts[0].school, "selection_confirm",
                                   posts[0].pk), {"staff": people["甲老师"].pk}, follow=True)
    second = client.post(school_url(selecting, posts[0].school, "selection_confirm",
                                    posts[2].pk), {"staff": people["乙老师"].pk}, follow=True)

    assert messages_of(first) == ["甲老师 is hired to post 1, with the auxiliary duties #2."]
    assert messages_of(second) == [
        "乙老师 is hired to post 3.",
        "Not attached, no free seat: #2. 乙老师 does not hold these duties."]


def test_the_auxiliary_posts_card_lists_its_extra_duty_applicants_and_holder(
        login, selecting, posts, people, principal_user):
    decide(principal_user, posts[0], people["甲老师"])
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=people["甲老师"])
    decide(principal_user, posts[1], people["丙老师"])

    response = login(principal_user).get(school_url(selecting, posts[0].school))

    card = text(response).split(f'id="post-{posts[1].pk}"', 1)[1].split("</article>")[0]
    assert "1 of 1 seat taken" in card
    assert "2 applicants chose it as an extra duty (+X) of another post" in card
    holder = card.split(f'id="duty-{posts[1].pk}-{people["甲老师"].pk}"', 1)[1].split("</li>")[0]
    assert "with post 1" in holder and "holds this duty" in holder
    waiting = card.split(f'id="duty-{posts[1].pk}-{people["乙老师"].pk}"', 1)[1]
    assert "with post 3" in waiting.split("</li>")[0]
    # 丙 competes for post 2 itself: listed with the post's applicants, and told it is full.
    assert f'id="applicant-{posts[1].pk}-{people["丙老师"].pk}"' in card
    assert "Post 2 at 夏庄完小 is full." in card
    assert "No applicant for this post." not in card



# --- item 7: the office withdraws a confirmed hire -------------------------------------------


@pytest.fixture
def hired(selecting, posts, people, principal_user):
    """甲 hired to post 1 with the duty #2 (its one seat)."""
    decide(principal_user, posts[0], people["甲老师"])
    return selection_services.hire_confirm(by=principal_user, post=posts[0],
                                           staff=people["甲老师"])


def test_the_office_withdraws_a_hire_the_seat_and_duty_free_again(
        selecting, hired, posts, people, office_user, principal_user):
    selection_services.hire_withdraw(by=office_user, hire=hired, reason="材料不实")

    assert not Hire.objects.filter(staff=people["甲老师"]).exists()
    assert selection_selectors.seats_taken(posts[0]) == 0
    assert selection_selectors.seats_taken(posts[1]) == 0  # the duty went with it
    record = Hire.history.filter(id=hired.pk, history_type="-").get()
    assert (record.history_user, record.history_change_reason) == (office_user, "材料不实")
    # 乙 now gets the duty #2 with a hire to post 3.
    decide(principal_user, posts[2], people["乙老师"])
    again = selection_services.hire_confirm(by=principal_user, post=posts[2],
                                            staff=people["乙老师"])
    assert list(again.extra_posts.all()) == [posts[1]]


def test_a_withdrawal_needs_a_reason_the_office_and_an_open_selection(
        selecting, hired, office_user, principal_user):
    with pytest.raises(ValidationError, match="Give the reason"):
        selection_services.hire_withdraw(by=office_user, hire=hired, reason="  ")
    with pytest.raises(PermissionDenied):
        selection_services.hire_withdraw(by=principal_user, hire=hired, reason="错")
    close_phase(selecting, office_user, SELECTION)
    with pytest.raises(ValidationError, match="is closed"):
        selection_services.hire_withdraw(by=office_user, hire=hired, reason="错")
    assert Hire.objects.filter(pk=hired.pk).exists()


def test_the_hire_of_a_proposed_cadre_is_not_withdrawn(selecting, hired, people, office_user,
                                                         principal_user):
    selection_services.cadre_propose(by=principal_user, cycle=selecting,
                                     staff=people["甲老师"], title="教导主任")

    with pytest.raises(ValidationError, match="middle-level cadre"):
        selection_services.hire_withdraw(by=office_user, hire=hired, reason="错")


def test_the_office_withdraws_from_the_school_page_after_a_confirmation(
        login, selecting, hired, posts, people, office_user):
    client = login(office_user)
    withdraw = school_url(selecting, posts[0].school, "selection_hire_withdraw", hired.pk)

    board = client.get(school_url(selecting, posts[0].school))
    page = client.get(withdraw, {"reason": "材料不实"})
    assert Hire.objects.filter(pk=hired.pk).exists()  # the GET changed nothing
    response = client.post(withdraw, {"reason": "材料不实"}, follow=True)

    assert withdraw in text(board)
    effects = text(page).split('id="withdraw-effects"', 1)[1].split("</ul>")[0]
    assert "The seat of post 1 is free again." in effects
    assert "#2 值班" in effects
    assert "材料不实</textarea>" in text(page)
    assert messages_of(response) == [
        "The hire of 甲老师 to post 1 is withdrawn: the seat is free and 甲老师 is unhired "
        "again."]
    withdrawn = text(response).split('id="withdrawn"', 1)[1].split("</ol>")[0]
    assert "withdrew the hire of 甲老师 to post 1" in withdrawn
    assert "材料不实" in withdrawn and "office" in withdrawn


def test_only_the_office_sees_the_withdrawal(login, selecting, hired, posts, principal_user):
    client = login(principal_user)
    withdraw = school_url(selecting, posts[0].school, "selection_hire_withdraw", hired.pk)

    board = client.get(school_url(selecting, posts[0].school))

    assert withdraw not in text(board)
    assert client.get(withdraw).status_code == 403
    assert client.post(withdraw, {"reason": "错"}).status_code == 403
    assert Hire.objects.filter(pk=hired.pk).exists()
