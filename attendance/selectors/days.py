"""Reads of the calendar, the settings and the daily records: the day page's rows, the
calendar's year, one's own month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from attendance import rules
from attendance.models import (
    AttendanceImport,
    AttendanceRecord,
    AttendanceSettings,
    AttendanceStatus,
    CalendarDay,
)
from schools.models import School, Staff, Township


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


def day_name(township: Township, day: date) -> str:
    """The calendar's name for a day ('' when it has none)."""
    return (CalendarDay.objects.filter(township=township, date=day)
            .values_list("name", flat=True).first() or "")


def neighbours(township: Township, day: date) -> tuple[date, date]:
    """The working days before and after ``day`` (one query: the calendar around it;
    a township's holidays never run a month)."""
    exceptions = calendar_exceptions(township, day - timedelta(days=40), day + timedelta(days=40))
    return (rules.working_day_before(day, 1, exceptions),
            rules.working_day_after(day, 1, exceptions))


@dataclass(frozen=True)
class DayRow:
    staff: Staff
    record: AttendanceRecord | None

    @property
    def status(self) -> str:
        return self.record.status if self.record else AttendanceStatus.PRESENT

    @property
    def note(self) -> str:
        return self.record.note if self.record else ""

    @property
    def on_leave(self) -> bool:
        return bool(self.record and self.record.leave_id)


@dataclass(frozen=True)
class DayState:
    rows: list[DayRow]
    recorded: int  # records of the day
    last_by: object  # the user who recorded last (or None)
    last_at: object  # when (or None)

    @property
    def exceptions(self) -> int:
        return sum(1 for row in self.rows if row.status != AttendanceStatus.PRESENT)


def school_staff(school: School):
    """The school's staff, as the day page lists them (by name)."""
    return Staff.objects.filter(school=school).order_by("name", "pk")


def day_of(school: School, day: date) -> DayState:
    """Every staff member of the school with the day's record, if any (two queries:
    staff, and records with who recorded them)."""
    staff = list(school_staff(school).only("pk", "name", "school_id"))
    records = {r.staff_id: r for r in AttendanceRecord.objects.filter(
        staff__school=school, date=day).select_related("recorded_by")}
    latest = max(records.values(), key=lambda r: r.recorded_at, default=None)
    return DayState(
        rows=[DayRow(s, records.get(s.pk)) for s in staff],
        recorded=len(records),
        last_by=latest.recorded_by if latest else None,
        last_at=latest.recorded_at if latest else None,
    )


@dataclass(frozen=True)
class MonthLine:
    month: date  # its first day
    working: int
    exceptions: list[CalendarDay]


def calendar_year(township: Township, year: int) -> list[MonthLine]:
    """The year month by month: its working days and the calendar's entries (one query)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    entries = list(CalendarDay.objects.filter(township=township, date__range=(start, end)))
    exceptions = {e.date: e.working for e in entries}
    lines = []
    for month in range(1, 13):
        first = date(year, month, 1)
        after = date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)
        last = after - timedelta(days=1)
        lines.append(MonthLine(
            month=first,
            working=len(rules.working_days(first, last, exceptions)),
            exceptions=[e for e in entries if e.date.month == month],
        ))
    return lines


def own_month(staff: Staff, month: date) -> list[AttendanceRecord]:
    """One's records of a month (its first day given), by date."""
    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return list(AttendanceRecord.objects.filter(staff=staff, date__range=(month, last))
                .select_related("leave").order_by("date"))


def imports_of(queryset, limit: int = 20) -> list[AttendanceImport]:
    """The latest uploads of a scoped queryset (access.imports_visible)."""
    return list(queryset.select_related("township", "school", "uploaded_by")[:limit])
