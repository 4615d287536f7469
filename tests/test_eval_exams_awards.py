"""R9's pure core (evaluation.awards): the margin's edge, one or several classes, with and
without a county average, the sixth excellence award, several exams in date order."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from evaluation import awards
from evaluation.awards import EXCELLENCE, STANDARD, ClassResult, ExamInput


def exam(key, results, county=None, day=date(2026, 6, 28)):
    return ExamInput(key=key, date=day, results=results, county=county or {})


def row(teacher, average, takers=40, grade="三年级", subject="语文"):
    return ClassResult(grade=grade, subject=subject, teacher=teacher, takers=takers,
                       average=Decimal(average))


def kinds(found):
    return {(a.teacher, a.grade, a.subject): a.kind for a in found}


def test_township_average_is_weighted_by_takers():
    found = awards.subject_averages(exam(1, [row("a", "80", 30), row("b", "70", 10)]))
    assert found[0].township == Fraction(30 * 80 + 10 * 70, 40)  # 77.5, not 75


@pytest.mark.parametrize(("score", "kind"), [
    ("90.00", EXCELLENCE),  # exactly 10 above → excellence
    ("89.99", STANDARD),  # 9.99 above → standard only
    ("80.01", STANDARD),
    ("80.00", None),  # equal to the average → none
    ("79.99", None),
])
def test_the_margins_edge_against_the_county_average(score, kind):
    # The township average is pulled up by the teacher's own class; the county's is 80.
    found = awards.exam_awards(exam(1, [row("t", score), row("other", "95")],
                                    county={("三年级", "语文"): Decimal("80")}))
    assert kinds(found).get(("t", "三年级", "语文")) == kind


@pytest.mark.parametrize(("score", "kind"), [
    ("90", EXCELLENCE), ("89.99", STANDARD), ("80", None)])
def test_the_margins_edge_against_the_township_average(score, kind):
    # Two classes of 40 at a and b average to 80 exactly when a + b = 160.
    other = Decimal(160) - Decimal(score)
    # With no county average, only the township's counts; a teacher 10 above it must be
    # compared against a township average that includes their own class.
    found = awards.exam_awards(exam(1, [row("t", score, 10), row("x", other, 10),
                                        row("y", "80", 20)]))
    township = Fraction(80)
    assert awards.subject_averages(exam(1, [row("t", score, 10), row("x", other, 10),
                                            row("y", "80", 20)]))[0].township == township
    assert kinds(found).get(("t", "三年级", "语文")) == kind


def test_no_rounding_before_comparing():
    # The teacher's score is (90.01 + 2 × 89.99) / 3 = 89.99666…, which shows as 90.00:
    # against the county's 80 it is 9.9966… above, so standard, not excellence.
    results = [row("t", "90.01", 1), row("t", "89.99", 2), row("u", "95", 3)]
    county = {("三年级", "语文"): Decimal("80")}
    group = awards.subject_averages(exam(1, results, county))[0]
    assert group.teachers["t"] == Fraction(26999, 300)
    assert round(float(group.teachers["t"]), 2) == 90.0
    assert kinds(awards.exam_awards(exam(1, results, county)))[("t", "三年级", "语文")] \
        == STANDARD


def test_a_teacher_of_several_classes_is_scored_on_their_weighted_mean():
    results = [row("t", "95", 10), row("t", "75", 30), row("u", "80", 40)]
    group = awards.subject_averages(exam(1, results))[0]
    assert group.teachers["t"] == Fraction(95 * 10 + 75 * 30, 40)  # 80, not 85
    assert group.township == 80
    assert kinds(awards.exam_awards(exam(1, results))) == {}  # neither above 80


def test_one_award_per_teacher_exam_grade_and_subject():
    results = [row("t", "99", 20), row("t", "98", 20), row("u", "60", 40),
               row("t", "99", 20, subject="数学"), row("u", "60", 20, subject="数学")]
    found = awards.exam_awards(exam(1, results))
    assert sorted((a.teacher, a.subject) for a in found) == [("t", "数学"), ("t", "语文")]


def test_some_average_in_a_is_enough():
    # Township 85 (not beaten by 10), county 70: 86 is 16 above the county → excellence.
    results = [row("t", "86"), row("u", "84")]
    county = {("三年级", "语文"): Decimal("70")}
    found = kinds(awards.exam_awards(exam(1, results, county)))
    assert found[("t", "三年级", "语文")] == EXCELLENCE
    # Below the township, above the county → standard.
    county = {("三年级", "语文"): Decimal("80")}
    assert kinds(awards.exam_awards(exam(1, results, county)))[("u", "三年级", "语文")] == STANDARD
    # Without the county average, 84 is below the township's 85: nothing.
    assert ("u", "三年级", "语文") not in kinds(awards.exam_awards(exam(1, results)))


def test_the_margin_is_a_setting():
    results = [row("t", "86"), row("u", "74")]  # township 80
    assert kinds(awards.exam_awards(exam(1, results)))[("t", "三年级", "语文")] == STANDARD
    assert kinds(awards.exam_awards(exam(1, results), margin=5))[("t", "三年级", "语文")] \
        == EXCELLENCE
    assert kinds(awards.exam_awards(exam(1, results), margin=Decimal("6.01"))).get(
        ("t", "三年级", "语文")) == STANDARD


def excellent_exam(key, day, grade="三年级"):
    return exam(key, [row("t", "95", grade=grade), row("u", "60", grade=grade)], day=day)


def test_the_sixth_excellence_award_makes_a_model_teacher():
    exams = [excellent_exam(k, date(2020 + k, 6, 1)) for k in range(1, 8)]
    found = [a for a in awards.awards(exams) if a.teacher == "t"]
    assert [a.excellence_count for a in found] == [1, 2, 3, 4, 5, 6, 7]
    assert [a.model_teacher for a in found] == [False] * 5 + [True, False]
    assert awards.still_needed(4) == 2 and awards.still_needed(7) == 0


def test_exams_count_in_date_order_whatever_the_order_given():
    early = exam(9, [row("t", "95"), row("u", "60")], day=date(2025, 1, 10))  # excellence
    late = exam(1, [row("t", "80"), row("u", "76")], day=date(2026, 1, 10))  # standard
    for given in ([early, late], [late, early]):
        found = {a.exam: a for a in awards.awards(given) if a.teacher == "t"}
        assert found[9].excellence_count == 1
        assert found[1].kind == STANDARD and found[1].excellence_count == 1


def test_standard_awards_do_not_count_toward_model_teacher():
    exams = [excellent_exam(k, date(2020, 1, k)) for k in range(1, 6)]
    exams.append(exam(6, [row("t", "81"), row("u", "79")], day=date(2020, 1, 6)))
    found = [a for a in awards.awards(exams) if a.teacher == "t"]
    assert not any(a.model_teacher for a in found)
    assert found[-1].kind == STANDARD and found[-1].excellence_count == 5


def test_several_subjects_of_one_exam_count_in_grade_order():
    results = []
    for grade in ("五年级", "三年级"):
        results += [row("t", "95", grade=grade), row("u", "60", grade=grade)]
    exams = [excellent_exam(k, date(2020, 1, k)) for k in range(1, 5)]
    exams.append(exam(5, results, day=date(2020, 1, 5)))
    found = {(a.exam, a.grade): a for a in awards.awards(exams) if a.teacher == "t"}
    assert found[(5, "三年级")].excellence_count == 5
    assert found[(5, "五年级")].excellence_count == 6 and found[(5, "五年级")].model_teacher


def test_no_results_no_awards():
    assert awards.awards([]) == []
    with pytest.raises(ValueError):
        awards.weighted_mean([(0, Decimal(80))])
