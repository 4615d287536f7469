"""The secret ballot (述职、民主测评): who voted and what was chosen live apart, nothing in
the database joins them, no page shows a voter beside a choice, and each voter votes
once — a double submit or two requests racing give one participation and one count."""

import io

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from evaluation.models import (
    BallotInvitation,
    BallotParticipation,
    BallotRound,
    BallotTally,
    Rating,
)
from evaluation.services import ballots as services

from . import ballots_world
from .ballots_world import cast, voter
from .helpers import at_once, messages_of, text

leaders, prepared, opened = ballots_world.leaders, ballots_world.prepared, ballots_world.opened

User = get_user_model()
CHOICE_COLUMNS = {"rating", "count"}


def _columns(table):
    with connection.cursor() as cursor:
        return {c.name: c for c in connection.introspection.get_table_description(cursor, table)}


def _relations(table) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_relations(cursor, table)


@pytest.fixture
def voted(opened, school, office_user):
    """Five teachers voted, each differently for 王校长."""
    people = [voter(school, f"投票人{i}") for i in range(5)]
    for user in people:
        services.voter_invite(by=office_user, ballot_round=opened, username=user.username)
    for user, rating in zip(people, [Rating.EXCELLENT, Rating.COMPETENT, Rating.BASIC,
                                     Rating.INCOMPETENT, Rating.EXCELLENT], strict=True):
        cast(user, opened, Rating.COMPETENT, 王校长=rating)
    return people


def test_no_table_links_a_voter_or_a_participation_to_a_choice(voted, opened):
    tally = BallotTally._meta.db_table
    participation = BallotParticipation._meta.db_table
    people_tables = {User._meta.db_table, participation, BallotInvitation._meta.db_table}
    every_table = connection.introspection.table_names()
    # The choices are in one table only: no other table has a rating column.
    assert [t for t in every_table if "rating" in _columns(t)] == [tally]
    # That table points at the round and the person assessed, at nobody who voted.
    targets = {target for _column, target in _relations(tally).values()}
    assert targets == {BallotRound._meta.db_table, apps.get_model(
        "evaluation", "Assessee")._meta.db_table}
    assert not targets & people_tables
    # No table points at the choices (a voter's row that would name a count).
    for table in every_table:
        assert tally not in {target for _c, target in _relations(table).values()}, table
    # Nothing of a vote's time or order: no date or time column in either table, and no
    # history of the choices.
    for table in (tally, participation):
        kinds = {connection.introspection.get_field_type(c.type_code, c) for c in
                 _columns(table).values()}
        assert not kinds & {"DateTimeField", "DateField", "TimeField"}, (table, kinds)
    assert set(_columns(tally)) == {"id", "round_id", "assessee_id", "rating", "count"}
    assert set(_columns(participation)) == {"id", "round_id", "user_id"}
    assert not [t for t in every_table if "ballottally" in t and t != tally]
    # What the two tables share is the round: a join on it pairs every voter with every
    # count, which says nothing of anyone's choice.
    assert set(_columns(tally)) & set(_columns(participation)) == {"id", "round_id"}


def test_a_vote_creates_no_choice_row_so_no_id_follows_the_order_of_the_votes(opened, school,
                                                                             office_user):
    before = list(BallotTally.objects.order_by("pk").values_list("pk", "assessee_id", "rating"))
    assert len(before) == 3 * 4  # every person and rating, at zero, when voting opened
    assert before == sorted(before, key=lambda row: (row[1], Rating.values.index(row[2])))
    user = voter(school, "甲")
    services.voter_invite(by=office_user, ballot_round=opened, username=user.username)
    cast(user, opened, Rating.BASIC)
    after = list(BallotTally.objects.order_by("pk").values_list("pk", "assessee_id", "rating"))
    assert after == before
    assert sorted(BallotTally.objects.values_list("count", flat=True)) == [0] * 9 + [1] * 3


def test_the_counts_add_up_per_person(voted, opened):
    counts = {(t.assessee.staff.name, t.rating): t.count
              for t in BallotTally.objects.select_related("assessee__staff")}
    assert counts[("王校长", Rating.EXCELLENT)] == 2
    assert counts[("王校长", Rating.INCOMPETENT)] == 1
    assert counts[("张书记", Rating.COMPETENT)] == 5
    assert BallotParticipation.objects.filter(round=opened).count() == 5


