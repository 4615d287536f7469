"""Reads of the title part ``title_years``: the county office's years and what each needs,
a year's dashboard, the table as the candidates read it, the quotas (paginated, bounded
queries), and the public page (only what the county published; never a resident ID)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum

from evaluation import access
from evaluation.models import (
    TitleCandidate,
    TitleDocument,
    TitleExtraAllocation,
    TitleExtraQuota,
    TitleItem,
    TitlePublication,
    TitlePublicObjection,
    TitleQuota,
    TitleScore,
    TitleSummary,
    TitleTable,
    TitleTableImport,
    TitleYear,
    YearState,
)
from evaluation.selectors import titles as title_selectors
from schools.models import School

PER_PAGE = 50


def scores_exist(year: TitleYear) -> bool:
    return TitleScore.objects.filter(candidate__year=year).exists()


def publication_of(year: TitleYear) -> TitlePublication:
    """What of the year is published (an unsaved record, all unpublished, before the
    county publishes anything)."""
    return TitlePublication.objects.filter(year=year).first() or TitlePublication(year=year)


# ---- the county office's years --------------------------------------------------------


def years_of(user):
    """The years of the counties this login runs, newest first, with their counts."""
    return (TitleYear.objects.filter(county_id__in=access.title_counties(user))
            .select_related("county")
            .annotate(quota_n=Count("quotas", distinct=True),
                      table_n=Count("tables", distinct=True),
                      open_objections=Count("public_objections",
                                            filter=Q(public_objections__answer=""),
                                            distinct=True))
            .order_by("-year", "county__name"))


@dataclass
class YearTodo:
    year: TitleYear
    todo: list[str] = field(default_factory=list)


def year_todo(year) -> list[str]:
    """What the county office still has to do in an open year (plain keys the card and
    the dashboard name)."""
    if year.state != YearState.OPEN:
        return []
    out = []
    if not year.table_n:
        out.append("table")
    if not year.quota_n:
        out.append("quotas")
    if year.open_objections:
        out.append("objections")
    return out


def home_of(user) -> dict:
    """What the home page shows this login of the part
    (templates/evaluation/title_years/_home.html): a county office's years with what
    needs doing."""
    if not user.is_authenticated or not access.title_counties(user):
        return {}
    years = list(years_of(user)[:5])
    return {"years": [YearTodo(y, year_todo(y)) for y in years],
            "counties": access.title_counties_list(user)}


@dataclass
class Dashboard:
    year: TitleYear
    table: TitleTable | None
    items: int
    quotas: int
    posts: int
    recommended: int
    extras: int
    extra_places: int
    documents: int
    documents_published: int
    candidates: int
    summaries_published: int
    objections: int
    objections_open: int
    publication: TitlePublication
    scores: bool
    todo: list[str]


def dashboard(year: TitleYear) -> Dashboard:
    table = title_selectors.current_table(year)
    quota = TitleQuota.objects.filter(year=year).aggregate(
        n=Count("pk"), posts=Sum("posts"), rec=Sum("recommended"))
    extra = TitleExtraQuota.objects.filter(year=year).aggregate(n=Count("pk"), c=Sum("count"))
    docs = TitleDocument.objects.filter(year=year).aggregate(
        n=Count("pk"), p=Count("pk", filter=Q(published=True)))
    objections = TitlePublicObjection.objects.filter(year=year).aggregate(
        n=Count("pk"), o=Count("pk", filter=Q(answer="")))
    year.table_n, year.quota_n, year.open_objections = (
        1 if table else 0, quota["n"], objections["o"])
    return Dashboard(
        year=year, table=table, items=table.items.count() if table else 0,
        quotas=quota["n"], posts=quota["posts"] or 0, recommended=quota["rec"] or 0,
        extras=extra["n"], extra_places=extra["c"] or 0, documents=docs["n"],
        documents_published=docs["p"],
        candidates=TitleCandidate.objects.filter(year=year).count(),
        summaries_published=TitleSummary.objects.filter(candidate__year=year,
                                                        published=True).count(),
        objections=objections["n"], objections_open=objections["o"],
        publication=publication_of(year), scores=scores_exist(year), todo=year_todo(year))


# ---- the table --------------------------------------------------------------------------


@dataclass
class Group:
    name: str
    cap: Decimal | None
    items: list[TitleItem]

    @property
    def items_total(self) -> Decimal:
        return sum((i.item_cap for i in self.items), Decimal("0"))


def table_groups(table: TitleTable | None) -> list[Group]:
    """The table's groups in the sheet's order, each with its items and cap (one query)."""
    if table is None:
        return []
    groups: dict[str, Group] = {}
    for item in table.items.all():
        group = groups.setdefault(item.group, Group(item.group, item.group_cap, []))
        group.items.append(item)
    return list(groups.values())


def table_version(year: TitleYear, version) -> TitleTable | None:
    try:
        number = int(version)
    except (TypeError, ValueError):
        return None
    return TitleTable.objects.filter(year=year, version=number).select_related(
        "imported_by").first()


def tables_of(year: TitleYear):
    return (TitleTable.objects.filter(year=year).select_related("imported_by")
            .annotate(item_n=Count("items")).order_by("-version"))


def imports_of(year: TitleYear):
    return TitleTableImport.objects.filter(year=year).select_related("uploaded_by")[:10]


# ---- quotas -----------------------------------------------------------------------------


@dataclass
class QuotaLine:
    quota: TitleQuota
    staff: int
    held: int
    extra: int

    @property
    def vacant(self) -> int:
        return max(self.quota.posts - self.held, 0)


def quota_lines(year: TitleYear, quotas) -> list[QuotaLine]:
    """The quotas with their unit's staff count, the staff holding the level and the
    extra places allocated to each (three queries besides the quotas')."""
    quotas = list(quotas)
    school_ids = {q.school_id for q in quotas}
    staff = dict(School.objects.filter(pk__in=school_ids).annotate(n=Count("staff"))
                 .values_list("pk", "n"))
    held: dict[tuple, int] = {}
    for school_id, title, n in (
            School.objects.filter(pk__in=school_ids).values("pk", "staff__title")
            .annotate(n=Count("staff")).values_list("pk", "staff__title", "n")):
        held[(school_id, title)] = n
    extra = dict(TitleExtraAllocation.objects.filter(quota__in=[q.pk for q in quotas])
                 .values("quota_id").annotate(n=Sum("count")).values_list("quota_id", "n"))
    return [QuotaLine(q, staff.get(q.school_id, 0), held.get((q.school_id, q.level), 0),
                      extra.get(q.pk, 0)) for q in quotas]


def quotas_of(year: TitleYear, *, query: str = "", level: str = ""):
    quotas = TitleQuota.objects.filter(year=year).select_related("school__township")
    if query:
        quotas = quotas.filter(school__name__icontains=query)
    if level:
        quotas = quotas.filter(level=level)
    return quotas.order_by("school__township__name", "school__name", "level")


def quota_page(year: TitleYear, *, query: str = "", level: str = "", page=1
               ) -> tuple[Page, list[QuotaLine]]:
    found = Paginator(quotas_of(year, query=query, level=level), PER_PAGE).get_page(page)
    return found, quota_lines(year, found.object_list)


def quota_totals(year: TitleYear) -> list[dict]:
    """Per level: units, post quota and recommendation quota in all."""
    return list(TitleQuota.objects.filter(year=year).values("level")
                .annotate(units=Count("pk"), posts=Sum("posts"), recommended=Sum("recommended"))
                .order_by("level"))


def extras_of(year: TitleYear):
    return (TitleExtraQuota.objects.filter(year=year).select_related("created_by")
            .annotate(allocated=Sum("allocations__count")).order_by("date", "pk"))


def extra_lines(extra: TitleExtraQuota) -> list[tuple[TitleQuota, int]]:
    """Every unit of the extra quota's level with the places allocated to it."""
    current = dict(extra.allocations.values_list("quota_id", "count"))
    quotas = (TitleQuota.objects.filter(year_id=extra.year_id, level=extra.level)
              .select_related("school").order_by("school__name"))
    return [(q, current.get(q.pk, 0)) for q in quotas]


# ---- documents, candidates' materials, objections ----------------------------------------


def documents_of(year: TitleYear):
    return TitleDocument.objects.filter(year=year).order_by("date", "pk")


def summaries_of(year: TitleYear, *, query: str = "", page=1) -> Page:
    """The year's candidates with their published materials, if any (paginated)."""
    candidates = (TitleCandidate.objects.filter(year=year)
                  .select_related("staff", "school", "public_summary")
                  .order_by("school__name", "level", "staff__name", "pk"))
    if query:
        candidates = candidates.filter(Q(staff__name__icontains=query)
                                       | Q(school__name__icontains=query))
    return Paginator(candidates, PER_PAGE).get_page(page)


def objections_of(year: TitleYear, *, page=1) -> Page:
    return Paginator(TitlePublicObjection.objects.filter(year=year)
                     .select_related("answered_by").order_by("-submitted_at", "-pk"),
                     PER_PAGE).get_page(page)


# ---- the public page (五公开、一监督) --------------------------------------------------


@dataclass
class PublicSummary:
    """What the public page shows of a candidate: never the resident ID."""

    name: str
    school: str
    level: str
    current_title: str
    text: str


@dataclass
class PublicResult:
    rank: int
    name: str
    q: Decimal
    lesson: Decimal
    total: Decimal
    recommended: str


@dataclass
class PublicRanking:
    """One unit and level's published ranking."""

    school: str
    level: str
    valid: bool
    rows: list[PublicResult]


@dataclass
class PublicYear:
    year: TitleYear
    publication: TitlePublication
    documents: list
    quotas: list
    groups: list
    table: TitleTable | None
    summaries: list[PublicSummary]
    results: list[PublicRanking]
    objections: list
    decision: object | None


def public_year(year: TitleYear) -> PublicYear:
    """Only what the county published: documents and materials flagged published, the
    quotas, table and results once their flag is set, answered objections it published.
    A bounded number of queries whatever the candidate count."""
    publication = publication_of(year)
    quotas = (list(TitleQuota.objects.filter(year=year).select_related("school")
                   .order_by("school__name", "level")) if publication.quotas else [])
    table = title_selectors.current_table(year) if publication.method else None
    summaries = [
        PublicSummary(s.candidate.staff.name, s.candidate.school.name, s.candidate.level,
                      s.candidate.current_title, s.text)
        for s in TitleSummary.objects.filter(candidate__year=year, published=True)
        .select_related("candidate__staff", "candidate__school")
        .order_by("candidate__school__name", "candidate__level", "candidate__staff__name")]
    results = []
    if publication.results:
        for ranking in title_selectors.rankings(year):
            if ranking.rows:
                results.append(PublicRanking(
                    ranking.quota.school.name, ranking.quota.level, ranking.valid,
                    [PublicResult(row.rank, row.candidate.staff.name, row.q, row.lesson,
                                  row.total, row.recommended) for row in ranking.rows]))
    objections = list(TitlePublicObjection.objects.filter(year=year, published=True)
                      .exclude(answer="").order_by("-submitted_at")[:100])
    decision = getattr(year, "final_decision", None) if year.state == YearState.CLOSED \
        else None
    return PublicYear(year, publication, list(TitleDocument.objects.filter(
        year=year, published=True).order_by("date", "pk")), quotas, table_groups(table),
        table, summaries, results, objections, decision)
