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


def working_day_before(start: date, count: int, exceptions: Mapping[date, bool]) -> date:
    """The ``count``-th working day before ``start`` (``start`` itself not counted)."""
    day, seen = start, 0
    while seen < count:
        day -= timedelta(days=1)
        if is_working_day(day, exceptions):
            seen += 1
    return day
