"""The recommendation lists' and researchers' world (phase 10): exams with awards
written straight to the Award table (the import that fills it is another part), a
township's lists and rounds. A plain module of builders and fixtures, imported by name."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation.models import Award, AwardKind, Exam, ExamLevel, ListKind
from evaluation.services import recommendations as rec_services
from evaluation.services import researchers as research_services
from schools.models import Staff

from .factories import SchoolFactory, StaffFactory

AS_OF = date(2027, 5, 1)  # in the 2026–2027 school year: a 3-year window from 2024-09-01


def exam(township, name="期末统考", day=date(2027, 1, 15)):
    return Exam.objects.get_or_create(township=township, name=name,
                                      defaults={"date": day, "level": ExamLevel.COUNTY_UNIFIED})[0]


def award(staff, the_exam, kind=AwardKind.EXCELLENCE, *, model_teacher=False, subject="语文"):
    return Award.objects.create(exam=the_exam, staff=staff, grade="三年级", subject=subject,
                                kind=kind, teacher_score=Decimal("90"),
                                township_average=Decimal("78"), model_teacher=model_teacher,
                                computed_at=timezone.now())


def honours_list(office, township, *, quota=8, **extra):
    extra.setdefault("as_of", AS_OF)
    return rec_services.list_create(by=office, township=township, school_year=2026,
                                    kind=ListKind.HONOURS, title=extra.pop("title", "优秀教师"),
                                    quota=quota, **extra)


def seeds_case(township, school):
    """The seeds' case: ten teachers of ``school``, the first five with an excellence
    award in the window, the next three with a standard award only, the last two with
    none."""
    the_exam = exam(township)
    people = [StaffFactory(school=school, name=f"候选{i}") for i in range(10)]
    for person in people[:5]:
        award(person, the_exam)
    for person in people[5:8]:
        award(person, the_exam, AwardKind.STANDARD)
    return people


def many_staff(school, count, *, start=5000):
    return Staff.objects.bulk_create(StaffFactory.build(school=school, name=f"教师{start + i}")
                                     for i in range(count))


def research_round(office, township, *, hosts, subjects=("语文", "数学", "英语"), max_groups=1):
    return research_services.round_open(by=office, township=township, school_year=2026,
                                        subjects=subjects, hosts=hosts,
                                        max_groups_per_school=max_groups)


@pytest.fixture
def rec_list(office_user, township):
    return honours_list(office_user, township)


@pytest.fixture
def candidates(township, school):
    return seeds_case(township, school)


@pytest.fixture
def third_school(township):
    return SchoolFactory(township=township, name="南石完小")
