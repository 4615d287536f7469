"""Writing the daily records: the one writer every path goes through (the day page, the
import, approved and cancelled leave), so the replacing rule and the history are kept in
one place. Also the day page's save, the attendance import (plan, upload, commit) and the
township's working-day calendar."""

from __future__ import annotations

import bisect
import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from attendance import access, rules, sheets, workflow
from attendance.models import (
    AttendanceImport,
    AttendanceRecord,
    AttendanceStatus,
    CalendarDay,
)
from attendance.selectors import days as days_selectors
from schools.models import School, Staff, Township
from staffing import publication, uploads
from staffing import workbook as wb
from staffing.workbook import RowError

log = logging.getLogger(__name__)

# Staff per chunk when records are written: the existing records of a chunk are read in
# one query (its ids well under SQLite's limit on parameters) and the chunk's rows built,
# written and dropped before the next, so a county's month stays bounded in memory.
_CHUNK = 500
_ID_CHUNK = 2000  # resident IDs per query when the import looks its staff up
_FIELDS = ["school", "status", "note", "leave", "recorded_by", "recorded_at"]
# Stored untranslated in history; pages translate it when they show it.
DAY_REASON = gettext_noop("day page")


@dataclass(frozen=True, slots=True)
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

    def __add__(self, other: Written) -> Written:
        return Written(self.created + other.created, self.changed + other.changed,
                       self.unchanged + other.unchanged)


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
    A bounded number of queries per 500 staff whatever the count of days, and memory
    bounded by such a chunk besides the marks themselves."""
    latest: dict[tuple[int, date], Mark] = {}
    for mark in marks:
        latest[(mark.staff_id, mark.date)] = mark
    if not latest:
        return Written(0, 0, 0)
    _refuse_locked_months(latest.values())
    keys = sorted(latest)
    staff_ids = sorted({staff_id for staff_id, _day in keys})
    reason = reason[:100] or None
    now = timezone.now()
    total = Written(0, 0, 0)
    for i in range(0, len(staff_ids), _CHUNK):
        chunk_ids = staff_ids[i:i + _CHUNK]
        start = bisect.bisect_left(keys, (chunk_ids[0], date.min))
        end = bisect.bisect_right(keys, (chunk_ids[-1], date.max))
        chunk = [latest[key] for key in keys[start:end]]
        total += _put_chunk(by, chunk, chunk_ids, reason, now)
    return total


def _put_chunk(by, marks: list[Mark], staff_ids: list[int], reason, now) -> Written:
    days = [mark.date for mark in marks]
    existing = {
        (record.staff_id, record.date): record
        for record in AttendanceRecord.objects.select_for_update().filter(
            staff_id__in=staff_ids, date__range=(min(days), max(days)))
    }
    new, changed, unchanged = [], [], 0
    for mark in marks:
        record = existing.get((mark.staff_id, mark.date))
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
    if new:
        bulk_create_with_history(new, AttendanceRecord, batch_size=1000, default_user=by,
                                 default_change_reason=reason, default_date=now)
    if changed:
        bulk_update_with_history(changed, AttendanceRecord, _FIELDS, batch_size=1000,
                                 default_user=by, default_change_reason=reason,
                                 default_date=now)
    return Written(len(new), len(changed), unchanged)


@transaction.atomic
def records_remove(*, by, records: Sequence[AttendanceRecord], reason: str = "") -> int:
    """Remove records (cancelled leave that had marked a day nobody had recorded), each
    deletion kept in the history under ``by`` and ``reason``. One deletion per record:
    used for the days of one leave, never a list's worth."""
    for record in records:
        record._history_user = by
        record._change_reason = reason[:100] or None
        record.delete()
    return len(records)
# ---- the day page ------------------------------------------------------------------------


def day_refusal(township: Township, day: date) -> str:
    """Why a day cannot be recorded ('' when it can): a day to come, a day off."""
    if day > timezone.localdate():
        return _("This day has not come yet; it can be recorded on the day.")
    if not days_selectors.is_working_day(township, day):
        name = days_selectors.day_name(township, day)
        return (_("%(day)s is not a working day (%(name)s).") % {"day": day, "name": name}
                if name else _("%(day)s is not a working day.") % {"day": day})
    return ""


@dataclass(frozen=True)
class DaySaved:
    written: Written
    exceptions: int
    kept_leave: int


