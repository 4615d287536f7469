"""attendance's rules as pure functions over plain values (no ORM): working days, leave
authority, the month's figures and deductions. Each part adds its section."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# ---- working days (the township's calendar) ------------------------------------------
# Monday to Friday are working days unless the calendar says otherwise: a holiday on a
# weekday (working=False) or a make-up working day (调休) on a weekend (working=True).


def is_working_day(day: date, exceptions: Mapping[date, bool]) -> bool:
    return exceptions.get(day, day.weekday() < 5)


def working_days(start: date, end: date, exceptions: Mapping[date, bool]) -> list[date]:
    """The working days from ``start`` to ``end``, both included."""
    days, day = [], start
    while day <= end:
        if is_working_day(day, exceptions):
            days.append(day)
        day += timedelta(days=1)
    return days


def working_day_after(start: date, count: int, exceptions: Mapping[date, bool]) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    day, seen = start, 0
    while seen < count:
        day += timedelta(days=1)
        if is_working_day(day, exceptions):
            seen += 1
    return day


# ---- leave authority (R8) ------------------------------------------------------------
# A leave's length is its working days (the township's calendar): weekends and holidays
# inside a request are not leave. Approvers are "principal" (the school's) and
# "township_office" (the township's), the membership roles of the same names.

PRINCIPAL = "principal"
OFFICE = "township_office"
APPROVERS = (PRINCIPAL, OFFICE)
# A request spans at most this many calendar days (a mistyped year is refused, and
# marking its days stays bounded work).
MAX_LEAVE_SPAN = 366

# The default until the office saves its own: up to 3 working days the principal; longer,
# the principal then the office. (up_to_days, steps); None = longer than every other row.
DEFAULT_AUTHORITY: tuple[tuple[int | None, tuple[str, ...]], ...] = (
    (3, (PRINCIPAL,)),
    (None, (PRINCIPAL, OFFICE)),
)


def _first_covering(rows, length: int):
    covering = [(up_to, steps) for up_to, steps in rows if up_to is None or length <= up_to]
    covering.sort(key=lambda row: (row[0] is None, row[0] or 0))
    return tuple(covering[0][1]) if covering else None


def authority_steps(length: int, *, school_rows, township_rows) -> tuple[str, ...]:
    """The approvers of a leave of ``length`` working days, in order: the school's own
    rows (its override) first, then the township's, then the default; within each, the
    row with the smallest ``up_to_days`` that covers the length, a row without a limit
    last. Each row is ``(up_to_days, steps)``."""
    for rows in (school_rows, township_rows or DEFAULT_AUTHORITY):
        steps = _first_covering(rows, length)
        if steps:
            return steps
    return _first_covering(DEFAULT_AUTHORITY, length)


def steps_for_asker(steps, *, asker_is_principal: bool) -> tuple[str, ...]:
    """Nobody approves their own leave: a principal's own request skips the principal's
    steps, and goes to the office when nothing else is left."""
    if asker_is_principal:
        steps = tuple(step for step in steps if step != PRINCIPAL)
    return tuple(steps) or (OFFICE,)


def steps_refusal(steps) -> str | None:
    """The office's steps: one or more known approvers, each once (a step twice would be
    the same person deciding twice)."""
    if not steps:
        return "empty"
    if any(step not in APPROVERS for step in steps):
        return "unknown"
    if len(set(steps)) != len(steps):
        return "repeated"
    return None


def term_of(day: date) -> tuple[date, date]:
    """The school term ``day`` falls in, as the leave counts go: the autumn term from
    September 1 to the end of February, the spring term from March 1 to August 31."""
    if 3 <= day.month <= 8:
        return date(day.year, 3, 1), date(day.year, 8, 31)
    start_year = day.year if day.month >= 9 else day.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 3, 1) - timedelta(days=1)


def overlaps(start: date, end: date, other_start: date, other_end: date) -> bool:
    return start <= other_end and other_start <= end
def working_day_before(start: date, count: int, exceptions: Mapping[date, bool]) -> date:
    """The ``count``-th working day before ``start`` (``start`` itself not counted)."""
    day, seen = start, 0
    while seen < count:
        day -= timedelta(days=1)
        if is_working_day(day, exceptions):
            seen += 1
    return day
# ---- the month (月兑现): its figures and the deductions the settings give --------------
# A month's figures per staff member are the count of days in each of the spec's seven
# states (in the spec's order) and the days recorded; the deductions follow the
# township's settings. Plain values in, plain values out.

# The spec's order of the states (attendance.models.AttendanceStatus, its values).
STATE_ORDER = ("present", "late", "left_early", "personal_leave", "sick_leave", "official",
               "absent")


@dataclass(frozen=True)
class DeductionRates:
    """The settings' side of the pay link (AttendanceSettings), as plain values."""

    absent: Decimal
    free_late_early: int
    late_early: Decimal
    sick_allowance: int
    sick: Decimal
    personal_allowance: int
    personal: Decimal


