"""Reads of the public scoring and the exceptional review (R12): a candidate's view of
their unit and level's scores, the objections and their answers, who has acknowledged,
the exceptional candidates' reviews, their workbooks, and the home page's card. Bounded
queries whatever the candidate count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from evaluation import access
from evaluation.models import (
    CandidateState,
    ExceptionalReview,
    ObjectionState,
    ReviewStep,
    TitleAcknowledgement,
    TitleCandidate,
    TitleItem,
    TitleObjection,
    TitleQuota,
    TitleScore,
    TitleScoreChange,
    TitleYear,
    YearState,
)
from evaluation.selectors import titles as title_selectors
from schools import access as school_access
from staffing.history import display_name
from staffing.workbook import SheetSpec

PER_PAGE = 50


def _number(value: Decimal | None):
    """A decimal as a workbook number (exact to its two decimals), '' for none."""
    return "" if value is None else float(value)


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def quota_of(candidate: TitleCandidate) -> TitleQuota | None:
    return TitleQuota.objects.filter(year_id=candidate.year_id, school_id=candidate.school_id,
                                     level=candidate.level).first()


# ---- a candidate's public scoring (公开评分) ---------------------------------------------


@dataclass
class ScoreLine:
    """One competitor as the public page shows them: names only, never an ID."""

    row: title_selectors.RankingRow
    cells: list[tuple[TitleItem, Decimal | None]]  # the table's order; None: not entered
    own: bool


@dataclass
class PublicScoring:
    candidate: TitleCandidate
    quota: TitleQuota | None
    items: list[TitleItem]
    lines: list[ScoreLine]
    valid: bool
    acknowledged: bool  # at the group's current revision
    acknowledged_before: bool  # at an earlier revision: the scores changed since
    objections: list[TitleObjection]  # each with its ``score_changes``

    @property
    def revision(self) -> int:
        return self.quota.revision if self.quota is not None else 0

    @property
    def open_objection(self) -> bool:
        return any(o.is_open for o in self.objections)

    @property
    def scored(self) -> bool:
        return any(any(s is not None for _, s in line.cells) for line in self.lines)


def public_scoring(candidate: TitleCandidate) -> PublicScoring:
    """Every candidate of the unit and level with each item score, Q, L, T and rank (R12),
    the candidate's acknowledgement and objections; ten queries however many there are."""
    quota = quota_of(candidate)
    table = title_selectors.current_table(candidate.year)
    items = title_selectors.items_of(table)
    ranking = None
    if quota is not None:
        [ranking] = title_selectors.rankings(candidate.year, school_ids=[candidate.school_id],
                                             level=candidate.level) or [None]
    rows = ranking.rows if ranking is not None else []
    ids = [row.candidate.pk for row in rows]
    given = {(c, i): s for c, i, s in TitleScore.objects.filter(candidate_id__in=ids)
             .values_list("candidate_id", "item_id", "score")}
    lines = [ScoreLine(row, [(item, given.get((row.candidate.pk, item.pk))) for item in items],
                       row.candidate.pk == candidate.pk) for row in rows]
    revisions = set(TitleAcknowledgement.objects.filter(candidate=candidate)
                    .values_list("revision", flat=True))
    current = quota.revision if quota is not None else None
    objections = list(candidate.objections.select_related("item", "answered_by__staff_profile")
                      .order_by("-raised_at", "-pk")[:20])
    changes = defaultdict(list)
    for change in (TitleScoreChange.objects.filter(objection__in=objections)
                   .select_related("candidate__staff", "item")):
        changes[change.objection_id].append(change)
    for objection in objections:
        objection.score_changes = changes.get(objection.pk, [])
    return PublicScoring(
        candidate=candidate, quota=quota, items=items, lines=lines,
        valid=ranking is not None and ranking.valid,
        acknowledged=current in revisions,
        acknowledged_before=bool(revisions) and current not in revisions,
        objections=objections)


def own_candidacies(user) -> QuerySet[TitleCandidate]:
    """The login's own candidacies, newest year first."""
    staff_id = school_access.scope_of(user).staff_id
    if staff_id is None:
        return TitleCandidate.objects.none()
    return (TitleCandidate.objects.filter(staff_id=staff_id)
            .select_related("year__county", "school").order_by("-year__year"))


# ---- objections --------------------------------------------------------------------------


