"""attendance's rules as pure functions over plain values (no ORM): working days, leave
authority, the month's figures and deductions. Each part adds its section."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

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