@dataclass(frozen=True)
class Deductions:
    absent: Decimal
    late_early: Decimal
    sick: Decimal
    personal: Decimal

    @property
    def total(self) -> Decimal:
        return self.absent + self.late_early + self.sick + self.personal


def month_counts(counts: Mapping[str, int]) -> tuple[int, ...]:
    """The seven counts in the spec's order, then the days recorded."""
    row = tuple(int(counts.get(state, 0)) for state in STATE_ORDER)
    return (*row, sum(row))


def deductions(counts: Mapping[str, int], rates: DeductionRates) -> Deductions:
    """旷工 days × the rate; late arrivals and early departures beyond the free ones ×
    the rate; sick and personal leave days beyond their allowances × their rates."""
    late_early = counts.get("late", 0) + counts.get("left_early", 0)
    return Deductions(
        absent=counts.get("absent", 0) * rates.absent,
        late_early=max(0, late_early - rates.free_late_early) * rates.late_early,
        sick=max(0, counts.get("sick_leave", 0) - rates.sick_allowance) * rates.sick,
        personal=max(0, counts.get("personal_leave", 0) - rates.personal_allowance)
        * rates.personal,
    )


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    after = date(year + month // 12, month % 12 + 1, 1)
    return first, after - timedelta(days=1)


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_month(text: str) -> tuple[int, int] | None:
    """``YYYY-MM`` as (year, month), or None."""
    if not isinstance(text, str) or len(text) != 7 or text[4] != "-":
        return None
    year, month = text[:4], text[5:]
    if not (year.isascii() and year.isdigit() and month.isascii() and month.isdigit()):
        return None
    if not (1 <= int(month) <= 12 and 2000 <= int(year) <= 2200):
        return None
    return int(year), int(month)


def months_before(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """``count`` months ending with this one, oldest first."""
    index = year * 12 + month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def week_start(day: date) -> date:
    """The Monday of the day's week (a week runs Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def objection_window_closes(published_on: date, working_days_count: int,
                            exceptions: Mapping[date, bool]) -> date:
    """The last day an objection is taken: the N-th working day after publication."""
    return working_day_after(published_on, working_days_count, exceptions)
# ---- contracts (phase 8, 签订聘约) ------------------------------------------------------
# The contract states the post's duties, its term, tasks, goals, working conditions, both
# parties' rights and obligations, liability for breach and other agreed terms (DOMAIN.md
# phase 8). The township's template holds them as text with these placeholders, filled
# from the hire and its post when the contracts are drawn up. 甲方 (party A) is the
# school that hires (R6), 乙方 (party B) the staff member.

PLACEHOLDERS = ("姓名", "学校", "乡镇", "岗位", "职责", "任职条件", "周课时", "聘期", "学年")
_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,20})\}")

DEFAULT_TITLE = "岗位聘约"
DEFAULT_CLAUSES = """甲方（聘方）：{学校}
乙方（受聘方）：{姓名}

根据{乡镇}{学年}学年教职工竞聘上岗方案，经双向选择，甲方聘任乙方，双方签订本聘约。

一、岗位及职责
乙方受聘岗位：{岗位}。
岗位职责：{职责}。
任职条件：{任职条件}。

二、聘期
{聘期}。

三、工作任务与目标
乙方按学校安排完成{周课时}的教育教学工作及所兼岗位工作，教学质量达到学校确定的目标。

四、工作条件
甲方为乙方提供履行岗位职责所需的工作场所、教学设备和资料。

五、双方的权利和义务
甲方按规定考核乙方，按时足额发放工资待遇，保障乙方参加培训、进修的权利。
乙方遵守学校规章制度和考勤规定，服从工作安排，认真履行岗位职责。

六、违约责任
一方违反本聘约，应承担相应责任；乙方无正当理由不履行岗位职责的，甲方可按规定解除聘约。

七、其他约定事项
本聘约一式三份，镇教办、学校、乙方各执一份，自双方签字之日起生效。"""

# A post's kind as the contract names it (recruitment.models.PostKind's values).
POST_KIND_WORDS = {"teaching": "教学岗", "auxiliary": "辅助岗", "leadership": "管理岗"}

# Each copy's heading on its printed pages: the documents' words, never translated.
COPY_HEADINGS = {"office": "教办存档", "school": "学校存档", "teacher": "教师本人"}


def unknown_placeholders(text: str) -> list[str]:
    """The ``{…}`` names in ``text`` that are not placeholders, in order, once each."""
    seen: list[str] = []
    for name in _PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


def fill_clauses(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known placeholder replaced by its value; anything else in braces
    is left as written (no ``str.format``: a stray brace is text, not an error)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def contract_term(term_start: date, school_year: int) -> tuple[date, date]:
    """A contract runs the school year: from the day term starts (phase 8's start) to
    31 July of the year after ``school_year`` (the summer holiday begins)."""
    return term_start, max(term_start, date(school_year + 1, 7, 31))


def filing_deadline(term_start: date, filing_days: int) -> date:
    """The office's copy is filed within ``filing_days`` days after term starts (the
    seeds: one week)."""
    return term_start + timedelta(days=filing_days)


def term_words(start: date, end: date) -> str:
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
