"""Reads of the title evaluation part ``title_candidates``: the year a staff member may
declare in, the table they read first, the facts the unit checks a declaration by
(title, years held at the reference date, the R9 award threshold read as recommendation
lists read it), a unit's candidates and scores, the rankings' export, the home card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from evaluation import access, rules, scoring
from evaluation.models import (
    CandidateState,
    TitleCandidate,
    TitleItem,
    TitleLevel,
    TitleScore,
    TitleScoreImport,
    TitleTable,
    TitleYear,
    YearState,
)
from evaluation.selectors import recommendations as recommendation_selectors
from evaluation.selectors import titles as title_selectors
from schools import access as school_access
from schools.models import School, Staff
from staffing import workbook as wb
from staffing.history import display_name

# ---- the year's settings ----------------------------------------------------------------


def reference_date(year: TitleYear) -> date:
    """The date years held and awards are counted at: the year's setting, else 31
    December of the year."""
    return year.reference_date or date(year.year, 12, 31)


def requirement(year: TitleYear, level: str) -> tuple[str, int]:
    """(the previous title the level requires, the years it must be held)."""
    return {
        TitleLevel.FIRST: (year.first_requires, year.first_years),
        TitleLevel.SENIOR: (year.senior_requires, year.senior_years),
        TitleLevel.FULL_SENIOR: (year.full_senior_requires, year.full_senior_years),
    }[level]


def requirements(year: TitleYear) -> list[tuple[str, str, int]]:
    return [(level, *requirement(year, level)) for level in TitleLevel.values]


def threshold(year: TitleYear) -> rules.Threshold:
    """R9's threshold as the title evaluation reads it: the excellence award within the
    year's window (the recommendation lists' reading)."""
    return rules.Threshold(rules.REQUIRE_EXCELLENCE, year.award_window_years)


# ---- a staff member's side ----------------------------------------------------------------


def open_year_for(staff: Staff | None) -> TitleYear | None:
    """The newest open year of the staff member's county."""
    if staff is None:
        return None
    return (TitleYear.objects.filter(county_id=staff.school.township.county_id,
                                     state=YearState.OPEN)
            .select_related("county").order_by("-year").first())


def own_candidacy(year: TitleYear, staff: Staff) -> TitleCandidate | None:
    return (TitleCandidate.objects.filter(year=year, staff=staff)
            .select_related("school", "checked_by").first())


@dataclass
class Group:
    name: str
    cap: Decimal | None
    items: list[TitleItem]


def table_groups(table: TitleTable | None) -> list[Group]:
    """The table's items by group in the sheet's order, each with the group's cap."""
    groups: dict[str, Group] = {}
    for item in title_selectors.items_of(table):
        group = groups.setdefault(item.group, Group(item.group, item.group_cap, []))
        group.items.append(item)
    return list(groups.values())


# ---- the unit's check -------------------------------------------------------------------------


@dataclass
class CheckRow:
    candidate: TitleCandidate
    required_title: str
    years_required: int
    years_held: int
    award_refusal: str | None  # None: met, or not required
    refusal: str | None  # the computed reason (None: eligible by the rules)

    @property
    def title_ok(self) -> bool:
        return not self.required_title or self.candidate.current_title == self.required_title

    @property
    def years_ok(self) -> bool:
        return self.candidate.exceptional or self.years_held >= self.years_required


def check_rows(year: TitleYear, candidates: list[TitleCandidate]) -> list[CheckRow]:
    """Each declaration's facts at the year's reference date; one query for the awards
    whatever the number of candidates."""
    on = reference_date(year)
    awards = {}
    if year.award_required and candidates:
        awards = recommendation_selectors.threshold_of(
            [c.staff_id for c in candidates], threshold(year), on)
    rows = []
    for candidate in candidates:
        required, years = requirement(year, candidate.level)
        award = awards.get(candidate.staff_id)
        rows.append(CheckRow(
            candidate, required, years, rules.years_held(candidate.title_since, on), award,
            rules.title_eligibility_refusal(
                required_title=required, years_required=years,
                current_title=candidate.current_title, title_since=candidate.title_since,
                on=on, exceptional=candidate.exceptional, award_refusal=award)))
    return rows


