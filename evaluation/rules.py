"""evaluation's rules as pure functions over plain values (no ORM). Each part adds its
section; R9's award computation is the pure core ``evaluation.awards``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.models.letters import LetterState, OutcomeResult
from evaluation.models.titles import CandidateState

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


def honours_barred_refusal(barred: bool) -> str | None:
    """R10: a principal whose responsibility letter ended below target or with a veto
    clause triggered loses the school year's honours."""
    if barred:
        return _("Barred from this school year's honours by the responsibility letter")
    return None


def join_refusals(*reasons: str | None) -> str | None:
    """Every reason that applies, in order, as one line (None when none does)."""
    found = [reason for reason in reasons if reason]
    return "；".join(found) if found else None


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


# ---- letters (目标责任书, R10) --------------------------------------------------------





LETTER_PLACEHOLDERS = ("学校", "校长", "学年", "乡镇", "目标")
# Filled when the letter is drafted; {目标} is filled from the letter's target when it is
# shown, so the office may edit the target until it sends the letter.
TARGET_PLACEHOLDER = "目标"
_LETTER_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,20})\}")

SECTION_FIELDS = ("standard_operation", "curriculum", "safety", "quality")
VETO_FIELDS = tuple(f"veto_{n}" for n in range(1, 7))
TEXT_FIELDS = ("title", *SECTION_FIELDS, *VETO_FIELDS)
VETO_CLAUSES = tuple(range(1, 7))
QUALITY_VETO = 1  # 一票否决 no. 1: teaching quality below its target

DEFAULT_LETTER_TEXT = {
    "title": "{学年}学年学校目标管理责任书",
    "standard_operation": (
        "{学校}严格执行国家课程方案和各级办学规范，依法依规办学，规范招生、编班、作息和"
        "作业管理，不违规收费、不违规订购教辅资料，严格落实教职工竞聘上岗、考勤和请假制度。"),
    "curriculum": (
        "开齐开足国家规定课程，不挤占、不删减音体美、综合实践等课程课时；课程表、作息时间表"
        "上墙公示，按课表上课；落实教学常规，认真组织备课、上课、作业批改、辅导和考试。"),
    "safety": (
        "校长{校长}为学校安全工作第一责任人，健全安全管理制度，落实校舍、消防、交通、食品、"
        "防溺水等安全措施，定期开展安全排查和应急演练，确保全年不发生重大安全责任事故。"),
    "quality": (
        "以现有成绩为基础，按照分层要求、稳步提升的原则，{学校}{学年}学年教学质量目标为："
        "{目标}。在规定时限内未达到既定目标的，对学校主要负责人实行问责，取消单位及校长当年度"
        "评先评优资格；成绩出现下滑的，对主要负责人实行问责。"),
    "veto_1": "教学质量未达到规定目标的。",
    "veto_2": "发生重大安全责任事故，造成严重后果的。",
    "veto_3": "违反规定乱收费、乱订教辅资料，造成不良影响的。",
    "veto_4": "组织或默许在职教师有偿家教、有偿补课的。",
    "veto_5": "教师发生严重违反师德师风行为，学校管理失职的。",
    "veto_6": "在考试、考核、统计等工作中弄虚作假的。",
}


def letter_unknown_placeholders(text: str) -> list[str]:
    """The ``{…}`` names in ``text`` that are not letter placeholders, once each."""
    seen: list[str] = []
    for name in _LETTER_PLACEHOLDER.findall(text):
        if name not in LETTER_PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


def letter_fill(text: str, values: dict[str, str]) -> str:
    """``text`` with the placeholders in ``values`` replaced; anything else in braces is
    left as written."""
    return _LETTER_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def school_year_words(school_year: int) -> str:
    return f"{school_year}—{school_year + 1}"


@dataclass(frozen=True)
class TierRule:
    """The township's thresholds: ``margin`` points above the township average make the
    first tier (and the second tier's target); below the average a school closes
    ``gap_share_percent`` of its gap."""

    margin: Decimal = Decimal("5")
    gap_share_percent: int = 50


@dataclass(frozen=True)
class Target:
    tier: int  # 1, 2 or 3 (第一档 … 第三档)
    required: Decimal  # the difference to the township average to reach (or keep)
    words: str  # what {目标} becomes