def test_no_page_shows_a_voter_beside_a_choice(voted, opened, office_user, admin_client,
                                               login):
    services.round_close(by=office_user, ballot_round=opened)
    client = login(office_user)
    page = text(client.get(reverse("evaluation:ballots_round", args=[opened.pk])))
    results = page.split('id="results"', 1)[1].split("</section>")[0]
    assert "优秀" in results or "excellent" in results
    for user in voted:
        assert user.username not in results
    voters = page.split('id="voters"', 1)[1].split("</section>")[0]
    for label in Rating.labels:
        assert str(label) not in voters
    export = client.get(reverse("evaluation:ballots_export", args=[opened.pk]))
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    cells = {str(c.value) for row in book.active.iter_rows() for c in row}
    assert not cells & {u.username for u in voted} | {u.get_full_name() for u in voted} - {""}
    for model in (BallotTally, BallotParticipation):
        assert model not in admin.site._registry
    for name in ("ballotround", "assessee"):
        response = admin_client.get(reverse(f"admin:evaluation_{name}_changelist"))
        assert response.status_code == 200
        for label in ("优秀", "称职", "excellent"):
            assert label not in text(response)


def test_the_turnout_is_shown_while_open_never_a_count(voted, opened, office_user, login,
                                                       english_pages):
    invited = BallotInvitation.objects.filter(round=opened).count()
    page = text(login(office_user).get(reverse("evaluation:ballots_round", args=[opened.pk])))
    assert 'id="results"' not in page
    assert f"5 of {invited} voters have voted" in page.split('id="turnout"', 1)[1]


def test_a_second_submit_is_refused_and_counts_once(opened, school, office_user, login):
    user = voter(school, "乙")
    services.voter_invite(by=office_user, ballot_round=opened, username=user.username)
    data = {f"p{a.pk}": Rating.EXCELLENT for a in opened.assessees.all()} | {"confirm": "on"}
    client = login(user)
    first = client.post(reverse("evaluation:ballots_vote", args=[opened.pk]), data, follow=True)
    second = client.post(reverse("evaluation:ballots_vote", args=[opened.pk]), data, follow=True)
    assert BallotParticipation.objects.filter(round=opened, user=user).count() == 1
    assert sum(BallotTally.objects.values_list("count", flat=True)) == 3
    assert messages_of(second) and messages_of(second) != messages_of(first)


def test_a_ballot_must_rate_everyone_and_be_confirmed(opened, school, office_user, login):
    user = voter(school, "丙")
    services.voter_invite(by=office_user, ballot_round=opened, username=user.username)
    people = list(opened.assessees.all())
    client = login(user)
    url = reverse("evaluation:ballots_vote", args=[opened.pk])
    client.post(url, {f"p{people[0].pk}": Rating.EXCELLENT, "confirm": "on"})
    client.post(url, {f"p{a.pk}": Rating.EXCELLENT for a in people})
    client.post(url, {f"p{a.pk}": "best" for a in people} | {"confirm": "on"})
    assert not BallotParticipation.objects.exists()
    assert sum(BallotTally.objects.values_list("count", flat=True)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_ballots_of_one_voter_at_once_count_once(township, school, office_user, teacher):
    ballots_world.leader(school, "赵校长")
    ballot_round = ballots_world.leaders_round(office_user, township)
    services.round_open(by=office_user, ballot_round=ballot_round)
    user = teacher.user
    people = list(ballot_round.assessees.values_list("pk", flat=True))

    def send():
        services.ballot_cast(by=user, ballot_round=ballot_round,
                             ratings=dict.fromkeys(people, Rating.EXCELLENT))
        return "cast"

    outcomes = at_once(send, send)
    assert sorted(type(o).__name__ for o in outcomes) == ["ValidationError", "str"], outcomes
    assert BallotParticipation.objects.filter(round=ballot_round).count() == 1
    assert sum(BallotTally.objects.values_list("count", flat=True)) == len(people)


@pytest.mark.django_db(transaction=True)
def test_two_voters_at_once_both_count(township, school, office_user, teacher):
    ballots_world.leader(school, "钱校长")
    ballot_round = ballots_world.leaders_round(office_user, township)
    other = voter(school, "丁")
    services.voter_invite(by=office_user, ballot_round=ballot_round, username=other.username)
    services.round_open(by=office_user, ballot_round=ballot_round)
    people = list(ballot_round.assessees.values_list("pk", flat=True))

    def send(user):
        return lambda: services.ballot_cast(by=user, ballot_round=ballot_round,
                                            ratings=dict.fromkeys(people, Rating.EXCELLENT))

    assert at_once(send(teacher.user), send(other)) == [None, None]
    assert BallotParticipation.objects.filter(round=ballot_round).count() == 2
    assert set(BallotTally.objects.filter(rating=Rating.EXCELLENT)
               .values_list("count", flat=True)) == {2}  # no lost update
