"""evaluation's rules as pure functions over plain values (no ORM). Each part adds its
section; R9's award computation is the pure core ``evaluation.awards``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# ---- exams (shared/spec/exam-scores.md) ----------------------------------------------

GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级",
          "九年级")
LEVELS = ("县统考", "县抽考", "镇统考", "镇抽考")  # 考试级别, as the spec spells them

# The workbook (shared/spec/exam-scores.md), its sheets and headers exactly.
SCORES_SHEET = "成绩"
SCORES_COLUMNS = {
    "exam": "考试名称", "date": "考试日期", "level": "考试级别", "grade": "年级",
    "subject": "学科", "school": "学校", "class_name": "班级",
    "resident_id": "任课教师身份证号", "takers": "参考人数", "average": "平均分",
}
SCORES_REQUIRED = tuple(SCORES_COLUMNS)
COUNTY_SHEET = "参照平均分"
COUNTY_COLUMNS = {"exam": "考试名称", "grade": "年级", "subject": "学科", "average": "县平均分"}
COUNTY_REQUIRED = tuple(COUNTY_COLUMNS)
AWARDS_SHEET = "奖励"
AWARDS_COLUMNS = ("考试名称", "身份证号", "姓名", "年级", "学科", "教师平均分", "镇平均分",
                  "县平均分", "奖项", "累计优胜次数", "教学标兵")
ERROR_HEADER = "错误"
TEXT_HEADERS = frozenset({"任课教师身份证号", "身份证号", "班级"})

MAX_TAKERS = 500  # 参考人数 of one class
MAX_SCORE = 150  # 平均分: the highest full mark of an exam subject (中考 语文/数学/英语)
NAME_MAX, SUBJECT_MAX, CLASS_MAX = 100, 30, 20


def score_places_ok(text: str) -> bool:
    """At most two decimals: ``85``, ``85.5``, ``85.50``."""
    whole, _dot, places = text.partition(".")
    return len(places) <= 2



# ---- recommendations ----
# Awards as thresholds (R9): honours, title promotion and talent-programme lists require
# an award; the title evaluation (a later issue) reads the same check.



REQUIRE_ANY, REQUIRE_EXCELLENCE, REQUIRE_MODEL = "any", "excellence", "model"
AWARD_STANDARD, AWARD_EXCELLENCE = "教学达标奖", "教学优胜奖"  # AwardKind's values
DEFAULT_WINDOW_YEARS = 3
SCHOOL_YEAR_STARTS = 9  # a school year begins on 1 September

_REQUIRED_NAMES = {
    REQUIRE_ANY: gettext_lazy("any teaching-quality award"),
    REQUIRE_EXCELLENCE: gettext_lazy("teaching excellence award"),
    REQUIRE_MODEL: gettext_lazy("model teacher"),
}
_AWARD_NAMES = {
    AWARD_STANDARD: gettext_lazy("teaching standard award"),
    AWARD_EXCELLENCE: gettext_lazy("teaching excellence award"),
}


@dataclass(frozen=True)
class Threshold:
    """What a list requires: an award (REQUIRE_*) earned within the last ``years``
    school years."""

    award: str = REQUIRE_EXCELLENCE
    years: int = DEFAULT_WINDOW_YEARS


@dataclass(frozen=True)
class HeldAward:
    kind: str  # AWARD_STANDARD / AWARD_EXCELLENCE
    on: date  # the exam's date
    model_teacher: bool = False


def school_year_of(day: date) -> int:
    """The school year a day falls in (2026 for 2026-09-01 … 2027-08-31)."""
    return day.year if day.month >= SCHOOL_YEAR_STARTS else day.year - 1


def window_start(on: date, years: int) -> date:
    """The first day of the window: 1 September of the school year ``years - 1`` before
    the one ``on`` falls in (3 years on 2027-05-01: from 2024-09-01)."""
    return date(school_year_of(on) - years + 1, SCHOOL_YEAR_STARTS, 1)


def in_window(held: HeldAward, on: date, years: int) -> bool:
    return window_start(on, years) <= held.on <= on


def award_meets(required: str, held: HeldAward) -> bool:
    if required == REQUIRE_ANY:
        return True
    if required == REQUIRE_EXCELLENCE:
        return held.kind == AWARD_EXCELLENCE
    return held.model_teacher


def held_summary(held: Iterable[HeldAward]) -> str:
    """What a candidate holds in the window, e.g. "教学达标奖 ×2"; "" for nothing."""
    counts: dict[str, int] = {}
    for award in held:
        counts[award.kind] = counts.get(award.kind, 0) + 1
    parts = [f"{_AWARD_NAMES.get(kind, kind)} ×{counts[kind]}"
             for kind in (AWARD_EXCELLENCE, AWARD_STANDARD) if kind in counts]
    if any(a.model_teacher for a in held):
        parts.insert(0, str(_REQUIRED_NAMES[REQUIRE_MODEL]))
    return "、".join(parts)


def award_threshold_refusal(required: Threshold, awards_held: Iterable[HeldAward],
                            on_date: date) -> str | None:
    """Why a candidate does not meet the threshold on ``on_date`` (None when they do):
    no award of the required kind among those earned in the window, which runs from
    ``window_start`` to ``on_date`` by the exams' dates. The reason names what the
    candidate does hold in the window, e.g. "无教学优胜奖 (近3年)；有：教学达标奖 ×2"."""
    held = [a for a in awards_held if in_window(a, on_date, required.years)]
    if any(award_meets(required.award, a) for a in held):
        return None
    reason = _("No %(award)s (last %(years)d years)") % {
        "award": _REQUIRED_NAMES[required.award], "years": required.years}
    summary = held_summary(held)
    if summary:
        return _("%(reason)s; holds: %(held)s") % {"reason": reason, "held": summary}
    return _("%(reason)s; holds no award in that time") % {"reason": reason}


def quota_refusal(quota: int, recommended: int, adding: int = 1) -> str | None:
    """The recommended never exceed the quota."""
    if recommended + adding > quota:
        return _("The quota of %(quota)d is full (%(n)d recommended).") % {
            "quota": quota, "n": recommended}
    return None


REC_PUBLICATION = "evaluation.recommendations"  # staffing.publication's kind; key: the list's pk
REC_OBJECTION_DAYS = 5  # the objection window: calendar days after publication


def unfilled(quota: int, recommended: int) -> int:
    return max(quota - recommended, 0)


# ---- researchers ----
# Part-time researchers (R11): subject central teaching-research groups.

DEFAULT_RESEARCH_SUBJECTS = ("语文", "数学", "英语", "科学", "道德与法治", "音乐", "体育", "美术")
DEFAULT_MAX_GROUPS_PER_SCHOOL = 1


def groups_refusal(max_groups: int, school_groups: int, school_name: str) -> str | None:
    """A school hosts at most ``max_groups`` groups of a round."""
    if school_groups >= max_groups:
        return _("%(school)s already hosts %(n)d group(s), the most a school may host.") % {
            "school": school_name, "n": school_groups}
    return None


def subject_mismatch(candidate_subject: str, group_subject: str) -> str | None:
    """A warning (not a refusal) when the candidate does not teach the group's subject."""
    if candidate_subject.strip() != group_subject.strip():
        return _("The candidate teaches %(theirs)s, not %(subject)s.") % {
            "theirs": candidate_subject or "—", "subject": group_subject}
    return None