def unit_candidates(year: TitleYear, school: School, *, state: str | None = None,
                    level: str | None = None, search: str = "") -> QuerySet[TitleCandidate]:
    found = (TitleCandidate.objects.filter(year=year, school=school)
             .select_related("staff", "school", "checked_by"))
    if state:
        found = found.filter(state=state)
    if level:
        found = found.filter(level=level)
    if search:
        found = found.filter(staff__name__icontains=search)
    return found.order_by("level", "staff__name", "pk")


def scored_ids(candidate_ids) -> set[int]:
    return set(TitleScore.objects.filter(candidate_id__in=list(candidate_ids))
               .values_list("candidate_id", flat=True).distinct())


@dataclass
class UnitLine:
    school: School
    declared: int
    eligible: int
    refused: int
    withdrawn: int
    unscored: int  # eligible with no lesson score yet


def units_of(user, year: TitleYear, *, school_ids=None) -> list[UnitLine]:
    """The units this login sees (of ``school_ids``: a page of them), each with its
    counts (one query)."""
    schools = access.title_schools(user, year).select_related("township")
    if school_ids is not None:
        schools = schools.filter(pk__in=list(school_ids))
    counts = {}
    for school_id, state, lesson_missing, n in (
            TitleCandidate.objects.filter(year=year, school__in=schools)
            .values("school_id", "state")
            .annotate(missing=Count("pk", filter=Q(lesson_score__isnull=True)), n=Count("pk"))
            .values_list("school_id", "state", "missing", "n")):
        line = counts.setdefault(school_id, {"missing": 0})
        line[state] = n
        if state == CandidateState.ELIGIBLE:
            line["missing"] = lesson_missing
    out = []
    for school in schools.order_by("township__name", "name"):
        c = counts.get(school.pk, {})
        out.append(UnitLine(school, c.get(CandidateState.DECLARED, 0),
                            c.get(CandidateState.ELIGIBLE, 0), c.get(CandidateState.REFUSED, 0),
                            c.get(CandidateState.WITHDRAWN, 0), c.get("missing", 0)))
    return out


DECLARATIONS_SHEET = "职称申报"
DECLARATIONS_COLUMNS = ("单位", "姓名", "申报级别", "破格", "现职称", "任现职时间", "任职年限",
                        "要求年限", "按规则", "状态", "不合格理由", "审核人", "审核时间",
                        "说课讲课分", "申报时间")


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def declarations_workbook(year: TitleYear, school: School, *, state: str | None = None,
                          level: str | None = None, search: str = "") -> bytes:
    """Sheet 职称申报: the unit's declarations as its page lists them (the same filters),
    every row, with the facts of the check and who checked when; a bounded number of
    queries whatever the count."""
    rows = []
    for row in check_rows(year, list(unit_candidates(year, school, state=state, level=level,
                                                     search=search))):
        c = row.candidate
        rows.append([c.school.name, c.staff.name, c.level, "是" if c.exceptional else "",
                     c.current_title, c.title_since, row.years_held, row.years_required,
                     row.refusal or "合格", c.get_state_display(), c.refusal,
                     display_name(c.checked_by), _moment(c.checked_at),
                     c.lesson_score, _moment(c.declared_at)])
    return wb.workbook_bytes([wb.SheetSpec(DECLARATIONS_SHEET, DECLARATIONS_COLUMNS, rows)])


UNITS_SHEET = "申报单位"
UNITS_COLUMNS = ("乡镇", "单位", "待审核", "合格", "不合格", "撤回", "未评说课讲课")


def units_workbook(user, year: TitleYear) -> bytes:
    """Sheet 申报单位: every unit this login sees (not a page of them) with its counts."""
    rows = [[line.school.township.name, line.school.name, line.declared, line.eligible,
             line.refused, line.withdrawn, line.unscored] for line in units_of(user, year)]
    return wb.workbook_bytes([wb.SheetSpec(UNITS_SHEET, UNITS_COLUMNS, rows)])