def objections_of(year: TitleYear, school_ids, *, state: str = "", search: str = ""
                  ) -> QuerySet[TitleObjection]:
    found = (TitleObjection.objects.filter(candidate__year=year,
                                           candidate__school_id__in=school_ids)
             .select_related("candidate__staff", "candidate__school", "item",
                             "answered_by__staff_profile")
             .order_by("state", "-raised_at", "-pk"))
    if state in ObjectionState.values:
        found = found.filter(state=state)
    if search:
        found = found.filter(Q(candidate__staff__name__icontains=search)
                             | Q(candidate__school__name__icontains=search))
    return found


def objections_page(year, school_ids, *, state="", search="", page=None) -> Page:
    return Paginator(objections_of(year, school_ids, state=state, search=search),
                     PER_PAGE).get_page(page)


def changes_of(objection: TitleObjection) -> list[TitleScoreChange]:
    return list(objection.changes.select_related("candidate__staff", "item"))


@dataclass
class AnswerChoice:
    """A score the answer form offers to change: a competitor's item, or their lesson."""

    key: str  # the form field's name
    candidate: TitleCandidate
    item: TitleItem | None
    current: Decimal | None


def answer_choices(objection: TitleObjection) -> list[AnswerChoice]:
    """The scores of the objection's unit and level an answer may change: every item and
    the lesson score of each candidate of the group (the objector's first)."""
    candidate = objection.candidate
    items = title_selectors.items_of(title_selectors.current_table(candidate.year))
    group = list(title_selectors.ranked_candidates(candidate.year)
                 .filter(school_id=candidate.school_id, level=candidate.level)
                 .select_related("staff").order_by("staff__name", "pk"))
    group.sort(key=lambda c: c.pk != candidate.pk)
    given = {(c, i): s for c, i, s in TitleScore.objects.filter(candidate__in=group)
             .values_list("candidate_id", "item_id", "score")}
    out = []
    for other in group:
        for item in items:
            out.append(AnswerChoice(f"s_{other.pk}_{item.pk}", other, item,
                                    given.get((other.pk, item.pk))))
        out.append(AnswerChoice(f"s_{other.pk}_lesson", other, None, other.lesson_score))
    return out


OBJECTIONS_SHEET = "异议"
OBJECTIONS_COLUMNS = ["单位", "申报级别", "姓名", "项目编号", "异议理由", "提出时间", "状态",
                      "答复", "答复人", "答复时间", "分数变更"]


def objections_sheet(year: TitleYear, school_ids) -> SheetSpec:
    objections = list(objections_of(year, school_ids))
    changes = defaultdict(list)
    for change in (TitleScoreChange.objects.filter(objection__in=objections)
                   .select_related("candidate__staff", "item")):
        changes[change.objection_id].append(change)
    rows = [[o.candidate.school.name, o.candidate.level, o.candidate.staff.name,
             o.item.code if o.item else "", o.reason, _moment(o.raised_at),
             o.get_state_display(), o.answer, display_name(o.answered_by),
             _moment(o.answered_at),
             "；".join(change_text(c) for c in changes.get(o.pk, []))]
            for o in objections]
    return SheetSpec(OBJECTIONS_SHEET, OBJECTIONS_COLUMNS, rows)


def change_text(change: TitleScoreChange) -> str:
    """张三 B1: 12.00 → 15.00 (说课 for the lesson score)."""
    what = change.item.code if change.item else "说课"
    old = "—" if change.old is None else f"{change.old}"
    return f"{change.candidate.staff.name} {what}: {old} → {change.new}"


# ---- acknowledgements ------------------------------------------------------------------


@dataclass
class GroupLine:
    """One unit and level: how many candidates acknowledged the current scores."""

    ranking: title_selectors.Ranking
    acknowledged: int
    total: int
    open_objections: int


def acknowledgement_groups(year: TitleYear, school_ids, *, level: str | None = None
                           ) -> list[GroupLine]:
    """Every visible unit and level with its count of acknowledgements and its validity:
    six queries however many units and candidates."""
    rankings = title_selectors.rankings(year, school_ids=school_ids, level=level)
    open_by = {(school_id, lv): n for school_id, lv, n in
               TitleObjection.objects.filter(candidate__year=year,
                                             candidate__school_id__in=school_ids,
                                             state=ObjectionState.OPEN)
               .values("candidate__school_id", "candidate__level").annotate(n=Count("pk"))
               .values_list("candidate__school_id", "candidate__level", "n")}
    return [GroupLine(r, sum(row.acknowledged for row in r.rows), len(r.rows),
                      open_by.get((r.quota.school_id, r.quota.level), 0)) for r in rankings]


