"""seed_demo: the county's title evaluation, part ``title_years``: the county office's
login ``county``; this year's title year of the demo county with a scoring table in the
seed's groups (imported through the import, as the city's workbook would be), each school
of the demo township's quotas at 一级教师 and 高级教师 (computed from ratios, 1:1), two policy
documents published, one extra quota allocated. Does nothing when the year exists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from evaluation import rules
from evaluation.models import TitleLevel, TitleQuota, TitleYear
from evaluation.services import title_years as services
from schools.management.commands.seed_demo import DemoLogin, demo_password_hash
from schools.models import Role, Township
from schools.services import login_ensure, membership_grant
from staffing import workbook as wb

USERNAME = "county"

# (项目编号, 类别, 项目, 单项上限, 类别上限): the city's table as the seed describes it
# (师德, 教学业绩, 教科研, 荣誉), with a cap per group.
ITEMS = [
    ("A1", "师德", "年度师德考核合格以上", "5", "10"),
    ("A2", "师德", "师德考核优秀或师德标兵", "5", "10"),
    ("B1", "教学业绩", "任现职以来年度考核优秀（每次）", "10", "40"),
    ("B2", "教学业绩", "教学质量奖（乡镇优秀奖）", "15", "40"),
    ("B3", "教学业绩", "县级以上公开课、示范课", "10", "40"),
    ("B4", "教学业绩", "担任班主任年限", "10", "40"),
    ("C1", "教科研", "主持或参与县级以上课题", "10", "25"),
    ("C2", "教科研", "发表论文或获奖论文", "10", "25"),
    ("C3", "教科研", "指导青年教师", "5", "25"),
    ("D1", "荣誉", "县级优秀教师、优秀班主任", "8", "15"),
    ("D2", "荣誉", "市级以上表彰", "10", "15"),
    ("E1", "工作量", "任现职以来满工作量（每年）", "10", None),
]
RATIOS = {TitleLevel.FIRST: Decimal("0.400"), TitleLevel.SENIOR: Decimal("0.150")}
EXTRA_PLACES = 2
DOCUMENTS = [
    ("中小学教师专业技术职务评审工作实施方案", "县职改〔{year}〕3号", (3, 5),
     "一、岗位职数核定到各基层单位，本年度差额推荐职数按1:1比例分配到各单位。\n"
     "二、各单位以市职改办下发的量化评分细则为蓝本，量化考核与说课相结合进行推荐，"
     "不得调整和修改评分细则。\n三、坚持“五公开、一监督”，县级评委会最后终审。"),
    ("关于做好职称评审公开评分工作的通知", "县教职〔{year}〕7号", (3, 12),
     "各单位对参评对象的量化必须公开打分，各参评对象必须知道并承认竞争对手的分数，"
     "该分数才为有效分数。对评分有异议的，可向本单位或县职改办提出。"),
]


def _table_workbook(quotas: list[TitleQuota]) -> bytes:
    return wb.workbook_bytes([
        wb.SheetSpec(rules.TITLE_ITEMS_SHEET, list(rules.TITLE_ITEM_COLUMNS.values()),
                     [[code, group, text, Decimal(cap), Decimal(gcap) if gcap else None]
                      for code, group, text, cap, gcap in ITEMS]),
        wb.SheetSpec(rules.TITLE_QUOTAS_SHEET, list(rules.TITLE_QUOTA_COLUMNS.values()),
                     # The city's 推荐职数: at least one place for every unit.
                     [[q.school.name, q.level, max(q.recommended, 1)] for q in quotas]),
    ])


def seed(township: Township) -> list:
    user = login_ensure(username=USERNAME, password=demo_password_hash())
    membership_grant(user=user, role=Role.COUNTY_OFFICE, county=township.county)
    logins = [DemoLogin(USERNAME, Role.COUNTY_OFFICE.label, township.county.name)]
    this_year = timezone.localdate().year
    if TitleYear.objects.filter(county=township.county, year=this_year).exists():
        return logins
    year = services.year_create(by=user, county=township.county, year=this_year,
                                quantitative_share=Decimal("0.70"),
                                lesson_share=Decimal("0.30"))
    services.ratios_set(by=user, year=year, ratios=dict(RATIOS))
    services.quotas_compute(by=user, year=year)
    # The demo's quotas are the demo township's schools (the county has only it).
    quotas = list(TitleQuota.objects.filter(year=year, school__township=township)
                  .select_related("school").order_by("school__name", "level"))
    result = services.table_import(by=user, year=year, data=_table_workbook(quotas),
                                   file_name=f"{this_year}年量化评分细则.xlsx")
    if not result.ok:  # pragma: no cover — the demo's own workbook
        raise RuntimeError("\n".join(["the demo title table does not import:",
                                      *result.error_lines]))
    for title, number, (month, day), text in DOCUMENTS:
        document = year.documents.model(
            year=year, title=title, number=number.format(year=this_year),
            date=date(this_year, month, day), text=text, published=True)
        services.document_save(by=user, year=year, document=document)
    extra = services.extra_create(
        by=user, year=year, level=TitleLevel.SENIOR, count=EXTRA_PLACES,
        document_number=f"市职改〔{this_year}〕12号", date=date(this_year, 4, 8),
        note="市人事局增拨高级岗位职数，按预定方案下达各单位")
    seniors = [q for q in quotas if q.level == TitleLevel.SENIOR][:EXTRA_PLACES]
    services.extra_allocate(by=user, extra=extra, counts={q.pk: 1 for q in seniors})
    services.publication_set(by=user, year=year, quotas=True, method=True, results=False)
    return logins