TIER_NAMES = {1: "第一档", 2: "第二档", 3: "第三档"}
_CENT = Decimal("0.01")


def _points(value: Decimal) -> str:
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):f}".rstrip("0").rstrip(".")


def letter_tier(difference: Decimal, rule: TierRule) -> int:
    """第一档: ``margin`` or more above the township average; 第二档: at or above it, by
    less than ``margin``; 第三档: below it."""
    if difference >= rule.margin:
        return 1
    if difference >= 0:
        return 2
    return 3


def letter_target(difference: Decimal, rule: TierRule) -> Target:
    """The tier's target for a school ``difference`` points from the township average
    (R10: tiered from current results, steadily raised): the first tier keeps its margin,
    the second reaches the margin or the township's top three, the third closes its share
    of the gap."""
    tier = letter_tier(difference, rule)
    now = _points(abs(difference))
    if tier == 1:
        return Target(tier, rule.margin,
                      f"{TIER_NAMES[1]}：统考综合平均分保持高于全镇平均分{_points(rule.margin)}"
                      f"分以上（现高{now}分）")
    if tier == 2:
        return Target(tier, rule.margin,
                      f"{TIER_NAMES[2]}：统考综合平均分高于全镇平均分{_points(rule.margin)}分，"
                      f"或进入全镇前三名（现高{now}分）")
    required = (difference * (100 - rule.gap_share_percent) / 100).quantize(
        _CENT, rounding=ROUND_HALF_UP)
    return Target(tier, required,
                  f"{TIER_NAMES[3]}：与全镇平均分的差距缩小{rule.gap_share_percent}%以上，"
                  f"即低于全镇平均分不超过{_points(-required)}分（现低{now}分）")


# States: drafted → sent (the office sends it) → signed | refused (the principal, final);
# sent → drafted (the office withdraws it); a draft may be edited and redrafted; a refused
# letter is redrafted (a draft again) for the successor once one holds the position.


def letter_edit_refusal(state: str) -> str | None:
    if state != LetterState.DRAFTED:
        return _("Only a draft letter can be changed: withdraw it first if it is sent, "
                 "and a signed or refused letter stays as it is.")
    return None


def letter_redraft_refusal(state: str, *, successor: bool) -> str | None:
    """A draft is redrafted; a refused letter too, once a successor holds the position
    (the refusal stays recorded); a sent one is withdrawn first; a signed one is final."""
    if state == LetterState.REFUSED:
        if not successor:
            return _("The principal who refused is still in office: record the successor "
                     "on the school's page, then redraft the letter.")
        return None
    return letter_edit_refusal(state)


def letter_send_refusal(state: str, target: str) -> str | None:
    if state != LetterState.DRAFTED:
        return _("Only a draft letter can be sent.")
    if not target.strip():
        return _("Enter the teaching-quality target before sending the letter.")
    return None


def letter_withdraw_refusal(state: str) -> str | None:
    if state != LetterState.SENT:
        return _("Only a letter sent and not yet signed or refused can be withdrawn.")
    return None


def letter_answer_refusal(state: str, *, own: bool) -> str | None:
    """May this login sign or refuse the letter? Only its principal, once it is sent."""
    if not own:
        return _("Only the principal the letter is made out to signs or refuses it.")
    if state in (LetterState.SIGNED, LetterState.REFUSED):
        return _("This letter has already been answered; signing and refusing are final.")
    if state != LetterState.SENT:
        return _("The office has not sent this letter yet.")
    return None


def letter_outcome_refusal(state: str) -> str | None:
    if state != LetterState.SIGNED:
        return _("The year-end outcome is recorded for a signed letter.")
    return None


def outcome_vetoes_refusal(result: str, clauses: set[int]) -> str | None:
    """Clause 1 is teaching quality below target: triggered with that result only."""
    if QUALITY_VETO in clauses and result != OutcomeResult.BELOW:
        return _("Veto clause 1 is teaching quality below target: record the result as "
                 "below target instead.")
    if not clauses <= set(VETO_CLAUSES):
        return _("There are six veto clauses.")
    return None


