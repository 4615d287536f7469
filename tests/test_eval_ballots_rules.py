"""The ballots' pure rules: the evaluation's score from the counts, the composite under
the township's weights, the grade band, the weights and scores refused, a duty report's
kind by its content, and the term of a date."""

from datetime import date
from decimal import Decimal

import pytest

from evaluation import rules

POINTS = rules.BALLOT_RATING_POINTS


def test_the_evaluation_score_weights_the_points_by_the_votes():
    counts = {"excellent": 6, "competent": 3, "basic": 1, "incompetent": 0}
    assert rules.evaluation_score(counts, POINTS) == Decimal("90.00")  # (600+240+60)/10
    assert rules.evaluation_score({"incompetent": 2}, POINTS) == Decimal("0.00")
    assert rules.evaluation_score({"excellent": 1, "competent": 2}, POINTS) == Decimal("86.67")


def test_no_vote_gives_no_score():
    assert rules.evaluation_score({}, POINTS) is None
    assert rules.evaluation_score({r: 0 for r in rules.BALLOT_RATINGS}, POINTS) is None


def test_the_points_are_a_setting():
    assert rules.evaluation_score({"competent": 1}, {**POINTS, "competent": 85}) == 85


def test_the_composite_combines_under_the_weights():
    assert rules.composite_score(Decimal("90"), Decimal("80"), (40, 60)) == Decimal("84.00")
    assert rules.composite_score(Decimal("90"), Decimal("80"), (100, 0)) == Decimal("90.00")
    assert rules.composite_score(Decimal("86.67"), Decimal("77.5"), (30, 70)) == Decimal("80.25")


def test_the_composite_waits_for_both_scores():
    assert rules.composite_score(None, Decimal("80"), (40, 60)) is None
    assert rules.composite_score(Decimal("80"), None, (40, 60)) is None


@pytest.mark.parametrize(("score", "band"), [
    (Decimal("100"), "excellent"), (Decimal("90"), "excellent"), (Decimal("89.99"), "competent"),
    (Decimal("75"), "competent"), (Decimal("74.99"), "basic"), (Decimal("60"), "basic"),
    (Decimal("59.99"), "incompetent"), (Decimal("0"), "incompetent"), (None, None)])
def test_the_grade_band_at_each_threshold(score, band):
    assert rules.grade_band(score) == band


def test_the_thresholds_are_a_setting():
    assert rules.grade_band(Decimal("85"), (("excellent", 85), ("competent", 70),
                                            ("basic", 50))) == "excellent"


@pytest.mark.parametrize(("evaluation", "assessment", "refused"), [
    (40, 60, False), (0, 100, False), (100, 0, False), (50, 60, True), (30, 60, True),
    (-10, 110, True), (None, 60, True)])
def test_the_weights_add_up_to_100(evaluation, assessment, refused):
    assert bool(rules.weights_refusal(evaluation, assessment)) is refused


@pytest.mark.parametrize(("value", "refused"), [
    (Decimal("0"), False), (Decimal("100"), False), (Decimal("85.5"), False), (None, False),
    (Decimal("-0.01"), True), (Decimal("100.01"), True), (Decimal("NaN"), True),
    (Decimal("Infinity"), True)])
def test_a_work_assessment_score_is_from_0_to_100(value, refused):
    assert bool(rules.score_refusal(value)) is refused


PDF = b"%PDF-1.7\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"
ZIP = b"PK\x03\x04\x14\x00"


@pytest.mark.parametrize(("name", "head", "names", "kind"), [
    ("述职.pdf", PDF, None, "pdf"), ("述职.PDF", PDF, None, "pdf"),
    ("述职.doc", DOC, None, "doc"),
    ("述职.docx", ZIP, ["[Content_Types].xml", "word/document.xml"], "docx"),
    ("述职.pdf", b"MZ\x90\x00", None, None),  # a program named .pdf
    ("述职.docx", ZIP, ["xl/workbook.xml"], None),  # a workbook named .docx
    ("述职.doc", PDF, None, None),  # the extension and the content disagree
    ("述职.exe", PDF, None, None), ("述职", PDF, None, None),
    ("述职.txt", b"hello", None, None)])
def test_a_report_is_known_by_its_content_and_its_extension(name, head, names, kind):
    assert rules.report_kind(name, head, names) == kind


@pytest.mark.parametrize(("day", "term"), [
    (date(2026, 9, 1), (2026, 1)), (date(2026, 12, 31), (2026, 1)), (date(2027, 2, 28), (2026, 1)),
    (date(2027, 3, 1), (2026, 2)), (date(2027, 8, 31), (2026, 2))])
def test_the_term_of_a_date(day, term):
    assert rules.term_of(day) == term