@dataclass
class AckLine:
    row: title_selectors.RankingRow
    acknowledged_at: object  # the acknowledgement of the current revision, or None
    earlier: bool  # acknowledged an earlier revision only
    open_objections: int


def acknowledgement_lines(quota: TitleQuota) -> tuple[title_selectors.Ranking | None,
                                                     list[AckLine]]:
    """One unit and level: each candidate in rank order, when they acknowledged the
    current scores, or that they have not yet (perhaps an earlier revision only)."""
    found = title_selectors.rankings(quota.year, school_ids=[quota.school_id],
                                     level=quota.level)
    if not found:
        return None, []
    ranking = found[0]
    ids = [row.candidate.pk for row in ranking.rows]
    at, earlier = {}, set()
    for candidate_id, revision, when in TitleAcknowledgement.objects.filter(
            candidate_id__in=ids).values_list("candidate_id", "revision", "acknowledged_at"):
        if revision == quota.revision:
            at[candidate_id] = when
        else:
            earlier.add(candidate_id)
    objections = dict(TitleObjection.objects.filter(candidate_id__in=ids,
                                                    state=ObjectionState.OPEN)
                      .values("candidate_id").annotate(n=Count("pk"))
                      .values_list("candidate_id", "n"))
    return ranking, [AckLine(row, at.get(row.candidate.pk),
                             row.candidate.pk in earlier and row.candidate.pk not in at,
                             objections.get(row.candidate.pk, 0)) for row in ranking.rows]


ACKS_SHEET = "确认"
ACKS_COLUMNS = ["单位", "申报级别", "排名", "姓名", "量化得分", "说课得分", "总分", "已确认",
                "确认时间", "有效"]


def acknowledgements_sheet(year: TitleYear, school_ids) -> SheetSpec:
    """One row per candidate of every visible unit and level (names only)."""
    rankings = title_selectors.rankings(year, school_ids=school_ids)
    ids = [row.candidate.pk for r in rankings for row in r.rows]
    at = {}
    current = {(r.quota.school_id, r.quota.level): r.quota.revision for r in rankings}
    for candidate_id, school_id, level, revision, when in TitleAcknowledgement.objects.filter(
            candidate_id__in=ids).values_list("candidate_id", "candidate__school_id",
                                             "candidate__level", "revision",
                                             "acknowledged_at"):
        if current.get((school_id, level)) == revision:
            at[candidate_id] = when
    rows = []
    for ranking in rankings:
        for row in ranking.rows:
            rows.append([ranking.quota.school.name, ranking.quota.level, row.rank,
                         row.candidate.staff.name, _number(row.q), _number(row.lesson),
                         _number(row.total), "是" if row.acknowledged else "否",
                         _moment(at.get(row.candidate.pk)), "是" if ranking.valid else "否"])
    return SheetSpec(ACKS_SHEET, ACKS_COLUMNS, rows)


# ---- the exceptional review (破格) -------------------------------------------------------


def exceptional_candidates(year: TitleYear, school_ids, *, level: str | None = None,
                           step: str = "", search: str = "") -> QuerySet[TitleCandidate]:
    """The year's eligible exceptional candidates with their review (none before step 1)."""
    found = (TitleCandidate.objects.filter(year=year, exceptional=True,
                                           state=CandidateState.ELIGIBLE,
                                           school_id__in=school_ids)
             .select_related("staff", "school", "exceptional_review")
             .order_by("school__name", "staff__name", "pk"))
    if level:
        found = found.filter(level=level)
    if step.isdigit() and int(step) in ReviewStep.values:
        wanted = int(step)
        found = (found.filter(Q(exceptional_review__isnull=True)
                              | Q(exceptional_review__step=0)) if wanted == 0
                 else found.filter(exceptional_review__step=wanted))
    if search:
        found = found.filter(Q(staff__name__icontains=search)
                             | Q(school__name__icontains=search))
    return found


def review_or_blank(candidate: TitleCandidate) -> ExceptionalReview:
    """The candidate's review, or an unsaved blank one at step 0 (select_related made)."""
    try:
        return candidate.exceptional_review
    except ExceptionalReview.DoesNotExist:
        return ExceptionalReview(candidate=candidate)