@dataclass(frozen=True)
class Consequences:
    accountable: bool  # 问责 the principal
    honours_lost: bool  # the school and its principal lose the year's honours (评先评优)


def letter_consequences(result: str, vetoes: set[int] | frozenset[int]) -> Consequences:
    """R10: below target → the principal is held accountable, and the school and the
    principal lose the year's honours; results declined → the principal is held
    accountable; a veto clause triggered → accountable and no honours."""
    if vetoes or result == OutcomeResult.BELOW:
        return Consequences(accountable=True, honours_lost=True)
    if result == OutcomeResult.DECLINED:
        return Consequences(accountable=True, honours_lost=False)
    return Consequences(accountable=False, honours_lost=False)


# ---- ballots ---------------------------------------------------------------------------
# 述职、民主测评: the composite rating, the terms, and what a duty report's file may be.
# Pure functions over plain values; the points, thresholds and limits are defaults a
# deployment overrides in its settings (services read them through ``ballot_setting``).

from decimal import Decimal  # noqa: E402 - this part's section starts here

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


# ---- titles (职称评审, R12; shared/spec/title-scoring.md) --------------------------------
# Each title part adds its checks below this line.


def title_year_closed_refusal(is_open: bool) -> str | None:
    """The county committee's final decision closed the year: nothing of it changes."""
    if not is_open:
        return _("The county committee has closed this year's title evaluation")
    return None


# ---- title_candidates: declaring, eligibility, the unit's scores, ties ------------------

# The titles a declaration may name as held, lowest first (the spec's 申报级别 are the top
# three; 未定级 is a staff member with no title yet).
HELD_TITLES = ("未定级", "三级教师", "二级教师", "一级教师", "高级教师", "正高级教师")
TITLE_TEXT_MAX = 500

# The scores workbook (shared/spec/title-scoring.md, import_title_scores), exactly.
TITLE_SCORES_SHEET = "评分"
TITLE_SCORES_COLUMNS = {"resident_id": "身份证号", "level": "申报级别", "code": "项目编号",
                        "score": "得分", "evidence": "依据"}
TITLE_SCORES_REQUIRED = ("resident_id", "level", "code", "score")
TITLE_LESSON_SHEET = "说课"
TITLE_LESSON_COLUMNS = {"resident_id": "身份证号", "lesson": "说课得分"}
TITLE_LESSON_REQUIRED = ("resident_id", "lesson")
TITLE_TEXT_HEADERS = frozenset({"身份证号", "项目编号"})
LESSON_MAX = Decimal("100")
# The ranking export (title_ranking YEAR --export), its sheet and columns in order.
TITLE_RANKING_SHEET = "排名"
TITLE_RANKING_COLUMNS = ("单位", "申报级别", "排名", "身份证号", "姓名", "量化得分", "说课得分",
                         "总分", "推荐", "有效")


def years_held(since: date | None, on: date) -> int:
    """Whole years from ``since`` to ``on`` (0 before the first anniversary; a title
    obtained on 1 September 2022 is held 5 years on 1 September 2027)."""
    if since is None or since > on:
        return 0
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def title_declare_refusal(*, year_open: bool, has_table: bool, declared: bool,
                          level: str, current_title: str, title_since: date | None,
                          today: date, exceptional: bool, reason: str) -> str | None:
    """Why a staff member may not declare as asked (None: they may)."""
    if not year_open:
        return _("This year's title evaluation is closed.")
    if not has_table:
        return _("The county office has not published this year's scoring table yet.")
    if declared:
        return _("You have already declared for this year.")
    if current_title not in HELD_TITLES:
        return _("Choose the title you hold now.")
    if current_title == level or (current_title in HELD_TITLES and level in HELD_TITLES
                                  and HELD_TITLES.index(current_title)
                                  >= HELD_TITLES.index(level)):
        return _("You already hold this title or a higher one.")
    if current_title != "未定级" and title_since is None:
        return _("Give the date you obtained your current title.")
    if title_since is not None and title_since > today:
        return _("The date your title was obtained cannot be in the future.")
    if exceptional and not reason.strip():
        return _("Say why you declare as an exceptional candidate (破格).")
    return None


def title_withdraw_refusal(state: str) -> str | None:
    if state != CandidateState.DECLARED:
        return _("The unit has already checked this declaration; it can no longer be "
                 "withdrawn.")
    return None


