"""R12's arithmetic (shared/spec/title-scoring.md): the pure core and the rankings read
over the tables."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from evaluation import scoring
from evaluation.models import TieDecision, TitleAcknowledgement, TitleScore, YearState
from evaluation.selectors import titles as title_selectors
from evaluation.services import titles as title_services

from . import titles_world
from .titles_world import candidate, quota, scores, table

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year

CAPS = {"师德": None, "教学业绩": D("30")}


def test_group_caps_apply_to_the_groups_sum_not_to_each_item():
    q = scoring.quantitative([("师德", D("8")), ("教学业绩", D("20")), ("教学业绩", D("15"))],
                             CAPS)
    assert q == D("38")  # 8 + min(35, 30)


def test_total_is_exact_with_the_years_shares():
    assert scoring.total(D("38"), D("85.5"), q_share=D("0.7"), lesson_share=D("0.3")) == D(
        "52.25")


def entries(*triples):
    return [scoring.Entry(key, D(q), D(lesson), D(t)) for key, q, lesson, t in triples]


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranked = scoring.rank(entries(("a", "10", "80", "50"), ("b", "10", "80", "50"),
                                  ("c", "9", "70", "40"), ("d", "12", "60", "60")), quota=3)
    assert [(r.key, r.rank) for r in ranked] == [("d", 1), ("a", 2), ("b", 2), ("c", 4)]
    assert [r.recommended for r in ranked] == ["是", "是", "是", "否"]


def test_equal_totals_are_ordered_by_q_then_by_the_lesson():
    ranked = scoring.rank(entries(("low_q", "10", "90", "50"), ("high_q", "20", "10", "50"),
                                  ("high_l", "20", "20", "50")), quota=1)
    assert [(r.key, r.rank) for r in ranked] == [("high_l", 1), ("high_q", 2), ("low_q", 3)]


def test_a_group_of_equals_straddling_the_quota_edge_is_undecided():
    ranked = scoring.rank(entries(("a", "10", "80", "60"), ("b", "10", "80", "50"),
                                  ("c", "10", "80", "50"), ("d", "1", "1", "1")), quota=2)
    assert [r.recommended for r in ranked] == ["是", "待定", "待定", "否"]


def test_a_quota_of_zero_recommends_nobody():
    ranked = scoring.rank(entries(("a", "10", "80", "60")), quota=0)
    assert [r.recommended for r in ranked] == ["否"]


@pytest.mark.django_db
def test_rankings_read_caps_shares_and_acknowledgements(year, school, county_user):
    the_table = table(year)
    group = quota(year, school, recommended=1)
    first = candidate(year, school=school, lesson="90")
    second = candidate(year, school=school, lesson="90")
    scores(first, the_table, A1="10", B1="20", B2="20")  # Q = 10 + 30
    scores(second, the_table, A1="10", B1="15")  # Q = 25
    [ranking] = title_selectors.rankings(year)
    assert [(row.candidate, row.q, row.total, row.rank, row.recommended)
            for row in ranking.rows] == [
        (first, D("40"), D("0.7") * 40 + D("0.3") * 90, 1, "是"),
        (second, D("25"), D("0.7") * 25 + D("0.3") * 90, 2, "否")]
    assert not ranking.valid
    for person in (first, second):
        TitleAcknowledgement.objects.create(candidate=person, revision=group.revision,
                                            acknowledged_by=county_user)
    [ranking] = title_selectors.rankings(year)
    assert ranking.valid


@pytest.mark.django_db
def test_a_settled_tie_shows_the_committees_decision(year, school):
    the_table = table(year)
    quota(year, school, recommended=1)
    a = candidate(year, school=school, lesson="80", tie_decision=TieDecision.RECOMMEND,
                  tie_reason="教龄更长")
    b = candidate(year, school=school, lesson="80", tie_decision=TieDecision.NOT_RECOMMEND,
                  tie_reason="教龄更短")
    scores(a, the_table, A1="5")
    scores(b, the_table, A1="5")
    [ranking] = title_selectors.rankings(year)
    assert {row.candidate: (row.verdict, row.recommended) for row in ranking.rows} == {
        a: ("待定", "是"), b: ("待定", "否")}


@pytest.mark.django_db
def test_a_changed_score_keeps_its_history_and_asks_for_new_acknowledgements(
        year, school, county_user, english):
    the_table = table(year)
    group = quota(year, school, recommended=1)
    person = candidate(year, school=school, lesson="80")
    item = the_table.items.get(code="B1")
    TitleAcknowledgement.objects.create(candidate=person, revision=group.revision,
                                        acknowledged_by=county_user)
    title_services.score_set(by=county_user, candidate=person, item=item, score=D("12"),
                             evidence="区级质量奖")
    assert title_services.score_set(by=county_user, candidate=person, item=item,
                                    score=D("12"), evidence="区级质量奖") is None
    title_services.score_set(by=county_user, candidate=person, item=item, score=D("15"),
                             evidence="市级质量奖")
    assert title_services.lesson_set(by=county_user, candidate=person, score=D("85"))
    row = TitleScore.objects.get(candidate=person, item=item)
    assert [(h.score, h.evidence, h.history_user) for h in row.history.order_by("history_id")
            ] == [(D("12"), "区级质量奖", county_user), (D("15"), "市级质量奖", county_user)]
    group.refresh_from_db()
    assert group.revision == 3
    [ranking] = title_selectors.rankings(year)
    assert not ranking.valid and ranking.waiting == [person]
    year.state = YearState.CLOSED
    year.save()
    person.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        title_services.score_set(by=county_user, candidate=person, item=item, score=D("1"))
