"""Writing the daily records: the one writer every path goes through (the day page, the
import, approved and cancelled leave), so the replacing rule and the history are kept in
one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from attendance import rules, workflow
from attendance.models import AttendanceRecord
from schools.models import School
from staffing import publication

# Staff ids per query when the existing records are read (well under SQLite's limit on
# query parameters).
_CHUNK = 2000
_FIELDS = ["school", "status", "note", "leave", "recorded_by", "recorded_at"]


@dataclass(frozen=True)
class Mark:
    """One staff member's state on one day, as someone records it."""

    staff_id: int
    school_id: int
    date: date
    status: str
    note: str = ""
    leave_id: int | None = None


@dataclass(frozen=True)
class Written:
    created: int
    changed: int
    unchanged: int


def _refuse_locked_months(marks) -> None:
    """A locked month (月兑现, handed to payroll) changes only after a recorded reopening
    (staffing.publication): two queries whatever the count."""
    school_ids = {mark.school_id for mark in marks}
    township_of = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "township_id"))
    wanted = {(township_of.get(mark.school_id), rules.month_key(mark.date.year, mark.date.month))
              for mark in marks}
    locked = publication.locked_keys(workflow.MONTH_PUBLICATION,
                                     {township for township, key in wanted},
                                     {key for township, key in wanted})
    hit = sorted({key for township, key in wanted & locked})
    if hit:
        raise ValidationError(_(
            "The attendance of %(months)s is locked (handed to payroll): the office must "
            "reopen the month, with a reason, before a day changes.") % {
                "months": ", ".join(hit)})


@transaction.atomic
def records_put(*, by, marks: Sequence[Mark], reason: str = "") -> Written:
    """Record the marks: where the same person and day come twice, the later mark
    replaces the earlier (the spec); an existing record for that person and day is
    replaced too, with the old state kept in its history under ``by`` and ``reason``.
    A bounded number of queries whatever the count."""
    latest: dict[tuple[int, date], Mark] = {}
    for mark in marks:
        latest[(mark.staff_id, mark.date)] = mark
    if not latest:
        return Written(0, 0, 0)
    _refuse_locked_months(latest.values())
    days = [day for _, day in latest]
    staff_ids = sorted({staff_id for staff_id, _ in latest})
    existing: dict[tuple[int, date], AttendanceRecord] = {}
    for i in range(0, len(staff_ids), _CHUNK):
        for record in AttendanceRecord.objects.select_for_update().filter(
                staff_id__in=staff_ids[i:i + _CHUNK], date__range=(min(days), max(days))):
            existing[(record.staff_id, record.date)] = record
    now = timezone.now()
    new, changed, unchanged = [], [], 0
    for key, mark in latest.items():
        record = existing.get(key)
        if record is None:
            new.append(AttendanceRecord(
                staff_id=mark.staff_id, school_id=mark.school_id, date=mark.date,
                status=mark.status, note=mark.note, leave_id=mark.leave_id,
                recorded_by=by, recorded_at=now))
        elif (record.school_id, record.status, record.note, record.leave_id) == (
                mark.school_id, mark.status, mark.note, mark.leave_id):
            unchanged += 1
        else:
            record.school_id, record.status, record.note = mark.school_id, mark.status, mark.note
            record.leave_id, record.recorded_by, record.recorded_at = mark.leave_id, by, now
            changed.append(record)
    reason = reason[:100] or None
    if new:
        bulk_create_with_history(new, AttendanceRecord, batch_size=1000, default_user=by,
                                 default_change_reason=reason, default_date=now)
    if changed:
        bulk_update_with_history(changed, AttendanceRecord, _FIELDS, batch_size=1000,
                                 default_user=by, default_change_reason=reason,
                                 default_date=now)
    return Written(len(new), len(changed), unchanged)