def title_eligibility_refusal(*, required_title: str, years_required: int,
                              current_title: str, title_since: date | None, on: date,
                              exceptional: bool, award_refusal: str | None) -> str | None:
    """Why a declaration is not eligible (None: it is): the previous title the level
    requires, held for the year's number of years at the reference date (an exceptional
    candidate is not held to the years: the county's exceptional review weighs them), and
    the R9 excellence award where the year requires it (``award_refusal``, as
    ``award_threshold_refusal`` says it)."""
    reasons = []
    if required_title and current_title != required_title:
        reasons.append(_("Requires the title %(required)s; holds %(held)s")
                       % {"required": required_title, "held": current_title or "—"})
    elif not exceptional and years_held(title_since, on) < years_required:
        reasons.append(_("%(title)s held %(held)d years at %(on)s; %(years)d required")
                       % {"title": current_title, "held": years_held(title_since, on),
                          "on": on.isoformat(), "years": years_required})
    if award_refusal:
        reasons.append(award_refusal)
    return join_refusals(*reasons)


def title_check_refusal(*, year_open: bool, state: str, has_scores: bool) -> str | None:
    """Why the unit may not (re)check a declaration: the year closed, withdrawn, or
    already scored (its scores would stand without a candidacy)."""
    if not year_open:
        return _("This year's title evaluation is closed.")
    if state == CandidateState.WITHDRAWN:
        return _("The candidate withdrew the declaration.")
    if has_scores:
        return _("The candidate has been scored; the eligibility can no longer change.")
    return None


def title_refusal_reason_refusal(reason: str) -> str | None:
    if not reason.strip():
        return _("Say why the declaration is not eligible.")
    if len(reason) > TITLE_TEXT_MAX:
        return _("At most %(n)d characters.") % {"n": TITLE_TEXT_MAX}
    return None


def title_places_ok(value: Decimal) -> bool:
    return value.is_finite() and value == value.quantize(Decimal("0.01"))


def title_item_score_refusal(value: Decimal | None, cap: Decimal) -> str | None:
    """An item's score: a number from 0 to its 单项上限, two decimals at most."""
    if value is None:
        return None
    if not title_places_ok(value):
        return _("at most two decimals")
    if value < 0 or value > cap:
        return _("must be from 0 to %(max)s") % {"max": cap}
    return None


def title_lesson_score_refusal(value: Decimal | None) -> str | None:
    """The lesson presentation's score (说课得分): 0 to 100, two decimals at most."""
    if value is None:
        return None
    if not title_places_ok(value):
        return _("at most two decimals")
    if value < 0 or value > LESSON_MAX:
        return _("must be from 0 to %(max)s") % {"max": LESSON_MAX}
    return None


def title_score_refusal(*, year_open: bool, state: str) -> str | None:
    """Only an eligible candidate of an open year is scored."""
    if not year_open:
        return _("This year's title evaluation is closed.")
    if state != CandidateState.ELIGIBLE:
        return _("Only a candidate found eligible is scored.")
    return None


def title_tie_refusal(*, undecided: bool, recommend: bool, reason: str, seats_left: int
                      ) -> str | None:
    """The unit committee settles a 待定 candidate (a group of equals at the quota's
    edge), with a reason; it never recommends more than the quota's remaining seats."""
    if not undecided:
        return _("Only a candidate tied at the edge of the quota (待定) is settled by the "
                 "committee.")
    if not reason.strip():
        return _("Give the committee's reason.")
    if len(reason) > TITLE_TEXT_MAX:
        return _("At most %(n)d characters.") % {"n": TITLE_TEXT_MAX}
    if recommend and seats_left <= 0:
        return _("The quota has no seat left: another tied candidate must be not "
                 "recommended first.")
    return None
# ---- teacher-qualification certification (教师资格认定, R13) ----------------------------

# The three checks in their order, and where a pass at each leads.
QUALIFICATION_STEPS = ("certificates", "physical", "decision")
QUALIFICATION_AFTER_PASS = {"certificates": "physical", "physical": "decision",
                            "decision": "certified"}
QUALIFICATION_ENDED = ("certified", "failed")


