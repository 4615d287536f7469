"""attendance's workbook contracts (shared/spec/attendance.md): sheet names, column
headings and the status words, exactly as the spec gives them."""

from attendance.models import AttendanceStatus

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
