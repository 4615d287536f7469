"""The title evaluation's world (R12): a county office, a year with a small table, a
unit's quotas and candidates written straight to the tables (the services that fill them
belong to the parts). A plain module of builders and fixtures, imported by name."""

from decimal import Decimal

import pytest

from evaluation.models import (
    CandidateState,
    TitleAcknowledgement,
    TitleCandidate,
    TitleItem,
    TitleLevel,
    TitleQuota,
    TitleScore,
    TitleTable,
    TitleYear,
)
from schools.models import Role
from staffing import workbook as wb

from .factories import StaffFactory, UserFactory, membership

# (项目编号, 类别, 项目, 单项上限, 类别上限): two groups, 教学业绩 capped at 30.
ITEMS = [
    ("A1", "师德", "师德考核优秀", "10", None),
    ("B1", "教学业绩", "教学质量奖", "20", "30"),
    ("B2", "教学业绩", "公开课", "20", "30"),
]


def county_office(county, username="county"):
    user = UserFactory(username=username)
    membership(user, Role.COUNTY_OFFICE, county)
    return user


def title_year(county, by, year=2027, **extra):
    return TitleYear.objects.create(county=county, year=year, created_by=by, **extra)


def table(year, items=ITEMS, *, by=None):
    version = (year.tables.order_by("-version").values_list("version", flat=True).first()
               or 0) + 1
    the_table = TitleTable.objects.create(year=year, version=version, imported_by=by)
    TitleItem.objects.bulk_create(
        TitleItem(table=the_table, code=code, group=group, text=text, item_cap=Decimal(cap),
                  group_cap=Decimal(group_cap) if group_cap else None, position=i)
        for i, (code, group, text, cap, group_cap) in enumerate(items))
    return the_table


def quota(year, school, level=TitleLevel.SENIOR, recommended=1, posts=None):
    return TitleQuota.objects.create(year=year, school=school, level=level,
                                     recommended=recommended,
                                     posts=recommended if posts is None else posts)


def candidate(year, staff=None, *, school=None, level=TitleLevel.SENIOR,
              state=CandidateState.ELIGIBLE, lesson=None, **extra):
    staff = staff or StaffFactory(school=school)
    return TitleCandidate.objects.create(
        year=year, staff=staff, school=staff.school, level=level, state=state,
        current_title=staff.title, lesson_score=None if lesson is None else Decimal(lesson),
        **extra)


def scores(the_candidate, the_table, **by_code):
    """scores(c, t, A1="8", B1="20"): the candidate's item scores, by item code."""
    items = {item.code: item for item in the_table.items.all()}
    TitleScore.objects.bulk_create(
        TitleScore(candidate=the_candidate, item=items[code], score=Decimal(value))
        for code, value in by_code.items())


@pytest.fixture
def county(township):
    return township.county


@pytest.fixture
def county_user(county):
    return county_office(county)


@pytest.fixture
def year(county, county_user):
    return title_year(county, county_user)


# ---- title_review: candidates with logins, acknowledgements -----------------------------


def candidate_login(year, school, username, *, name=None, level=TitleLevel.SENIOR,
                    lesson="80", **extra):
    """A candidate whose staff record has a login (``username``), to use their pages."""
    staff = StaffFactory(school=school, name=name or username,
                         user=UserFactory(username=username))
    return candidate(year, staff, level=level, lesson=lesson, **extra)


def acknowledge(candidates, group, by=None):
    """Every one of ``candidates`` acknowledged ``group``'s current revision."""
    group.refresh_from_db()
    TitleAcknowledgement.objects.bulk_create(
        TitleAcknowledgement(candidate=c, revision=group.revision,
                             acknowledged_by=by or c.staff.user) for c in candidates)


# The scoring-table workbook of import_title_table (sheets 评分细则 and 职数).
ITEM_HEADERS = ["项目编号", "类别", "项目", "单项上限", "类别上限"]
QUOTA_HEADERS = ["单位", "申报级别", "推荐职数"]
GOOD_ITEMS = [["A1", "师德", "师德考核优秀", 10, None],
              ["B1", "教学业绩", "教学质量奖", 20, 30],
              ["B2", "教学业绩", "公开课", "12.5", "30"]]


def table_workbook(items=GOOD_ITEMS, quotas=(), *, sheets=None):
    specs = [wb.SheetSpec("评分细则", ITEM_HEADERS, items),
             wb.SheetSpec("职数", QUOTA_HEADERS, list(quotas))]
    if sheets is not None:
        specs = [s for s in specs if s.name in sheets]
    return wb.workbook_bytes(specs)