def qualification_check_refusal(state: str, step: str) -> str | None:
    """Why check ``step`` may not be recorded on an application in ``state`` (R13): the
    checks go in order, each once; an ended application takes none."""
    if step not in QUALIFICATION_STEPS:
        return _("There is no such check.")
    if state == "failed":
        return _("The application has ended: a check failed.")
    if state == "certified":
        return _("The application is certified: every check is recorded.")
    order = QUALIFICATION_STEPS.index
    if order(step) < order(state):
        return _("This check is already recorded.")
    if order(step) > order(state):
        return _("The earlier checks must pass first.")
    return None


def qualification_outcome_refusal(passed: bool, note: str) -> str | None:
    """A failed check ends the application: its reason is required."""
    if not passed and not note.strip():
        return _("Give the reason the check failed.")
    return None


def qualification_state_after(step: str, passed: bool) -> str:
    return QUALIFICATION_AFTER_PASS[step] if passed else "failed"


def id_search_kind(number: str) -> str | None:
    """How a search reads a normalised ``number`` as a resident ID (issue 8's rule):
    ``"tail"`` for exactly the last four characters, ``"full"`` for the whole number,
    None for anything else (no condition on the ID: never a longer or shorter tail)."""
    if re.fullmatch(r"[0-9]{3}[0-9X]", number):
        return "tail"
    if re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return "full"
    return None


# The applications workbook (docs/decisions.md, "Teacher-qualification certification"):
# one sheet, these headers exactly, every column required.
QUALIFICATION_SHEET = "申请"
QUALIFICATION_COLUMNS = {"name": "姓名", "resident_id": "身份证号", "phone": "联系电话",
                         "kind": "资格种类", "subject": "任教学科", "applied_on": "申请日期"}
QUALIFICATION_TEXT_HEADERS = frozenset({"身份证号", "联系电话"})
QUALIFICATION_ERROR_HEADER = "错误"
QUALIFICATION_NAME_MAX = 50
# A phone number as offices write it: digits, perhaps spaces or hyphens, a leading +.
QUALIFICATION_PHONE = re.compile(r"\+?[0-9][0-9\- ]{5,18}[0-9]")
QUALIFICATION_SUBJECT_MAX = 30
# Rows of one import: a county's applications of a season fit many times over.
QUALIFICATION_MAX_ROWS = 5000


# ---- title_review: public scoring and the exceptional review (R12) ----------------------


def title_acknowledge_refusal(*, eligible: bool, year_open: bool, scored: bool,
                              seen_revision: int, current_revision: int,
                              open_objection: bool) -> str | None:
    """Whether a candidate may acknowledge the scores they saw (公开评分). ``seen_revision``
    is the revision the page showed: scores changed since are not the ones they saw."""
    if not year_open:
        return title_year_closed_refusal(year_open)
    if not eligible:
        return _("Only an eligible candidate acknowledges the scores.")
    if not scored:
        return _("Your unit has not entered the scores yet.")
    if seen_revision != current_revision:
        return _("The scores changed since you opened the page: read them again.")
    if open_objection:
        return _("Your objection waits for the unit's answer: acknowledge once it is "
                 "answered.")
    return None


def title_objection_refusal(*, eligible: bool, year_open: bool, reason: str) -> str | None:
    if not year_open:
        return title_year_closed_refusal(year_open)
    if not eligible:
        return _("Only an eligible candidate objects to the scores.")
    if not reason.strip():
        return _("Say why you object.")
    return None


def title_answer_refusal(*, is_open: bool, year_open: bool, answer: str) -> str | None:
    if not year_open:
        return title_year_closed_refusal(year_open)
    if not is_open:
        return _("This objection is answered already.")
    if not answer.strip():
        return _("Write the answer.")
    return None


def title_score_value_refusal(value: Decimal, cap: Decimal) -> str | None:
    """A score given in answer to an objection: 0 to the item's cap (说课: 100), two
    decimals at most."""
    if not value.is_finite() or value < 0 or value > cap:
        return _("A score is from 0 to %(cap)s.") % {"cap": cap}
    if value.as_tuple().exponent < -2:
        return _("A score has two decimals at most.")
    return None


