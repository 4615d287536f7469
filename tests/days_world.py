"""Builders the daily attendance tests share: an attendance workbook, a school of many."""

from __future__ import annotations

from datetime import date

from attendance.sheets import ATTENDANCE_COLUMNS, ATTENDANCE_SHEET
from staffing.workbook import SheetSpec, workbook_bytes

from .factories import StaffFactory

# A week with no holiday in the tests' calendar: 2025-09-01 is a Monday.
MONDAY = date(2025, 9, 1)


def attendance_sheet(*rows, headers=ATTENDANCE_COLUMNS, name=ATTENDANCE_SHEET) -> bytes:
    """A 考勤 workbook of ``rows`` (日期, 身份证号, 状态, 备注)."""
    return workbook_bytes([SheetSpec(name, headers, [list(r) for r in rows],
                                     text_columns=frozenset({"身份证号"}))])


def many_staff(school, count: int) -> list:
    return StaffFactory.create_batch(count, school=school)
