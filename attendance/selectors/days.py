"""Reads of the calendar, the settings and the daily records."""

from __future__ import annotations

from datetime import date

from attendance import rules
from attendance.models import AttendanceSettings, CalendarDay
from schools.models import Township


def calendar_exceptions(township: Township, start: date, end: date) -> dict[date, bool]:
    """The calendar's exceptions between two dates: date → working (one query)."""
    return dict(CalendarDay.objects.filter(township=township, date__range=(start, end))
                .values_list("date", "working"))


def working_days(township: Township, start: date, end: date) -> list[date]:
    return rules.working_days(start, end, calendar_exceptions(township, start, end))


def is_working_day(township: Township, day: date) -> bool:
    return rules.is_working_day(day, calendar_exceptions(township, day, day))


def settings_of(township: Township) -> AttendanceSettings:
    """The township's settings, or the defaults (unsaved) before the office edits them."""
    return (AttendanceSettings.objects.filter(township=township).first()
            or AttendanceSettings(township=township))