def candidate_items(candidate: TitleCandidate, table: TitleTable | None
                    ) -> list[tuple[TitleItem, TitleScore | None]]:
    """Each item of the table with the candidate's score on it (None: not scored)."""
    scores = {s.item_id: s for s in TitleScore.objects.filter(candidate=candidate)}
    return [(item, scores.get(item.pk)) for item in title_selectors.items_of(table)]


def score_values(candidates) -> dict[tuple[int, int], Decimal]:
    """(candidate id, item id) → score, of these candidates (one query)."""
    return {(c, i): v for c, i, v in TitleScore.objects.filter(
        candidate_id__in=[c.pk for c in candidates]).values_list("candidate_id", "item_id",
                                                                 "score")}


# ---- rankings -------------------------------------------------------------------------------


def seats_left(ranking: title_selectors.Ranking, candidate: TitleCandidate) -> int:
    """The quota's seats not taken by the recommended (是, settled ties included), not
    counting ``candidate`` itself."""
    taken = sum(1 for row in ranking.rows if row.recommended == scoring.RECOMMENDED
                and row.candidate.pk != candidate.pk)
    return ranking.quota.recommended - taken


def ranking_of(year: TitleYear, candidate: TitleCandidate) -> title_selectors.Ranking | None:
    for ranking in title_selectors.rankings(year, school_ids=[candidate.school_id],
                                            level=candidate.level):
        return ranking
    return None


def ranking_rows(rankings: list[title_selectors.Ranking]) -> list[list]:
    """The spec's sheet 排名: ordered by 单位, 申报级别, 排名; numbers as numbers."""
    rows = []
    for ranking in sorted(rankings, key=lambda r: (r.quota.school.name, r.quota.level)):
        valid = "是" if ranking.valid else "否"
        for row in ranking.rows:
            c = row.candidate
            rows.append([ranking.quota.school.name, ranking.quota.level, row.rank,
                         c.staff.resident_id, c.staff.name, row.q, row.lesson, row.total,
                         row.recommended, valid])
    return rows


def ranking_workbook(year: TitleYear, *, school_ids=None) -> bytes:
    rankings = title_selectors.rankings(year, school_ids=school_ids)
    return wb.workbook_bytes([wb.SheetSpec(
        rules.TITLE_RANKING_SHEET, rules.TITLE_RANKING_COLUMNS, ranking_rows(rankings),
        text_columns=frozenset({"身份证号"}))])


def imports_of(year: TitleYear) -> QuerySet[TitleScoreImport]:
    return year.score_imports.select_related("uploaded_by")[:10]


# ---- the home card ---------------------------------------------------------------------------


def home_of(user) -> dict:
    """A teacher: their candidacy or the declare link of their county's open year; a
    principal: declarations to check and candidates to score per unit; the county office:
    its open years' pages."""
    if not user.is_authenticated:
        return {}
    found: dict = {}
    staff = access.own_staff(user)
    year = open_year_for(staff)
    if year is not None:
        found["year"] = year
        found["candidacy"] = own_candidacy(year, staff)
    scope = school_access.scope_of(user)
    if scope.principal_school_ids:
        units = []
        lines = (TitleCandidate.objects.filter(school_id__in=scope.principal_school_ids,
                                               year__state=YearState.OPEN)
                 .values("year_id", "school_id", "school__name")
                 .annotate(to_check=Count("pk", filter=Q(state=CandidateState.DECLARED)),
                           to_score=Count("pk", filter=Q(state=CandidateState.ELIGIBLE,
                                                         lesson_score__isnull=True)))
                 .order_by("school__name"))
        for line in lines:
            units.append(line)
        if units:
            found["units"] = units
    counties = access.title_counties(user) if scope.county_ids or scope.superuser else set()
    if counties:
        found["county_years"] = list(TitleYear.objects.filter(
            county_id__in=counties, state=YearState.OPEN).select_related("county")[:5])
    elif scope.township_ids:
        found["township_years"] = list(TitleYear.objects.filter(
            county__townships__in=scope.township_ids, state=YearState.OPEN)
            .select_related("county").distinct()[:5])
    return found
