"""seed_demo's letters (R10): drafted from the default template for every principal, the
targets tiered from the exam where a school has results and entered by the office where
not, all signed but principal01's, left for principal01 to sign; run again, nothing
changes; with no exam at all, every target is the office's."""

import pytest

from evaluation.demo import letters as letters_demo
from evaluation.models import Letter, LetterState
from schools.models import Role

from . import letters_world
from .factories import CycleFactory, SchoolFactory, StaffFactory, UserFactory, membership
from .letters_world import head

exam = letters_world.exam


@pytest.fixture
def demo(township, school, other_school, office_user):
    """夏庄完小's principal is principal01, 东张完小's principal02; a third school without
    results is led by principal03."""
    third = SchoolFactory(township=township, name="中心幼儿园")
    for number, where in ((1, school), (2, other_school), (3, third)):
        user = UserFactory(username=f"principal{number:02d}")
        StaffFactory(school=where, name=f"园长{number}" if where == third else f"校长{number}",
                     user=user)
        membership(user, Role.PRINCIPAL, where)
        head(user, where, title="园长" if where == third else "校长")
    return CycleFactory(township=township, created_by=office_user), third


def test_the_demo_letters_are_signed_but_principal01s(demo, exam, township):
    cycle, third = demo

    letters_demo.seed(township, cycle)
    letters_demo.seed(township, cycle)

    letters = {letter.principal.user.username: letter for letter in
               Letter.objects.select_related("principal__user")}
    assert len(letters) == 3
    assert letters["principal01"].state == LetterState.SENT
    assert letters["principal02"].state == LetterState.SIGNED
    assert letters["principal03"].state == LetterState.SIGNED
    assert letters["principal02"].tier == 3
    assert letters["principal03"].tier is None
    assert letters["principal03"].target == letters_demo.MANUAL_TARGET


def test_without_an_exam_the_office_enters_every_target(demo, township):
    cycle, _third = demo

    letters_demo.seed(township, cycle)

    assert set(Letter.objects.values_list("target", flat=True)) == {letters_demo.MANUAL_TARGET}
    assert Letter.objects.filter(state=LetterState.SIGNED).count() == 2
