"""Changes of the public scoring and the exceptional review (R12, DOMAIN.md): a candidate
acknowledges the scores of their unit and level or objects to them; the unit answers,
changing scores through ``services.titles`` (so each keeps its history and every
acknowledgement is asked again); the county committee records the three steps of an
exceptional (破格) review in order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import rules
from evaluation.models import (
    CandidateState,
    ExceptionalReview,
    ObjectionState,
    ReviewOutcome,
    ReviewStep,
    TitleAcknowledgement,
    TitleCandidate,
    TitleItem,
    TitleObjection,
    TitleQuota,
    TitleScore,
    TitleScoreChange,
    YearState,
)
from evaluation.services import titles as title_services
from staffing import changes

LESSON_CAP = Decimal("100")


def _group_locked(candidate: TitleCandidate) -> TitleQuota | None:
    """The candidate's ranking group, locked: an acknowledgement and a score change of the
    same group never interleave."""
    return (TitleQuota.objects.select_for_update()
            .filter(year_id=candidate.year_id, school_id=candidate.school_id,
                    level=candidate.level).first())


def acknowledge_refusal(candidate: TitleCandidate, seen_revision: int) -> str | None:
    """What the page and the service ask before an acknowledgement."""
    quota = TitleQuota.objects.filter(year_id=candidate.year_id, school_id=candidate.school_id,
                                      level=candidate.level).first()
    return rules.title_acknowledge_refusal(
        eligible=candidate.state == CandidateState.ELIGIBLE and quota is not None,
        year_open=candidate.year.state == YearState.OPEN,
        scored=TitleScore.objects.filter(candidate__year_id=candidate.year_id,
                                         candidate__school_id=candidate.school_id,
                                         candidate__level=candidate.level).exists(),
        seen_revision=seen_revision,
        current_revision=quota.revision if quota is not None else -1,
        open_objection=candidate.objections.filter(state=ObjectionState.OPEN).exists())


@transaction.atomic
def acknowledgement_give(*, by, candidate: TitleCandidate, seen_revision: int
                         ) -> tuple[TitleAcknowledgement, bool]:
    """R12: the candidate has seen every competitor's scores as they stand at
    ``seen_revision`` (the page they read). A second submit of the same page finds the
    acknowledgement given and changes nothing: returns (it, created)."""
    quota = _group_locked(candidate)
    existing = TitleAcknowledgement.objects.filter(candidate=candidate,
                                                   revision=seen_revision).first()
    if existing is not None and quota is not None and quota.revision == seen_revision:
        return existing, False
    changes.refuse(acknowledge_refusal(candidate, seen_revision))
    try:
        with transaction.atomic():
            made = TitleAcknowledgement.objects.create(candidate=candidate,
                                                       revision=seen_revision,
                                                       acknowledged_by=by)
    except IntegrityError:  # the same click twice, both past the check
        return TitleAcknowledgement.objects.get(candidate=candidate,
                                                revision=seen_revision), False
    return made, True


@transaction.atomic
def objection_raise(*, by, candidate: TitleCandidate, item: TitleItem | None, reason: str
                    ) -> tuple[TitleObjection, bool]:
    """The candidate objects to the scores (R12), optionally naming an item of the year's
    table. The same objection submitted twice while open is kept once: (it, created)."""
    quota = _group_locked(candidate)
    reason = reason.strip()
    changes.refuse(rules.title_objection_refusal(
        eligible=candidate.state == CandidateState.ELIGIBLE and quota is not None,
        year_open=candidate.year.state == YearState.OPEN, reason=reason))
    same = TitleObjection.objects.filter(candidate=candidate, item=item, reason=reason,
                                         state=ObjectionState.OPEN).first()
    if same is not None:
        return same, False
    objection = TitleObjection(candidate=candidate, item=item, reason=reason,
                               revision=quota.revision, raised_by=by)
    changes.save(objection, by)
    return objection, True


@dataclass(frozen=True)
class NewScore:
    """A score an answer sets: ``item`` None is the lesson score (说课得分)."""

    candidate: TitleCandidate
    item: TitleItem | None
    value: Decimal


def _current(score: NewScore) -> Decimal | None:
    if score.item is None:
        return TitleCandidate.objects.filter(pk=score.candidate.pk).values_list(
            "lesson_score", flat=True).first()
    return TitleScore.objects.filter(candidate=score.candidate, item=score.item).values_list(
        "score", flat=True).first()


@transaction.atomic
def objection_answer(*, by, objection: TitleObjection, answer: str,
                     new_scores: list[NewScore] = ()) -> list[TitleScoreChange]:
    """The unit answers an objection (R12), and may change scores of the candidate's
    unit and level in doing so: each through ``score_set`` / ``lesson_set`` (the score's
    history, the group's revision up, so every candidate acknowledges again), each
    recorded from what to what. Returns the changes made."""
    locked = TitleObjection.objects.select_for_update().select_related(
        "candidate__year").get(pk=objection.pk)
    candidate = locked.candidate
    changes.refuse(rules.title_answer_refusal(
        is_open=locked.state == ObjectionState.OPEN,
        year_open=candidate.year.state == YearState.OPEN, answer=answer))
    made = []
    for score in new_scores:
        other = score.candidate
        if (other.year_id, other.school_id, other.level) != (
                candidate.year_id, candidate.school_id, candidate.level):
            changes.refuse(_("A score of another unit or level cannot change here."))
        if score.item is not None and score.item.table.year_id != candidate.year_id:
            changes.refuse(_("Not an item of this year's table."))
        changes.refuse(rules.title_score_value_refusal(
            score.value, score.item.item_cap if score.item is not None else LESSON_CAP))
        old = _current(score)
        if old == score.value:
            continue
        if score.item is None:
            title_services.lesson_set(by=by, candidate=other, score=score.value)
        else:
            evidence = TitleScore.objects.filter(candidate=other, item=score.item).values_list(
                "evidence", flat=True).first() or ""
            title_services.score_set(by=by, candidate=other, item=score.item,
                                     score=score.value, evidence=evidence)
        made.append(TitleScoreChange(objection=locked, candidate=other, item=score.item,
                                     old=old, new=score.value))
    TitleScoreChange.objects.bulk_create(made)
    locked.state, locked.answer = ObjectionState.ANSWERED, answer.strip()
    locked.answered_by, locked.answered_at = by, timezone.now()
    changes.save(locked, by)
    objection.state, objection.answer = locked.state, locked.answer
    objection.answered_by, objection.answered_at = locked.answered_by, locked.answered_at
    return made


# ---- the exceptional review (破格) ----------------------------------------------------------


def review_of(candidate: TitleCandidate) -> ExceptionalReview | None:
    return ExceptionalReview.objects.filter(candidate=candidate).first()


def step_refusal(candidate: TitleCandidate, step: int) -> str | None:
    """What the page and the service ask before recording ``step`` of a review."""
    review = review_of(candidate)
    if not candidate.exceptional:
        return _("Not an exceptional candidate.")
    if candidate.state != CandidateState.ELIGIBLE:
        return _("Only an eligible candidate is reviewed.")
    return rules.exceptional_step_refusal(
        step, review.step if review else ReviewStep.NONE,
        year_open=candidate.year.state == YearState.OPEN)


def _review_locked(candidate: TitleCandidate, step: int) -> ExceptionalReview:
    """The candidate's review (new before step 1), under a lock on the candidate: two
    committee members recording at once take turns, and the second is refused."""
    TitleCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
    changes.refuse(step_refusal(candidate, step))
    return review_of(candidate) or ExceptionalReview(candidate=candidate)


@transaction.atomic
def review_unit_record(*, by, candidate: TitleCandidate, opinion: str,
                       score: Decimal | None) -> ExceptionalReview:
    """Step 1 (R12): the unit's evaluation of its exceptional candidate, its opinion and
    score, entered by the unit or by the county office from the unit's paper."""
    review = _review_locked(candidate, rules.REVIEW_UNIT)
    if not opinion.strip():
        changes.refuse(_("Write the unit's evaluation."))
    review.unit_opinion, review.unit_score = opinion.strip(), score
    review.unit_by, review.unit_at = by, timezone.now()
    review.step = ReviewStep.UNIT
    changes.save(review, by)
    return review


@transaction.atomic
def review_presentation_record(*, by, candidate: TitleCandidate, notes: str, evidence: str,
                               claimed_score: Decimal) -> ExceptionalReview:
    """Step 2 (R12): the candidate presented their evidence against the table (展示印证件)
    and said where their score comes from: the notes, the evidence shown, the overall
    score they claim."""
    review = _review_locked(candidate, rules.REVIEW_PRESENTATION)
    if not evidence.strip():
        changes.refuse(_("Name the evidence the candidate showed."))
    review.presentation_notes, review.presentation_evidence = notes.strip(), evidence.strip()
    review.claimed_score = claimed_score
    review.presented_by, review.presented_at = by, timezone.now()
    review.step = ReviewStep.PRESENTED
    changes.save(review, by)
    return review


@transaction.atomic
def review_final_record(*, by, candidate: TitleCandidate, final_score: Decimal,
                        passed: bool, note: str = "") -> ExceptionalReview:
    """Step 3 (R12): the experts fix the final score and the outcome; the review closes."""
    review = _review_locked(candidate, rules.REVIEW_FINAL)
    review.final_score, review.final_note = final_score, note.strip()
    review.outcome = ReviewOutcome.PASSED if passed else ReviewOutcome.FAILED
    review.final_by, review.final_at = by, timezone.now()
    review.step = ReviewStep.FINAL
    changes.save(review, by)
    return review
