"""Builders the month tests share: a September of marks written through ``records_put``,
a month published on a pinned day, the calendar's October holiday."""

from __future__ import annotations

from datetime import date

from attendance.models import AttendanceStatus, CalendarDay
from attendance.services import days as days_services

# September 2026: 1 September is a Tuesday, 30 September a Wednesday (its last working
# day: 1–7 October are the national holiday in the tests' calendar).
YEAR, MONTH, KEY = 2026, 9, "2026-09"
LAST_DAY = date(2026, 9, 30)
S = AttendanceStatus


def national_holiday(township) -> None:
    """1–7 October off, Saturday 10 October a make-up working day (调休)."""
    for day in range(1, 8):
        CalendarDay.objects.create(township=township, date=date(2026, 10, day), working=False,
                                   name="国庆节")
    CalendarDay.objects.create(township=township, date=date(2026, 10, 10), working=True,
                               name="调休")


def mark(by, staff, day: int, status, note="", month=MONTH):
    return days_services.records_put(by=by, marks=[days_services.Mark(
        staff_id=staff.pk, school_id=staff.school_id, date=date(YEAR, month, day),
        status=status, note=note)])


def month_of(by, staff, statuses: dict[int, str]) -> None:
    """Write ``{day: status}`` for one staff member in one call."""
    days_services.records_put(by=by, marks=[days_services.Mark(
        staff_id=staff.pk, school_id=staff.school_id, date=date(YEAR, MONTH, day),
        status=status) for day, status in statuses.items()])
