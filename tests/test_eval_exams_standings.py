"""school_standings (for the letters): the latest exam on or before a date, each school's
mean difference against the township average weighted by 参考人数, and its rank."""

from datetime import date
from decimal import Decimal

from evaluation.selectors import exams as exam_selectors

from .exams_world import run, score, teachers


def test_standings_of_the_latest_exam(township, school, other_school, office_user):
    a, = teachers(school, 1)
    b, = teachers(other_school, 1, prefix="东张")
    rows = [score(a, "90", takers=30), score(b, "80", takers=10),  # 三年级语文: 87.5
            score(a, "70", takers=10, subject="数学"),
            score(b, "74", takers=30, subject="数学")]  # 三年级数学: 73
    run(office_user, township, rows, dry_run=False)
    later = [score(a, "60", exam="秋季统考", day="2026-12-20"),
             score(b, "80", exam="秋季统考", day="2026-12-20")]
    run(office_user, township, later)
    standings = exam_selectors.school_standings(township.pk, before=date(2026, 7, 1))
    # 夏庄: 语文 +2.5 over 30 pupils, 数学 −3 over 10 → (75 − 30) / 40 = 1.125
    # 东张: 语文 −7.5 over 10, 数学 +1 over 30 → (−75 + 30) / 40 = −1.125
    assert standings[school.pk].difference == Decimal("1.125")
    assert standings[other_school.pk].difference == Decimal("-1.125")
    assert (standings[school.pk].rank, standings[other_school.pk].rank) == (1, 2)
    assert standings[school.pk].of == 2 and standings[school.pk].takers == 40
    latest = exam_selectors.school_standings(township.pk)
    assert latest[other_school.pk].rank == 1 and latest[school.pk].difference == -10


def test_no_exam_no_standings(township, foreign_school):
    assert exam_selectors.school_standings(township.pk) == {}
    assert exam_selectors.school_standings(township.pk, before=date(2000, 1, 1)) == {}


def test_equal_schools_share_a_rank(township, school, other_school, office_user):
    a, = teachers(school, 1)
    b, = teachers(other_school, 1, prefix="东张")
    run(office_user, township, [score(a, "80"), score(b, "80")])
    standings = exam_selectors.school_standings(township.pk)
    assert {s.rank for s in standings.values()} == {1}