@transaction.atomic
def day_save(*, by, school: School, day: date, marks: dict[int, tuple[str, str]]) -> DaySaved:
    """The day page's one Save: every staff member of the school is written for the day,
    present unless ``marks`` (staff id → (status, note)) says otherwise; a day approved
    leave marked is kept as it is. Refused for a login that may not record the school,
    a day to come and a day off."""
    if not access.may_record_school(by, school):
        raise PermissionDenied
    refusal = day_refusal(school.township, day)
    if refusal:
        raise ValidationError(refusal)
    staff_ids = list(days_selectors.school_staff(school).values_list("pk", flat=True))
    on_leave = set(AttendanceRecord.objects.filter(
        staff_id__in=staff_ids, date=day, leave__isnull=False).values_list("staff_id", flat=True))
    wanted = []
    for staff_id in staff_ids:
        if staff_id in on_leave:
            continue
        status, note = marks.get(staff_id, (AttendanceStatus.PRESENT, ""))
        wanted.append(Mark(staff_id, school.pk, day, status, note))
    written = records_put(by=by, marks=wanted, reason=DAY_REASON)
    exceptions = sum(1 for m in wanted if m.status != AttendanceStatus.PRESENT)
    return DaySaved(written, exceptions, len(on_leave))


# ---- the import ------------------------------------------------------------------------


@dataclass
class ImportPlan:
    township: Township
    school: School | None
    sheet: wb.SheetRows
    errors: list[RowError] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    rows: int = 0
    replaced_in_file: int = 0
    kept_leave: int = 0
    states: Counter = field(default_factory=Counter)
    first: date | None = None
    last: date | None = None
    cap: wb.ErrorCap = field(default_factory=wb.ErrorCap)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "records": len({(m.staff_id, m.date) for m in self.marks}),
            "people": len({m.staff_id for m in self.marks}),
            "first": self.first.isoformat() if self.first else "",
            "last": self.last.isoformat() if self.last else "",
            "replaced_in_file": self.replaced_in_file,
            "kept_leave": self.kept_leave,
            "states": [[sheets.WORD_OF_STATUS[s], self.states.get(s, 0)]
                       for s in AttendanceStatus.values],
            "errors": len(self.errors),
            "wrong_rows": len({(e.sheet, e.row) for e in self.errors}),
            "stopped": self.cap.notice(),
        }


def _known_staff(numbers: set[str]) -> dict[str, tuple[int, int, int]]:
    """resident ID → (staff id, school id, township id), a query per 2,000 IDs."""
    found = {}
    ordered = sorted(numbers)
    for i in range(0, len(ordered), _ID_CHUNK):
        for number, pk, school_id, township_id in Staff.objects.filter(
                resident_id__in=ordered[i:i + _ID_CHUNK]).values_list(
                "resident_id", "pk", "school_id", "school__township_id"):
            found[number] = (pk, school_id, township_id)
    return found


def import_plan(*, township: Township, school: School | None, workbook) -> ImportPlan:
    """Check every row of the 考勤 sheet and work out the marks; writes nothing.

    A row is wrong when a cell cannot be read, when the ID is not a staff member of the
    township (or, for a school's import, of that school), when the day is to come or is
    not a working day in the calendar. A row for a day approved leave marked is kept
    as the leave says (counted, not an error). A fixed number of queries besides one per
    2,000 staff."""
    sheet = wb.read_sheet(workbook, sheets.ATTENDANCE_SHEET, sheets.COLUMNS, sheets.REQUIRED,
                          max_rows=settings.ATTENDANCE_MAX_ROWS)
    plan = ImportPlan(township=township, school=school, sheet=sheet, errors=list(sheet.errors))
    if plan.errors:
        return plan
    read = [(number, sheets.read_row(values)) for number, values in sheet.rows]
    sheet.rows = []  # the raw cells stay, for the error workbook
    plan.rows = len(read)
    numbers = {row.resident_id for _n, row in read if row.resident_id}
    dates = [row.date for _n, row in read if row.date]
    known = _known_staff(numbers)
    exceptions, names, leave_days = {}, {}, set()
    if dates:
        first, last = min(dates), max(dates)
        for day, working, name in CalendarDay.objects.filter(
                township=township, date__range=(first, last)).values_list(
                "date", "working", "name"):
            exceptions[day], names[day] = working, name
        leave_days = set(AttendanceRecord.objects.filter(
            school__township=township, date__range=(first, last), leave__isnull=False)
            .values_list("staff_id", "date"))
    today = timezone.localdate()
    seen = set()
    for number, row in read:
        if plan.cap.full(sheets.ATTENDANCE_SHEET, number):
            break
        problems = list(row.problems)
        staff = known.get(row.resident_id) if row.resident_id else None
        if row.resident_id:
            if staff is None or staff[2] != township.pk:
                # Not "belongs to another township": that would tell whether a number is
                # on some other roster.
                problems.append(("resident_id", _("unknown staff member")))
            elif school is not None and staff[1] != school.pk:
                problems.append(("resident_id", _("not on the staff of %(school)s")
                                 % {"school": school.name}))
        if row.date:
            if row.date > today:
                problems.append(("date", _("%(day)s has not come yet") % {"day": row.date}))
            elif not rules.is_working_day(row.date, exceptions):
                name = names.get(row.date)
                problems.append(("date", _("%(day)s is not a working day (%(name)s)")
                                 % {"day": row.date, "name": name} if name else
                                 _("%(day)s is not a working day") % {"day": row.date}))
        plan.cap.count(problems)
        if problems:
            plan.errors.extend(RowError(sheets.ATTENDANCE_SHEET, number, sheets.COLUMNS[key],
                                        reason) for key, reason in problems)
            continue
        key = (staff[0], row.date)
        if key in seen:
            plan.replaced_in_file += 1
        seen.add(key)
        if key in leave_days:
            plan.kept_leave += 1
            continue
        plan.marks.append(Mark(staff[0], staff[1], row.date, row.status, row.note))
    latest = {(m.staff_id, m.date): m.status for m in plan.marks}
    plan.states = Counter(latest.values())
    if latest:
        plan.first = min(day for _s, day in latest)
        plan.last = max(day for _s, day in latest)
    sheet.errors = plan.errors
    return plan


