"""seed_demo's part: recommendation lists (honours, title promotion, talent programmes)
with a quota, the award as a threshold (R9). One honours list with a quota of 8: ten
nominated, those holding the excellence award (from the demo exam, when there is one)
recommended, the others vetoed with the reason; published."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from evaluation.models import Award, AwardKind, ListKind, RecommendationList
from evaluation.services import recommendations as services
from schools.models import School, Staff, Township

TITLE = "年度优秀教师推荐"
QUOTA = 8
NOMINATED = 10


def seed(township: Township, cycle) -> None:
    if RecommendationList.objects.filter(township=township, title=TITLE).exists():
        return
    office = get_user_model().objects.get(username="office")
    rec_list = services.list_create(by=office, township=township,
                                    school_year=cycle.school_year, kind=ListKind.HONOURS,
                                    title=TITLE, quota=QUOTA, as_of=timezone.localdate())
    awarded = list(Award.objects.filter(staff__school__township=township,
                                        kind=AwardKind.EXCELLENCE)
                   .order_by("staff_id").values_list("staff_id", flat=True).distinct()[:5])
    others = [pk for pk in Staff.objects.filter(school__township=township)
              .order_by("school_id", "pk").values_list("pk", flat=True)[:NOMINATED * 2]
              if pk not in awarded][:NOMINATED - len(awarded)]
    by_school: dict[int, list[int]] = {}
    for pk, school_id in Staff.objects.filter(pk__in=awarded + others).values_list(
            "pk", "school_id"):
        by_school.setdefault(school_id, []).append(pk)
    for school in School.objects.filter(pk__in=list(by_school)).order_by("pk"):
        services.nominate(by=office, rec_list=rec_list, school=school,
                          staff_ids=by_school[school.pk])
    services.list_publish(by=office, rec_list=rec_list)
