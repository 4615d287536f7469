"""The exams world (R9): workbooks of sheet 成绩 and 参照平均分 as the spec has them, teachers
of exam subjects at 夏庄完小 (``school``) and 东张完小 (``other_school``), and the import
run through the service. A plain module of builders, imported by name."""

from __future__ import annotations

from datetime import date

from evaluation import rules
from evaluation.services import exams as exam_services
from staffing import workbook as wb

from .factories import StaffFactory

EXAM = "2026春季期末统考"
DAY = "2026-06-28"
HEADERS = list(rules.SCORES_COLUMNS.values())
COUNTY_HEADERS = list(rules.COUNTY_COLUMNS.values())


def score(teacher, average, *, takers=40, school=None, grade="三年级", subject="语文",
          class_name="1班", exam=EXAM, day=DAY, level="县统考"):
    """One 成绩 row in the spec's column order."""
    return [exam, day, level, grade, subject, school or teacher.school.name, class_name,
            teacher.resident_id, takers, average]


def county(average, *, grade="三年级", subject="语文", exam=EXAM):
    return [exam, grade, subject, average]


def book(rows, county_rows=None, *, headers=None) -> bytes:
    sheets = [wb.SheetSpec(rules.SCORES_SHEET, headers or HEADERS, rows,
                           text_columns=frozenset({"任课教师身份证号"}))]
    if county_rows is not None:
        sheets.append(wb.SheetSpec(rules.COUNTY_SHEET, COUNTY_HEADERS, county_rows))
    return wb.workbook_bytes(sheets)


def run(by, township, rows, county_rows=None, *, dry_run=False):
    return exam_services.scores_import(by=by, township=township,
                                       data=book(rows, county_rows), dry_run=dry_run)


def teachers(school, n, *, subject="语文", prefix="语文老师"):
    return [StaffFactory(school=school, name=f"{prefix}{i}", subject=subject)
            for i in range(1, n + 1)]


def excellent_exam(by, township, star, rest, *, number: int, day: date):
    """An exam where ``star`` is 20 points above ``rest``: an excellence award."""
    name = f"第{number}次统考"
    return run(by, township, [score(star, "90", exam=name, day=day.isoformat()),
                              score(rest, "70", exam=name, day=day.isoformat(),
                                    class_name="2班")])
