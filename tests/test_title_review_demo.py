"""seed_demo's public scoring and exceptional review (R12): over a title year with scored
candidates (as the title_years and title_candidates parts seed it), one unit and level's
ranking valid after an objection answered with a changed score, another waiting, one
exceptional candidate reviewed through the three steps and another at step 1; run again,
nothing changes; with no year, nothing."""

from decimal import Decimal as D

import pytest

from evaluation.demo import title_review as demo
from evaluation.models import (
    ExceptionalReview,
    ObjectionState,
    ReviewOutcome,
    ReviewStep,
    TitleAcknowledgement,
    TitleObjection,
    TitleScoreChange,
)
from evaluation.selectors import titles as title_selectors

from . import titles_world
from .titles_world import candidate_login, quota, scores, table

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year


@pytest.fixture
def seeded_world(year, school, other_school, principal_user, other_principal):
    the_table = table(year)
    for where in (school, other_school):
        quota(year, where, recommended=1)
    people = []
    for n, (where, name) in enumerate([(school, "甲"), (school, "乙"), (school, "丙"),
                                       (other_school, "丁"), (other_school, "戊")]):
        person = candidate_login(year, where, f"demo-{n}", name=f"{name}老师",
                                 lesson=str(80 + n), exceptional=name in "丙戊")
        scores(person, the_table, A1=str(5 + n), B1="10")
        people.append(person)
    return people


def test_the_demo_seeds_a_valid_and_a_waiting_ranking_an_answer_and_two_reviews(
        seeded_world, year, county_user):
    assert demo.seed(year.county.townships.first()) == []
    rankings = title_selectors.rankings(year)
    assert sorted(r.valid for r in rankings) == [False, True]
    waiting = next(r for r in rankings if not r.valid)
    assert len(waiting.waiting) == len(waiting.rows) - 1
    objection = TitleObjection.objects.get()
    assert objection.state == ObjectionState.ANSWERED
    [change] = TitleScoreChange.objects.filter(objection=objection)
    assert change.new == change.old + 1 and change.item.code == "A1"
    assert objection.candidate.scores.get(item=change.item).history.latest().score == change.new
    reviews = sorted(ExceptionalReview.objects.all(), key=lambda r: -r.step)
    assert [r.step for r in reviews] == [ReviewStep.FINAL, ReviewStep.UNIT]
    assert reviews[0].outcome == ReviewOutcome.PASSED and reviews[0].final_score == D("84")
    assert reviews[0].final_by == county_user


def test_the_demo_runs_again_without_changing_anything(seeded_world, year):
    township = year.county.townships.first()
    demo.seed(township)
    counts = (TitleAcknowledgement.objects.count(), TitleObjection.objects.count(),
              ExceptionalReview.objects.count(), TitleScoreChange.objects.count())
    demo.seed(township)
    assert counts == (TitleAcknowledgement.objects.count(), TitleObjection.objects.count(),
                      ExceptionalReview.objects.count(), TitleScoreChange.objects.count())


def test_without_a_title_year_the_demo_does_nothing(township):
    assert demo.seed(township) == []
    assert not TitleAcknowledgement.objects.exists()
