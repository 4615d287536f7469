"""attendance's rules as pure functions over plain values (no ORM): working days, leave
authority, the month's figures and deductions. Each part adds its section."""

from __future__ import annotations

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
