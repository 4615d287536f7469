"""Reads shared by the title parts (R12): the year's current table, and the rankings of
its units and levels with their validity, in a bounded number of queries whatever the
candidate count (evaluation.scoring does the arithmetic)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from evaluation import scoring
from evaluation.models import (
    CandidateState,
    TieDecision,
    TitleAcknowledgement,
    TitleCandidate,
    TitleItem,
    TitleQuota,
    TitleScore,
    TitleTable,
    TitleYear,
)


def current_table(year: TitleYear) -> TitleTable | None:
    """The year's table: its newest version (None before one is imported)."""
    return year.tables.order_by("-version").first()


def items_of(table: TitleTable | None) -> list[TitleItem]:
    return list(table.items.all()) if table is not None else []


def group_caps(table: TitleTable | None) -> dict[str, Decimal | None]:
    """类别 → 类别上限 (None: no cap) of a table."""
    if table is None:
        return {}
    return dict(table.items.values_list("group", "group_cap").distinct())


@dataclass
class RankingRow:
    candidate: TitleCandidate
    q: Decimal
    lesson: Decimal
    total: Decimal
    rank: int
    verdict: str  # scoring.RECOMMENDED, NOT_RECOMMENDED or UNDECIDED
    acknowledged: bool  # at the group's current revision

    @property
    def recommended(self) -> str:
        """是/否/待定, with the unit committee's settlement of a 待定 applied."""
        if self.verdict == scoring.UNDECIDED:
            decision = self.candidate.tie_decision
            if decision == TieDecision.RECOMMEND:
                return scoring.RECOMMENDED
            if decision == TieDecision.NOT_RECOMMEND:
                return scoring.NOT_RECOMMENDED
        return self.verdict


@dataclass
class Ranking:
    """One unit and level (its TitleQuota): the rows in rank order and the validity."""

    quota: TitleQuota
    rows: list[RankingRow]

    @property
    def valid(self) -> bool:
        """R12: valid only once every candidate has acknowledged the scores as they stand."""
        return bool(self.rows) and all(row.acknowledged for row in self.rows)

    @property
    def waiting(self) -> list[TitleCandidate]:
        return [row.candidate for row in self.rows if not row.acknowledged]


def ranked_candidates(year: TitleYear):
    """The candidates a ranking holds: those the unit found eligible (exceptional ones
    included: the unit's evaluation is the first step of their review)."""
    return TitleCandidate.objects.filter(year=year, state=CandidateState.ELIGIBLE)


def rankings(year: TitleYear, *, school_ids: Iterable[int] | None = None,
             level: str | None = None) -> list[Ranking]:
    """Every ranking of the year (or of the given units / level), ordered by unit and
    level; five queries however many candidates."""
    quotas = TitleQuota.objects.filter(year=year).select_related("school")
    candidates = ranked_candidates(year).select_related("staff", "school")
    if school_ids is not None:
        ids = list(school_ids)
        quotas = quotas.filter(school_id__in=ids)
        candidates = candidates.filter(school_id__in=ids)
    if level is not None:
        quotas = quotas.filter(level=level)
        candidates = candidates.filter(level=level)
    quotas = list(quotas.order_by("school__name", "level"))
    candidates = list(candidates.order_by("staff__name", "pk"))
    ids = [c.pk for c in candidates]
    caps = group_caps(current_table(year))
    sums = defaultdict(list)
    for candidate_id, group, value in (
            TitleScore.objects.filter(candidate_id__in=ids)
            .values("candidate_id", "item__group").annotate(s=Sum("score"))
            .values_list("candidate_id", "item__group", "s")):
        sums[candidate_id].append((group, value))
    acked = set(TitleAcknowledgement.objects.filter(candidate_id__in=ids)
                .values_list("candidate_id", "revision"))
    by_group = defaultdict(list)
    for candidate in candidates:
        by_group[(candidate.school_id, candidate.level)].append(candidate)
    out = []
    for quota in quotas:
        entries, facts = [], {}
        for candidate in by_group.get((quota.school_id, quota.level), []):
            q = scoring.quantitative(sums.get(candidate.pk, []), caps)
            lesson = candidate.lesson_score or scoring.ZERO
            t = scoring.total(q, lesson, q_share=year.quantitative_share,
                              lesson_share=year.lesson_share)
            entries.append(scoring.Entry(candidate.pk, q, lesson, t))
            facts[candidate.pk] = (candidate, q, lesson, t)
        rows = []
        for ranked in scoring.rank(entries, quota.recommended):
            candidate, q, lesson, t = facts[ranked.key]
            rows.append(RankingRow(candidate, q, lesson, t, ranked.rank, ranked.recommended,
                                   (candidate.pk, quota.revision) in acked))
        out.append(Ranking(quota, rows))
    return out
