"""The principals' confirmations under concurrent requests: real threads, each with its
own database connection and its own logged-in client, released together by a barrier
(``at_once``), posting to the confirm button of the school's selection page.

On PostgreSQL ``selection._take`` counts a post's seats under a row lock on the post,
and the database refuses a second hire of one person in a cycle
(``hire_once_per_cycle``); on SQLite, IMMEDIATE transactions serialize writers. Either
way a post is never over-filled and nobody is hired twice, and the refused request
says why."""

import html
import re

import pytest
from django.conf import settings
from django.test import Client

from recruitment import rules
from recruitment.models import Hire
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services
from schools.models import SchoolKind

from .factories import SchoolFactory, adopted_cycle
from .helpers import at_once, auxiliary, person, principal_of, school_url, teaching, to_selection

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]

MESSAGE = re.compile(r'<li class="message ([a-z]+)" role="status">(.*?)</li>')
ROUNDS = [1, 2, 3]  # each round a fresh world: a race may be won either way


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def confirm(client, cycle, post, staff):
    """The principal presses "Confirm hire": the messages the page then shows, as (kind,
    text), read from the HTML (``response.context`` is filled by a process-wide signal:
    threads would mix it)."""
    def call():
        response = client.post(school_url(cycle, post.school, "selection_confirm", post.pk),
                               {"staff": staff.pk}, follow=True)
        assert response.status_code == 200
        return [(tag, html.unescape(m)) for tag, m in MESSAGE.findall(response.content.decode())]
    return call


@pytest.mark.parametrize("round_", ROUNDS)
def test_two_principals_confirming_one_person_at_once_hire_them_once(office_user, township,
                                                                     school, round_):
    middle = SchoolFactory(township=township, name="中心中学", kind=SchoolKind.CENTRAL_MIDDLE)
    primary = SchoolFactory(township=township, name="中心小学",
                            kind=SchoolKind.CENTRAL_PRIMARY)
    cycle = adopted_cycle(office=office_user, township=township, first_step=[middle, primary])
    heads = {s: principal_of(s, s.name) for s in (middle, primary)}
    posts = {}
    for centre, boss in heads.items():
        posts[centre] = [posts_services.post_save(by=boss, cycle=cycle, school=centre, fields=f)
                         for f in (teaching(1), auxiliary(2, seats=3))]
        posts_services.posts_publish(by=office_user, cycle=cycle, school=centre)
    # A teacher of a complete primary applies to both centres, which recruit township-wide.
    star = person(school, "骨干甲")
    posts_services.intention_submit(by=star.user, cycle=cycle, choices=[
        rules.Choice(centre, posts[centre][0], [posts[centre][1]]) for centre in (middle, primary)])
    to_selection(cycle, office_user)
    for centre, boss in heads.items():
        selection_services.ranking_record(
            by=boss, post=posts[centre][0], staff=star, rank=1, decision="hire"
        )

    outcomes = at_once(*(confirm(client_of(boss), cycle, posts[centre][0], star)
                         for centre, boss in heads.items()))

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    hired = [o for o in outcomes if o[0][0] == "success" and o[0][1].startswith("骨干甲 is hired")]
    refused = [o for o in outcomes if o == [("error", "骨干甲 is already hired in this cycle.")]]
    assert (len(hired), len(refused)) == (1, 1), outcomes
    [hire] = Hire.objects.filter(cycle=cycle, staff=star)
    assert hire.post in (posts[middle][0], posts[primary][0])
    assert hire.extra_posts.count() == 1  # the auxiliary duty of the school that won


@pytest.mark.parametrize("round_", ROUNDS)
def test_two_confirmations_for_the_last_seat_at_once_fill_it_once(office_user, township,
                                                                  school, principal_user,
                                                                  round_):
    cycle = adopted_cycle(office=office_user, township=township)
    post, aux = [posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=f)
                 for f in (teaching(1), auxiliary(2, seats=3))]
    posts_services.posts_publish(by=office_user, cycle=cycle, school=school)
    applicants = [person(school, name) for name in ("甲", "乙")]
    for staff in applicants:
        posts_services.intention_submit(by=staff.user, cycle=cycle,
                             choices=[rules.Choice(school, post, [aux])])
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    for rank, staff in enumerate(applicants, start=1):
        selection_services.ranking_record(by=principal_user, post=post, staff=staff, rank=rank,
                           decision="hire")

    # The principal confirms both from two tabs at the same moment.
    outcomes = at_once(*(confirm(client_of(principal_user), cycle, post, staff)
                         for staff in applicants))

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    full = [("error", "Post 1 at 夏庄完小 is full.")]
    assert sorted(o == full for o in outcomes) == [False, True], outcomes
    [hire] = Hire.objects.filter(cycle=cycle, post=post)
    winner = applicants[[o == full for o in outcomes].index(False)]
    assert hire.staff == winner
    assert outcomes[applicants.index(winner)] == [
        ("success", f"{winner.name} is hired to post 1, with the auxiliary duties #2.")]
