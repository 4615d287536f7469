"""The contracts world (phase 8): a cycle whose phase 7 has closed and phase 8 is open,
with confirmed hires at 夏庄完小 (``school``) and 东张完小 (``other_school``). A plain
module of builders and fixtures, imported by name."""

import pytest
from django.utils import timezone

from recruitment.models import Hire, HireSource, PhaseState, Post, PostKind
from recruitment.phases import CONTRACTS, UNHIRED
from schools.models import Staff

from .factories import CycleFactory, HireFactory, PostFactory, StaffFactory


def contracts_cycle(office, township, *, phase7=PhaseState.CLOSED, phase8=PhaseState.OPEN):
    """Phases 1–6 closed, phase 7 as given (closed by default), phase 8 open."""
    states = {n: PhaseState.CLOSED for n in range(1, UNHIRED)}
    states.update({UNHIRED: phase7, CONTRACTS: phase8})
    return CycleFactory(township=township, created_by=office, phases=states)


def hire(cycle, school, name, *, number, user=None, extra=None):
    """``name`` hired at ``school`` to teaching post ``number`` (三年级语文)."""
    post = PostFactory(cycle=cycle, school=school, number=number,
                       duties="担任三年级语文教学", conditions="具有小学教师资格")
    staff = StaffFactory(school=school, name=name, user=user)
    return HireFactory(post=post, staff=staff, extra_posts=extra or [])


def many_hires(cycle, school, count, *, start=1000):
    """``count`` hires at ``school`` written in bulk (posts, staff, hires): for the
    bounded-query tests."""
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(cycle=cycle, school=school, number=start + i, kind=PostKind.TEACHING,
             grade_class="四年级", subject="数学", weekly_lessons=14, published_at=now)
        for i in range(count))
    staff = Staff.objects.bulk_create(
        StaffFactory.build(school=school, name=f"教师{start + i}")
        for i in range(count))
    Hire.objects.bulk_create(
        Hire(cycle=cycle, staff=person, post=post, source=HireSource.SELECTION)
        for person, post in zip(staff, posts, strict=True))
    return count


@pytest.fixture
def cycle(office_user, township, school, other_school):
    return contracts_cycle(office_user, township)


@pytest.fixture
def hires(cycle, school, other_school, teacher_user):
    """教师乙 (``teacher``, with a login) and 同事丁 at 夏庄完小; 东张教师 at 东张完小."""
    teacher = teacher_user.staff_profile
    post = PostFactory(cycle=cycle, school=school, number=1, duties="担任三年级语文教学")
    aux = PostFactory(cycle=cycle, school=school, number=2, kind=PostKind.AUXILIARY,
                      grade_class="", subject="", weekly_lessons=0, duties="实验室管理")
    return {
        "teacher": HireFactory(post=post, staff=teacher, extra_posts=[aux]),
        "colleague": hire(cycle, school, "同事丁", number=3),
        "there": hire(cycle, other_school, "东张教师", number=1),
    }
