"""attendance's workbook contracts (shared/spec/attendance.md): sheet names, column
headings and the status words, exactly as the spec gives them; and the reading of one
attendance row (no database: who the ID belongs to is the import's question)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from attendance.models import AttendanceStatus
from schools import resident_id
from staffing import workbook as wb
from staffing.workbook import SheetSpec

ATTENDANCE_SHEET = "考勤"
ATTENDANCE_COLUMNS = ("日期", "身份证号", "状态", "备注")
MONTH_SHEET = "月汇总"

# The spec's words for the seven states, in its order; never translated.
STATUS_WORDS = {
    "出勤": AttendanceStatus.PRESENT,
    "迟到": AttendanceStatus.LATE,
    "早退": AttendanceStatus.LEFT_EARLY,
    "事假": AttendanceStatus.PERSONAL_LEAVE,
    "病假": AttendanceStatus.SICK_LEAVE,
    "公假": AttendanceStatus.OFFICIAL,
    "旷工": AttendanceStatus.ABSENT,
}
WORD_OF_STATUS = {status: word for word, status in STATUS_WORDS.items()}
MONTH_COLUMNS = ("身份证号", "姓名", "学校", *STATUS_WORDS, "记录天数")

# read_sheet's keys for the 考勤 sheet's columns.
COLUMNS = {"date": "日期", "resident_id": "身份证号", "status": "状态", "note": "备注"}
REQUIRED = ("date", "resident_id", "status")
ERROR_HEADER = "错误"  # the error workbook's column, as the roster's
TEXT_HEADERS = frozenset({"身份证号"})
NOTE_MAX = 200  # AttendanceRecord.note
# Stored untranslated in history; pages translate it when they show it.
IMPORT_REASON = gettext_noop("attendance import")


@dataclass(frozen=True)
class Row:
    """One 考勤 row read: the values where they could be read, and what is wrong."""

    date: date | None
    resident_id: str  # the normalised number, '' when unreadable
    status: str
    note: str
    problems: tuple[tuple[str, str], ...]  # (key, reason)


def read_row(values: dict) -> Row:
    """One row's cells read as the spec says; every problem named by its column key."""
    problems = []
    day = None
    try:
        day = wb.parse_date(values.get("date"))
        if day is None:
            problems.append(("date", _("required")))
    except wb.ValueProblem as exc:
        problems.append(("date", str(exc)))
    number = ""
    raw_id = wb.clean_text(values.get("resident_id"))
    if not raw_id:
        problems.append(("resident_id", _("required")))
    else:
        try:
            number = resident_id.parse(raw_id).number
        except resident_id.ResidentIdError as exc:
            problems.append(("resident_id", str(exc)))
    word = wb.clean_text(values.get("status"))
    status = STATUS_WORDS.get(word, "")
    if not word:
        problems.append(("status", _("required")))
    elif not status:
        problems.append(("status", _("“%(value)s” is not a state; write one of %(words)s")
                         % {"value": wb.quoted(word), "words": "、".join(STATUS_WORDS)}))
    note = wb.clean_text(values.get("note"))
    if len(note) > NOTE_MAX:
        problems.append(("note", _("longer than %(n)d characters") % {"n": NOTE_MAX}))
    return Row(day, number, status, note, tuple(problems))
# The browser export's columns after the spec's (the pay link: yuan per staff member).
DEDUCTION_COLUMNS = ("旷工扣款", "迟到早退扣款", "病假扣款", "事假扣款", "扣款合计")


def month_sheet(staff_rows, *, with_deductions: bool = False) -> SheetSpec:
    """The spec's sheet 月汇总 (one row per staff member with any record that month);
    the browser export adds the deductions (``staff_rows`` then carry them)."""
    headers = MONTH_COLUMNS + (DEDUCTION_COLUMNS if with_deductions else ())

    def rows():
        for row in staff_rows:
            line = [row.resident_id, row.name, row.school_name, *row.row]
            if with_deductions:
                d = row.deductions
                line += [d.absent, d.late_early, d.sick, d.personal, d.total]
            yield line

    return SheetSpec(MONTH_SHEET, headers, rows(), text_columns=frozenset({"身份证号"}))
