"""seed_demo's ballots part at the ``term`` stage: a closed, published leaders' round whose
composites show, and teacher01's school's round open for teacher01 to vote in; a second
run changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from evaluation.models import BallotParticipation, BallotRound, BallotTally, RoundState
from evaluation.selectors import ballots as selectors
from staffing.models import Publication

from .helpers import text

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_round_and_a_ballot_for_teacher01(client):
    call_command("seed_demo", "--stage", "term", stdout=StringIO())
    leaders = BallotRound.objects.get(school__isnull=True)
    assert leaders.state == RoundState.CLOSED
    rows = selectors.results_of(leaders)
    assert rows and all(row.composite is not None and row.band for row in rows)
    assert all(row.assessee.report_text for row in rows)
    voted = BallotParticipation.objects.filter(round=leaders).count()
    assert voted >= 24 + 5  # the generated voters and the demo logins
    assert sum(BallotTally.objects.filter(round=leaders).values_list("count", flat=True)) == \
        voted * len(rows)
    assert Publication.objects.filter(kind="evaluation.ballots", key=str(leaders.pk)).exists()
    teacher = get_user_model().objects.get(username="teacher01")
    open_round = BallotRound.objects.get(school__isnull=False, state=RoundState.OPEN)
    assert selectors.rounds_to_vote(teacher) == [open_round]
    client.force_login(teacher)
    assert reverse("evaluation:ballots_vote", args=[open_round.pk]) in text(client.get("/"))

    rounds, tallies = BallotRound.objects.count(), BallotTally.objects.count()
    call_command("seed_demo", "--stage", "term", stdout=StringIO())
    assert (BallotRound.objects.count(), BallotTally.objects.count()) == (rounds, tallies)