@dataclass
class ImportResult:
    plan: ImportPlan
    written: Written | None

    @property
    def ok(self) -> bool:
        return self.plan.ok

    @property
    def error_lines(self) -> list[str]:
        return wb.error_lines(self.plan.errors)


def attendance_import(*, by, township: Township, school: School | None = None, data: bytes,
                      dry_run: bool = False, max_bytes: int | None = None) -> ImportResult:
    """Import an attendance workbook (spec/attendance.md): all or nothing. Raises
    ``WorkbookError`` when the file as a whole is unreadable; otherwise the plan with
    every row error, written (through ``records_put``) only when it has none and not
    ``dry_run``."""
    workbook = wb.open_workbook(data, kind=_("attendance workbook"), max_bytes=max_bytes)
    try:
        plan = import_plan(township=township, school=school, workbook=workbook)
    finally:
        workbook.close()
    written = None
    if plan.ok and not dry_run:
        written = records_put(by=by, marks=plan.marks, reason=sheets.IMPORT_REASON)
        log.info("attendance_imported township=%s school=%s rows=%s", township.pk,
                 school.pk if school else "-", plan.rows)
    return ImportResult(plan=plan, written=written)


def _keep_preview(record: AttendanceImport, plan: ImportPlan) -> None:
    record.summary = plan.summary()
    record.preview = wb.errors_kept(plan.errors)
    if not plan.ok:
        record.errors_file.save("attendance-errors.xlsx", ContentFile(wb.error_workbook(
            [plan.sheet], error_header=sheets.ERROR_HEADER, text_headers=sheets.TEXT_HEADERS)),
            save=False)


def import_upload(*, by, township: Township, school: School | None,
                  uploaded) -> tuple[AttendanceImport, ImportResult]:
    """Keep an uploaded attendance workbook and preview it (a dry run), as the roster's
    upload does: the file is read once here; the preview and the error workbook are
    kept with it."""
    if not access.may_import(by, township, school):
        raise PermissionDenied
    data = wb.read_upload(uploaded)
    result = attendance_import(by=by, township=township, school=school, data=data,
                               dry_run=True)
    record = AttendanceImport(
        township=township, school=school,
        original_name=os.path.basename(uploaded.name)[:255],
        status=(AttendanceImport.Status.PREVIEWED if result.ok
                else AttendanceImport.Status.REJECTED),
        uploaded_by=by,
    )
    _keep_preview(record, result.plan)
    record.file.save("attendance.xlsx", ContentFile(data), save=False)
    record.save()
    return record, result


def import_commit(*, by, record: AttendanceImport) -> ImportResult:
    """Import a previewed upload once confirmed: under a row lock (a double submit
    imports once), checked again (the roster or calendar may have changed)."""
    result = uploads.kept_upload_commit(
        AttendanceImport, record.pk, by=by,
        allowed=lambda kept: access.may_import(by, kept.township, kept.school),
        run=lambda kept, data: attendance_import(by=by, township=kept.township,
                                                 school=kept.school, data=data),
        keep=_keep_preview)
    record.refresh_from_db()
    return result


# ---- the calendar -----------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    date: date
    name: str
    working: bool


@transaction.atomic
def calendar_put(*, by, township: Township, entries: Sequence[CalendarEntry]) -> tuple[int, int]:
    """Enter holidays and make-up working days: a date already in the calendar is
    replaced (history kept). Returns (added, changed)."""
    if not access.is_township_office(by, township.pk):
        raise PermissionDenied
    existing = {d.date: d for d in CalendarDay.objects.select_for_update().filter(
        township=township, date__in=[e.date for e in entries])}
    added = changed = 0
    for entry in entries:
        day = existing.get(entry.date)
        if day is None:
            day = CalendarDay(township=township, date=entry.date)
            added += 1
        elif (day.name, day.working) == (entry.name, entry.working):
            continue
        else:
            changed += 1
        day.name, day.working = entry.name, entry.working
        day._history_user = by
        day.save()
        existing[entry.date] = day
    return added, changed


@transaction.atomic
def calendar_delete(*, by, day: CalendarDay) -> None:
    """Take a day out of the calendar: it is again as the week has it."""
    if not access.is_township_office(by, day.township_id):
        raise PermissionDenied
    day._history_user = by
    day.delete()
