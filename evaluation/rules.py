"""evaluation's rules as pure functions over plain values (no ORM). Each part adds its
section; R9's award computation is the pure core ``evaluation.awards``."""

from __future__ import annotations

# ---- exams (shared/spec/exam-scores.md) ----------------------------------------------

GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级",
          "九年级")


# ---- ballots ---------------------------------------------------------------------------
# 述职、民主测评: the composite rating, the terms, and what a duty report's file may be.
# Pure functions over plain values; the points, thresholds and limits are defaults a
# deployment overrides in its settings (services read them through ``ballot_setting``).

from decimal import ROUND_HALF_UP, Decimal  # noqa: E402 - this part's section starts here

from django.utils.translation import gettext as _  # noqa: E402

BALLOT_RATINGS = ("excellent", "competent", "basic", "incompetent")  # 优秀 称职 基本称职 不称职
BALLOT_RATING_POINTS = {"excellent": 100, "competent": 80, "basic": 60, "incompetent": 0}
# The lowest composite of each band, best first; below the last is 不称职.
BALLOT_GRADE_THRESHOLDS = (("excellent", 90), ("competent", 75), ("basic", 60))
BALLOT_REPORT_MAX_BYTES = 10 * 1024 * 1024
BALLOT_OBJECTION_DAYS = 5  # calendar days the results' publication takes objections
BALLOT_DEFAULT_WEIGHTS = (40, 60)  # evaluation, assessment

_PDF_MAGIC = b"%PDF-"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Word 97–2003 .doc (OLE2)
_ZIP_MAGIC = b"PK\x03\x04"
REPORT_EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc"}
REPORT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
}


def report_kind(name: str, head: bytes, zip_names: list[str] | None = None) -> str | None:
    """A duty report's kind (``pdf``, ``docx``, ``doc``) when both its extension and its
    first bytes say so, else None. A .docx is a zip: ``zip_names`` are its entries, and
    it must hold ``word/document.xml``."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == ".pdf" and head.startswith(_PDF_MAGIC):
        return "pdf"
    if extension == ".doc" and head.startswith(_OLE_MAGIC):
        return "doc"
    if (extension == ".docx" and head.startswith(_ZIP_MAGIC)
            and "word/document.xml" in (zip_names or [])):
        return "docx"
    return None


def term_of(day) -> tuple[int, int]:
    """(school year, term) of a date: the first term from September to February (the
    school year is the September's calendar year), the second from March to August."""
    if day.month >= 9:
        return day.year, 1
    if day.month <= 2:
        return day.year - 1, 1
    return day.year - 1, 2


def evaluation_score(counts: dict[str, int], points: dict[str, int] | None = None):
    """The evaluation's score out of 100: the ratings' points weighted by their votes;
    None without a vote."""
    points = points or BALLOT_RATING_POINTS
    votes = sum(counts.get(r, 0) for r in BALLOT_RATINGS)
    if not votes:
        return None
    total = sum(Decimal(points[r]) * counts.get(r, 0) for r in BALLOT_RATINGS)
    return (total / votes).quantize(Decimal("0.01"))


def composite_score(evaluation: Decimal | None, assessment: Decimal | None,
                    weights: tuple[int, int]) -> Decimal | None:
    """The composite rating: the evaluation's score and the work-assessment score under
    the township's weights (percentages summing to 100); None while either is missing."""
    if evaluation is None or assessment is None:
        return None
    e_weight, a_weight = weights
    value = (Decimal(evaluation) * e_weight + Decimal(assessment) * a_weight) / 100
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade_band(score: Decimal | None, thresholds=BALLOT_GRADE_THRESHOLDS) -> str | None:
    """The band of a composite: the first whose lowest score it reaches, else 不称职."""
    if score is None:
        return None
    for rating, lowest in thresholds:
        if score >= lowest:
            return rating
    return "incompetent"


def weights_refusal(evaluation, assessment) -> str | None:
    """Why these weights may not be saved, or None: whole percentages summing to 100."""
    if evaluation is None or assessment is None:
        return _("Give both weights.")
    if evaluation < 0 or assessment < 0 or evaluation + assessment != 100:
        return _("The two weights must add up to 100.")
    return None


def score_refusal(value) -> str | None:
    """Why a work-assessment score may not be kept: a number from 0 to 100."""
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value > 100:
        return _("A work-assessment score is from 0 to 100.")
    return None
