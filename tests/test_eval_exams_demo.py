"""seed_demo's exams part: five exams through the real import, awards of both kinds in the
June exam, two teachers close to model teacher, two further grounds; a second run changes
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from evaluation.models import Award, AwardKind, CountyAverage, Exam, OtherGround
from schools import demo
from schools.models import Township

pytestmark = pytest.mark.django_db


def test_the_demo_has_exam_results_and_awards(capsys):
    call_command("seed_demo", stdout=StringIO())
    township = Township.objects.get(name=demo.TOWNSHIP)
    exams = list(Exam.objects.filter(township=township).order_by("date"))
    assert len(exams) == 5
    june = exams[-1]
    assert june.name.endswith("春季期末统考") and june.level == "县统考" and june.date.month == 6
    kinds = set(june.awards.values_list("kind", flat=True))
    assert kinds == {AwardKind.EXCELLENCE, AwardKind.STANDARD}
    assert CountyAverage.objects.filter(exam=june).exists()
    counts = sorted(Award.objects.filter(kind=AwardKind.EXCELLENCE).values_list(
        "staff_id", flat=True))
    by_teacher = {pk: counts.count(pk) for pk in set(counts)}
    top = sorted(by_teacher.values(), reverse=True)[:2]
    assert top == [5, 4]
    assert OtherGround.objects.count() == 2
    before = (Exam.objects.count(), Award.objects.count(), OtherGround.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Exam.objects.count(), Award.objects.count(), OtherGround.objects.count()) == before
    print(f"demo: {june.results.count()} results in {june.name}; "
          f"{june.awards.filter(kind=AwardKind.EXCELLENCE).count()} excellence, "
          f"{june.awards.filter(kind=AwardKind.STANDARD).count()} standard awards")
