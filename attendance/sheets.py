"""attendance's workbook contracts (shared/spec/attendance.md): sheet names, column
headings and the status words, exactly as the spec gives them."""

from attendance.models import AttendanceStatus
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
