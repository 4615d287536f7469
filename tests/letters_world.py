"""The letters world (R10): 夏庄完小 (``school``, principal 校长甲 = ``principal_user``) and
东张完小 (``other_school``, 校长丙 = ``other_principal``) with their 校长 positions open, an
exam whose results put 夏庄完小 above the township average and 东张完小 below, and the
letters of 2026 drafted. A plain module of builders and fixtures, imported by name."""

from datetime import date
from decimal import Decimal

import pytest

from evaluation.models import Exam, ExamLevel, ExamResult, Letter, LetterState
from evaluation.services import letters as letter_services
from schools.models import Position, School, Staff

from .factories import CycleFactory, SchoolFactory, StaffFactory

YEAR = 2026


def head(user, school, title="校长", start=date(2020, 9, 1)):
    """``user``'s staff record holds ``school``'s ``title`` position from ``start``."""
    return Position.objects.create(staff=user.staff_profile, school=school, title=title,
                                   start_date=start)


def exam_results(township, rows, *, name="2026春季期末统考", when=date(2026, 6, 30)):
    """An exam with ``rows``: (school, grade, subject, class, takers, average)."""
    exam = Exam.objects.create(township=township, name=name, date=when,
                               level=ExamLevel.TOWNSHIP_UNIFIED)
    teachers = {}
    for school, grade, subject, class_name, takers, average in rows:
        if school.pk not in teachers:
            teachers[school.pk] = StaffFactory(school=school, name=f"{school.name}任课教师")
        ExamResult.objects.create(exam=exam, school=school, grade=grade, subject=subject,
                                  class_name=class_name, teacher=teachers[school.pk],
                                  takers=takers, average=Decimal(average))
    return exam


def many_schools(township, count, *, start=100):
    """``count`` schools, each with a principal in office, written in bulk."""
    schools = School.objects.bulk_create(
        SchoolFactory.build(township=township, name=f"学校{start + i:04d}") for i in range(count))
    staff = Staff.objects.bulk_create(
        StaffFactory.build(school=school, name=f"校长{start + i}")
        for i, school in enumerate(schools))
    Position.objects.bulk_create(
        Position(staff=person, school=school, title="校长", start_date=date(2020, 9, 1))
        for person, school in zip(staff, schools, strict=True))
    return schools


@pytest.fixture
def heads(township, school, other_school, principal_user, other_principal, office_user):
    """The two principals in office, and the township's 2026 cycle (the school year the
    pages open on)."""
    CycleFactory(township=township, school_year=YEAR, created_by=office_user)
    return {"here": head(principal_user, school), "there": head(other_principal, other_school)}


@pytest.fixture
def exam(township, school, other_school):
    """三年级语文: 夏庄完小 90 (40 pupils) and 84 (20); 东张完小 76 (40). Township average
    83.2 → 夏庄完小 +4.8 (second tier), 东张完小 −7.2 (third tier)."""
    return exam_results(township, [
        (school, "三年级", "语文", "1班", 40, "90"),
        (school, "三年级", "语文", "2班", 20, "84"),
        (other_school, "三年级", "语文", "1班", 40, "76"),
    ])


@pytest.fixture
def drafted(township, heads, exam, office_user):
    letter_services.letters_draft(by=office_user, township=township, school_year=YEAR)
    return {"here": Letter.objects.get(school=heads["here"].school),
            "there": Letter.objects.get(school=heads["there"].school)}


@pytest.fixture
def sent(drafted, office_user):
    letter_services.letters_send(by=office_user, letters=list(drafted.values()))
    for letter in drafted.values():
        letter.refresh_from_db()
        assert letter.state == LetterState.SENT
    return drafted


@pytest.fixture
def signed(sent, principal_user):
    letter = letter_services.letter_sign(by=principal_user, letter=sent["here"])
    return letter
