"""seed_demo's part: exam results and teaching-quality awards (质量积分制, R9, shared/spec/exam-
scores.md).

Five end-of-term exams of the demo township, imported through the real import (the
workbook of the spec, built here) in date order: the county's 2026春季期末统考 in the June
before the term, with county averages for 语文 and 数学, and four earlier ones. Teachers of
语文, 数学 and 英语 at the primaries and the middle school each teach one class; two of them
(a teacher with a demo login first) are strong every time, so after the June exam one is
one excellence award short of 教学标兵 and the other two. Two further grounds for the
standard award. Deterministic; nothing is done when the township has an exam."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from evaluation import rules
from evaluation.models import Exam, GroundKind
from evaluation.services import exams as exam_services
from schools.models import SchoolKind, Staff, Township
from staffing import workbook as wb

SUBJECTS = ("语文", "数学", "英语")
BASE = {"语文": 78, "数学": 74, "英语": 71}
PRIMARY_GRADES = ("三年级", "四年级", "五年级", "六年级")
MIDDLE_GRADES = ("七年级", "八年级", "九年级")
PRIMARY_KINDS = (SchoolKind.CENTRAL_PRIMARY, SchoolKind.COMPLETE_PRIMARY, SchoolKind.PRIMARY)


def exam_dates(today: date) -> list[tuple[str, date, str]]:
    """(name, date, level) of the five exams, oldest first: the last June before the
    term (which began 14 days ago) and the four end-of-term exams before it."""
    term = today - timedelta(days=14)
    june = term.year if term.month >= 7 else term.year - 1
    return [
        (f"{june - 2}春季期末统考", date(june - 2, 6, 28), "县统考"),
        (f"{june - 2}秋季期末统考", date(june - 1, 1, 12), "县统考"),
        (f"{june - 1}春季期末统考", date(june - 1, 6, 27), "县统考"),
        (f"{june - 1}秋季期末统考", date(june, 1, 10), "镇统考"),
        (f"{june}春季期末统考", date(june, 6, 28), "县统考"),
    ]


def _teachers(township: Township) -> list[Staff]:
    return list(Staff.objects.filter(school__township=township, subject__in=SUBJECTS,
                                     school__kind__in=(*PRIMARY_KINDS,
                                                       SchoolKind.CENTRAL_MIDDLE))
                .select_related("school").order_by("school__name", "resident_id"))


def _stars(staff: list[Staff]) -> list[Staff]:
    """Two teachers strong in every exam, those with a login first."""
    ordered = sorted(staff, key=lambda s: (s.user_id is None, s.school.name, s.resident_id))
    return ordered[:2]


def _rows(staff, stars, grades_of, name, day, level, rng, exam_index):
    rows = []
    for person in staff:
        grade = grades_of[person.pk]
        star = stars.get(person.pk)
        if star is not None and exam_index >= star:
            score = BASE[person.subject] + 21 + rng.uniform(0, 3)
        else:
            score = BASE[person.subject] + rng.uniform(-9, 9)
        rows.append([name, day.isoformat(), level, grade, person.subject, person.school.name,
                     f"{1 + rng.randrange(3)}班", person.resident_id, rng.randint(32, 48),
                     f"{min(score, 99.5):.2f}"])
    # One class per teacher, grade and subject: a drawn class number may repeat.
    seen = set()
    for row in rows:
        key = (row[5], row[3], row[4], row[6])
        while key in seen:
            row[6] = f"{int(row[6][:-1]) + 3}班"
            key = (row[5], row[3], row[4], row[6])
        seen.add(key)
    return rows


def seed(township: Township, cycle) -> None:
    if Exam.objects.filter(township=township).exists():
        return
    office = get_user_model().objects.filter(username="office").first()
    staff = _teachers(township)
    if not staff:
        return
    rng = random.Random(20260628)
    grades_of = {}
    for person in staff:
        grades = MIDDLE_GRADES if person.school.kind == SchoolKind.CENTRAL_MIDDLE \
            else PRIMARY_GRADES
        grades_of[person.pk] = grades[rng.randrange(len(grades))]
    # The first star strong from the first exam on (5 after June: 还差 1 次), the second
    # from the second (4: 还差 2 次).
    stars = {person.pk: index for index, person in enumerate(_stars(staff))}
    for index, (name, day, level) in enumerate(exam_dates(timezone.localdate())):
        rows = _rows(staff, stars, grades_of, name, day, level, rng, index)
        county_rows = None
        if level == "县统考":
            county_rows = [[name, grade, subject, f"{BASE[subject] - 1.5:.2f}"]
                           for subject in ("语文", "数学")
                           for grade in (*PRIMARY_GRADES, *MIDDLE_GRADES)]
        sheets = [wb.SheetSpec(rules.SCORES_SHEET, list(rules.SCORES_COLUMNS.values()), rows)]
        if county_rows:
            # Only the grades and subjects the exam has.
            present = {(r[3], r[4]) for r in rows}
            sheets.append(wb.SheetSpec(rules.COUNTY_SHEET, list(rules.COUNTY_COLUMNS.values()),
                                       [r for r in county_rows if (r[1], r[2]) in present]))
        result = exam_services.scores_import(by=office, township=township,
                                             data=wb.workbook_bytes(sheets))
        if not result.ok:  # the demo's own data: a wrong row is a bug here
            raise RuntimeError("; ".join(result.error_lines[:5]))
    _grounds(township, office)


def _grounds(township: Township, office) -> None:
    if office is None:
        return
    others = Staff.objects.filter(school__township=township).exclude(subject__in=SUBJECTS)
    kindergarten = others.filter(school__kind=SchoolKind.KINDERGARTEN).order_by("pk").first()
    coach = others.exclude(school__kind=SchoolKind.KINDERGARTEN).order_by("pk").first()
    today = timezone.localdate()
    if coach is not None:
        exam_services.ground_save(by=office, staff=coach, kind=GroundKind.ARTS_SPORTS,
                                  title="县中小学生运动会团体一等奖",
                                  day=today - timedelta(days=120), note="指导教师")
    if kindergarten is not None:
        exam_services.ground_save(by=office, staff=kindergarten, kind=GroundKind.KINDERGARTEN,
                                  title="县幼儿园保教质量考核优秀",
                                  day=today - timedelta(days=90))