# The three steps of an exceptional review, in order (1 unit, 2 presentation, 3 final).
REVIEW_UNIT, REVIEW_PRESENTATION, REVIEW_FINAL = 1, 2, 3


def exceptional_step_refusal(step: int, done: int, *, year_open: bool = True) -> str | None:
    """Whether step ``step`` may be recorded when ``done`` is the last step recorded: the
    steps go strictly in order, a step may be recorded again until the next one is (to
    correct it), and the experts' final score is final."""
    if not year_open:
        return title_year_closed_refusal(year_open)
    if done >= REVIEW_FINAL:
        return _("The experts' final score is fixed: the review is closed.")
    if step > done + 1:
        if step == REVIEW_PRESENTATION:
            return _("The unit's evaluation comes first.")
        return _("The candidate's presentation comes before the experts' final score.")
    if step < done:
        return _("A later step is recorded already: this step can no longer change.")
    return None


# ---- title_years: the year, its table, quotas, public page, final decision ---------------

TITLE_ITEMS_SHEET = "评分细则"
TITLE_QUOTAS_SHEET = "职数"
TITLE_ITEM_COLUMNS = {"code": "项目编号", "group": "类别", "text": "项目", "item_cap": "单项上限",
                      "group_cap": "类别上限"}
TITLE_ITEM_REQUIRED = ("code", "group", "text", "item_cap")
TITLE_QUOTA_COLUMNS = {"school": "单位", "level": "申报级别", "recommended": "推荐职数"}
TITLE_ITEM_MAX_ROWS = 500  # a city table has tens of items
TITLE_QUOTA_MAX_ROWS = 3000  # a county's units × three levels
TITLE_CAP_MAX = Decimal("99999.99")  # the model's seven digits, two decimals
TITLE_QUOTA_MAX = 10000
TITLE_ERROR_HEADER = "错误"
# The public objection form's abuse limit: this many objections an hour from one sender
# (a salted hash of the client address), and this many a day for the whole year.
TITLE_OBJECTIONS_PER_HOUR = 3
TITLE_OBJECTIONS_PER_DAY = 200
TITLE_OBJECTION_MAX = 2000


def title_shares_refusal(quantitative, lesson) -> str | None:
    """A year's two shares: each from 0 to 1, adding up to exactly 1."""
    if quantitative is None or lesson is None:
        return _("Give both shares.")
    if not (0 <= quantitative <= 1 and 0 <= lesson <= 1) or quantitative + lesson != 1:
        return _("The two shares must each be from 0 to 1 and add up to 1.")
    return None


def title_table_replace_refusal(scores_exist: bool) -> str | None:
    """A year's table is replaced (a new version) only while no score is entered."""
    if scores_exist:
        return _("Scores have been entered for this year: its scoring table can no longer be "
                 "replaced.")
    return None


def title_extra_allocation_refusal(granted: int, allocated: int) -> str | None:
    """The places allocated from an extra quota never add up to more than it granted."""
    if allocated > granted:
        return _("%(allocated)d places allocated, but the extra quota grants only "
                 "%(granted)d.") % {"allocated": allocated, "granted": granted}
    return None


def title_recommended_after_extra_refusal(recommended: int, extra: int) -> str | None:
    """A unit's recommendation quota holds at least the extra places allocated to it."""
    if recommended < extra:
        return _("This unit holds %(extra)d places of extra quotas: its recommendation quota "
                 "cannot be less.") % {"extra": extra}
    return None


def title_posts(staff_count: int, ratio) -> int:
    """A unit's post quota at a level: floor(staff count × the level's ratio)."""
    return int((Decimal(staff_count) * ratio).to_integral_value(rounding="ROUND_FLOOR"))


def title_one_to_one(posts: int, held: int) -> int:
    """The differential recommendation quota allocated 1:1: one place per vacant post."""
    return max(posts - held, 0)


def title_objection_limit_refusal(from_sender_last_hour: int, year_last_day: int
                                  ) -> str | None:
    if (from_sender_last_hour >= TITLE_OBJECTIONS_PER_HOUR
            or year_last_day >= TITLE_OBJECTIONS_PER_DAY):
        return _("Too many objections have been sent just now; please try again later or "
                 "write to the county office.")
    return None
