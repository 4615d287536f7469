"""seed_demo's title candidates: built on a year made with titles_world (title_years' seed
runs first), idempotent, with rankings showing 是, 否 and one settled 待定."""

import pytest

from evaluation import scoring
from evaluation.demo import title_candidates as demo
from evaluation.models import CandidateState, TieDecision, TitleCandidate, TitleLevel
from evaluation.selectors import titles as title_selectors
from schools.models import Role

from . import titles_world
from .factories import SchoolFactory, StaffFactory, UserFactory, membership
from .titles_world import quota, table

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year


@pytest.fixture
def demo_world(township, year):
    table(year)
    schools = [SchoolFactory(township=township, name=name)
               for name in ("葛石镇中心中学", "葛石镇中心小学", "夏庄完小", "东张完小", "南石完小")]
    for index, school in enumerate(schools, start=1):
        principal = UserFactory(username=f"principal{index:02d}")
        membership(principal, Role.PRINCIPAL, school)
        for n in range(8):
            StaffFactory(school=school, title="一级教师" if n % 3 else "二级教师")
        quota(year, school, level=TitleLevel.SENIOR, recommended=2)
        quota(year, school, level=TitleLevel.FIRST, recommended=1)
    StaffFactory(school=schools[0], user=UserFactory(username="teacher01"), title="一级教师")
    return schools


def test_without_a_year_the_seed_does_nothing(township):
    assert demo.seed(township) == []
    assert not TitleCandidate.objects.exists()


def test_the_seed_makes_ranked_candidates_and_a_settled_tie_once(township, year, demo_world):
    assert demo.seed(township) == []
    candidates = TitleCandidate.objects.filter(year=year)
    assert 15 <= candidates.count() <= 25
    assert candidates.values("school").distinct().count() == 4
    refused = candidates.filter(state=CandidateState.REFUSED)
    assert 1 <= refused.count() <= 2 and all(c.refusal for c in refused)
    assert candidates.filter(exceptional=True).exclude(exceptional_reason="").count() == 1
    assert candidates.filter(staff__user__username="teacher01",
                             state=CandidateState.ELIGIBLE).exists()
    assert candidates.filter(state=CandidateState.DECLARED).exists()  # left to check
    rows = [row for ranking in title_selectors.rankings(year) for row in ranking.rows]
    verdicts = {row.recommended for row in rows}
    assert {"是", "否"} <= verdicts
    settled = [row for row in rows if row.verdict == scoring.UNDECIDED]
    assert len(settled) == 2 and all(row.candidate.tie_reason for row in settled)
    assert {row.candidate.tie_decision for row in settled} == {TieDecision.RECOMMEND,
                                                               TieDecision.NOT_RECOMMEND}
    eligible = candidates.filter(state=CandidateState.ELIGIBLE).first()
    assert eligible.scores.exclude(evidence="").exists() and eligible.lesson_score is not None
    count = candidates.count()
    demo.seed(township)
    assert TitleCandidate.objects.filter(year=year).count() == count
