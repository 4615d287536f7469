"""Builders the leave tests share (R8): dates on working days ahead of today, and a
request asked through the service."""

from datetime import date, timedelta

from django.utils import timezone

from attendance.services import leave as leave_services


def monday(weeks: int = 1) -> date:
    """The Monday ``weeks`` weeks after this week's (always in the future)."""
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def ask(staff, start: date, working_days: int, *, kind="personal_leave", reason="家中有事"):
    """``staff`` asks for ``working_days`` days from ``start`` (a weekday; the dates stay
    within its week, so each is a working day)."""
    assert working_days >= 1 and start.weekday() + working_days <= 5
    return leave_services.leave_ask(by=staff.user, staff=staff, kind=kind, start_date=start,
                                    end_date=start + timedelta(days=working_days - 1),
                                    reason=reason)
