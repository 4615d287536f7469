"""seed_demo's title year (R12, part ``title_years``): the county office's login, this
year's year with a table in the seed's groups, quotas of every school at 一级教师 and 高级教师,
two published documents, one extra quota allocated; run again, nothing changes."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from evaluation.demo import title_years as title_years_demo
from evaluation.models import (
    TitleDocument,
    TitleExtraAllocation,
    TitleExtraQuota,
    TitleLevel,
    TitleQuota,
    TitleYear,
)
from evaluation.selectors import title_years as selectors
from schools.management.commands.seed_demo import DEMO_PASSWORD
from schools.models import Role

from .factories import SchoolFactory, StaffFactory
from .helpers import row_counts

pytestmark = pytest.mark.django_db


def test_the_demo_title_year(township, school, other_school):
    for where in (school, other_school, SchoolFactory(township=township)):
        StaffFactory.create_batch(12, school=where, title="二级教师")
        StaffFactory.create_batch(3, school=where, title="一级教师")

    logins = title_years_demo.seed(township)

    assert [(d.username, d.where) for d in logins] == [("county", township.county.name)]
    user = get_user_model().objects.get(username="county")
    assert user.check_password(DEMO_PASSWORD)
    assert user.memberships.get().role == Role.COUNTY_OFFICE
    year = TitleYear.objects.get(county=township.county, year=timezone.localdate().year)
    groups = selectors.table_groups(selectors.title_selectors.current_table(year))
    assert [g.name for g in groups] == ["师德", "教学业绩", "教科研", "荣誉", "工作量"]
    assert 10 <= sum(len(g.items) for g in groups) <= 14
    assert all(g.cap is not None for g in groups[:4])
    quotas = TitleQuota.objects.filter(year=year)
    assert {(q.school_id, q.level) for q in quotas} == {
        (s.pk, level) for s in township.schools.all()
        for level in (TitleLevel.FIRST, TitleLevel.SENIOR)}
    assert all(q.posts > 0 and q.recommended >= 1 for q in quotas)
    assert TitleDocument.objects.filter(year=year, published=True).count() == 2
    extra = TitleExtraQuota.objects.get(year=year)
    allocated = sum(TitleExtraAllocation.objects.filter(extra=extra)
                    .values_list("count", flat=True))
    assert 0 < allocated <= extra.count

    before = row_counts()
    assert title_years_demo.seed(township) == logins
    assert row_counts() == before
