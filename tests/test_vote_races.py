"""The congress vote under concurrent requests: real threads, each on its own database
connection, released together by a barrier.

On PostgreSQL the vote's services serialize on the cycle row (``select_for_update``)
and the database refuses a second ballot (``ballot_once``); on SQLite, IMMEDIATE
transactions serialize writers. Either way the same outcomes must hold.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recruitment.models import Ballot, Representative, Vote
from recruitment.phases import DRAFT, VOTE
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services

from .helpers import TEXT, at_once, person, phase, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]


def open_vote_with(office_user, township, school, *, year, size):
    """A cycle of ``year`` with ``size`` representatives and its vote open."""
    cycle = cycle_services.cycle_create(by=office_user, township=township, school_year=year)
    cycle_services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    plan_services.plan_revise(by=office_user, cycle=cycle, text=TEXT)
    people = [person(school, f"{year}-代表{i}") for i in range(size)]
    for rep in people:
        consultation_services.representative_add(by=office_user, cycle=cycle, staff=rep)
    run(cycle, office_user, DRAFT, 2, 3)
    cycle_services.phase_open(by=office_user, phase=phase(cycle, VOTE))
    return cycle, people


def cast(cycle, rep, choice):
    return lambda: consultation_services.vote_cast(by=rep.user, cycle=cycle, choice=choice)


def test_two_ballots_of_one_representative_at_once_yield_exactly_one(office_user, township,
                                                                     school):
    cycle, people = open_vote_with(office_user, township, school, year=2026, size=4)

    # Each representative's phone sends two ballots at once (a double tap, two tabs).
    outcomes = at_once(*(cast(cycle, p, choice) for p in people
                         for choice in ("for", "against")))

    for index, rep in enumerate(people):
        pair = outcomes[2 * index: 2 * index + 2]
        cast_ok = [o for o in pair if isinstance(o, Ballot)]
        refused = [o for o in pair if isinstance(o, ValidationError)]
        assert (len(cast_ok), len(refused)) == (1, 1), pair
        assert refused[0].messages == ["You have voted."]
        [ballot] = Ballot.objects.filter(representative__staff=rep)
        assert ballot.pk == cast_ok[0].pk
    assert Ballot.objects.count() == len(people)


def test_the_database_refuses_a_second_ballot_even_past_the_services(office_user, township,
                                                                     school):
    cycle, people = open_vote_with(office_user, township, school, year=2026, size=1)
    vote = Vote.objects.get(cycle=cycle)
    representative = Representative.objects.get(staff=people[0])

    def insert(choice):
        def call():
            with transaction.atomic():
                return Ballot.objects.create(vote=vote, representative=representative,
                                             choice=choice)
        return call

    outcomes = at_once(insert("for"), insert("against"))

    assert sorted(type(o).__name__ for o in outcomes) == ["Ballot", "IntegrityError"]
    assert isinstance(next(o for o in outcomes if not isinstance(o, Ballot)), IntegrityError)
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_a_ballot_racing_the_close_is_either_counted_or_refused(office_user, township, school,
                                                                year):
    cycle, people = open_vote_with(office_user, township, school, year=year, size=6)

    *ballots, closed = at_once(
        *(cast(cycle, p, "for" if i % 2 else "against") for i, p in enumerate(people)),
        lambda: consultation_services.vote_close(by=office_user, cycle=cycle),
    )

    assert isinstance(closed, Vote), closed
    vote = Vote.objects.get(pk=closed.pk)
    for rep, outcome in zip(people, ballots, strict=True):
        stored = Ballot.objects.filter(vote=vote, representative__staff=rep)
        if isinstance(outcome, Ballot):
            assert stored.get().pk == outcome.pk  # cast before the close: counted below
        else:
            assert isinstance(outcome, ValidationError), outcome  # after: refused, no row
            assert not stored.exists()
    counted = Ballot.objects.filter(vote=vote)
    assert vote.turnout == counted.count() == sum(isinstance(o, Ballot) for o in ballots)
    assert vote.votes_for == counted.filter(choice="for").count()
    assert vote.votes_against == counted.filter(choice="against").count()