def step_counts(year: TitleYear, school_ids, *, level: str | None = None) -> dict[int, int]:
    """How many exceptional candidates stand at each step (0 to 3)."""
    found = exceptional_candidates(year, school_ids, level=level)
    counts = {step: 0 for step in ReviewStep.values}
    for step, n in (found.values("exceptional_review__step")
                    .annotate(n=Count("pk")).values_list("exceptional_review__step", "n")):
        counts[step or 0] += n
    return counts


REVIEWS_SHEET = "破格评审"
REVIEWS_COLUMNS = ["单位", "申报级别", "姓名", "进度", "单位评价", "单位评分", "单位评价记录人",
                   "单位评价时间", "展示说明", "印证材料", "自评得分", "展示记录人", "展示时间",
                   "专家核定分", "结果", "专家意见", "核定记录人", "核定时间"]


def reviews_sheet(year: TitleYear, school_ids, *, level: str | None = None) -> SheetSpec:
    candidates = list(exceptional_candidates(year, school_ids, level=level).select_related(
        "exceptional_review__unit_by__staff_profile",
        "exceptional_review__presented_by__staff_profile",
        "exceptional_review__final_by__staff_profile"))
    rows = []
    for c in candidates:
        r = review_or_blank(c)
        rows.append([c.school.name, c.level, c.staff.name, r.get_step_display(),
                     r.unit_opinion, _number(r.unit_score), display_name(r.unit_by),
                     _moment(r.unit_at), r.presentation_notes, r.presentation_evidence,
                     _number(r.claimed_score), display_name(r.presented_by),
                     _moment(r.presented_at), _number(r.final_score),
                     r.get_outcome_display() if r.outcome else "", r.final_note,
                     display_name(r.final_by), _moment(r.final_at)])
    return SheetSpec(REVIEWS_SHEET, REVIEWS_COLUMNS, rows)


# ---- the home page's card ----------------------------------------------------------------


def home_of(user) -> dict:
    """What the home page shows this login of the part
    (templates/evaluation/title_review/_home.html): a candidate's scores to acknowledge
    and answered objections; a principal's open objections and who has not acknowledged;
    the county office's exceptional reviews waiting."""
    out: dict = {}
    mine = [c for c in own_candidacies(user).filter(state=CandidateState.ELIGIBLE,
                                                    year__state=YearState.OPEN)[:3]]
    to_acknowledge = []
    for candidate in mine:
        quota = quota_of(candidate)
        if quota is None or not TitleScore.objects.filter(
                candidate__year_id=candidate.year_id, candidate__school_id=candidate.school_id,
                candidate__level=candidate.level).exists():
            continue
        if not TitleAcknowledgement.objects.filter(candidate=candidate,
                                                   revision=quota.revision).exists():
            to_acknowledge.append(candidate)
    if to_acknowledge:
        out["to_acknowledge"] = to_acknowledge
    answered = list(TitleObjection.objects.filter(candidate__in=mine,
                                                  state=ObjectionState.ANSWERED)
                    .select_related("candidate").order_by("-answered_at")[:3])
    if answered:
        out["answered"] = answered
    scope = school_access.scope_of(user)
    if scope.principal_school_ids:
        years = list(TitleYear.objects.filter(
            state=YearState.OPEN,
            county__townships__schools__pk__in=scope.principal_school_ids).distinct()[:3])
        units = []
        for year in years:
            ids = list(scope.principal_school_ids)
            open_count = TitleObjection.objects.filter(
                candidate__year=year, candidate__school_id__in=ids,
                state=ObjectionState.OPEN).count()
            waiting = sum(len(r.waiting) for r in title_selectors.rankings(year, school_ids=ids))
            if open_count or waiting:
                units.append({"year": year, "open": open_count, "waiting": waiting})
        if units:
            out["units"] = units
    counties = access.title_counties(user) if scope.county_ids or scope.superuser else set()
    if counties:
        reviews = []
        for year in TitleYear.objects.filter(county_id__in=counties,
                                             state=YearState.OPEN).order_by("-year")[:3]:
            waiting = (TitleCandidate.objects.filter(year=year, exceptional=True,
                                                     state=CandidateState.ELIGIBLE)
                       .exclude(exceptional_review__step=ReviewStep.FINAL).count())
            if waiting:
                reviews.append({"year": year, "waiting": waiting})
        if reviews:
            out["reviews"] = reviews
    return out


def school_ids_of(user, year: TitleYear) -> list[int]:
    return list(access.title_schools(user, year).values_list("pk", flat=True))
