"""Changes shared by the title parts (R12): every way a score changes (the unit's form,
the scores import, an answered objection) goes through ``score_set`` / ``lesson_set``, so
each keeps its history and puts the ranking group's revision up."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from evaluation import rules
from evaluation.models import TitleCandidate, TitleItem, TitleQuota, TitleScore, YearState
from staffing import changes


def scores_changed(quota_ids: Iterable[int]) -> None:
    """A score of these ranking groups changed (an import, the unit's form, an answered
    objection): their revision goes up, so every acknowledgement must be given again."""
    TitleQuota.objects.filter(pk__in=list(quota_ids)).update(revision=F("revision") + 1)


def quota_ids_of(candidates: Iterable[TitleCandidate]) -> set[int]:
    """The ranking groups (TitleQuota ids) these candidates belong to."""
    keys = {(c.year_id, c.school_id, c.level) for c in candidates}
    if not keys:
        return set()
    ids: set[int] = set()
    for year_id, school_id, level in keys:
        ids.update(TitleQuota.objects.filter(year_id=year_id, school_id=school_id, level=level)
                   .values_list("pk", flat=True))
    return ids


def _open(candidate: TitleCandidate) -> None:
    changes.refuse(rules.title_year_closed_refusal(candidate.year.state == YearState.OPEN))


@transaction.atomic
def score_set(*, by, candidate: TitleCandidate, item: TitleItem, score: Decimal,
              evidence: str = "") -> TitleScore | None:
    """One item's score of one candidate (with history). Returns None when nothing changed;
    otherwise the ranking group's revision goes up."""
    _open(candidate)
    existing = TitleScore.objects.select_for_update().filter(candidate=candidate, item=item).first()
    if existing is not None and existing.score == score and existing.evidence == evidence:
        return None
    row = existing or TitleScore(candidate=candidate, item=item)
    row.score, row.evidence, row.scored_by = score, evidence, by
    changes.save(row, by)
    scores_changed(quota_ids_of([candidate]))
    return row


@transaction.atomic
def lesson_set(*, by, candidate: TitleCandidate, score: Decimal | None) -> bool:
    """The lesson-presentation score (说课得分) of a candidate, with history. True when it
    changed (and so the ranking group's revision went up)."""
    _open(candidate)
    locked = TitleCandidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.lesson_score == score:
        return False
    locked.lesson_score = score
    changes.save(locked, by, ["lesson_score"])
    candidate.lesson_score = score
    scores_changed(quota_ids_of([candidate]))
    return True
