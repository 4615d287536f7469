"""The title evaluation's public scoring and exceptional review (R12; issue 13, items 4–5).

- ``TitleObjection``: a candidate objects to the scores of their unit and level (公开评分),
  optionally naming an item; the unit answers, and may change scores in doing so.
- ``TitleScoreChange``: one score an answer changed, from what to what (the score itself
  keeps its own history through ``services.titles``).
- ``ExceptionalReview``: the county committee's review of an exceptional (破格) candidate,
  three steps strictly in order: the unit's evaluation, the candidate's presentation
  against the table, the experts' final score and outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .titles import TitleCandidate, TitleItem


class ObjectionState(models.TextChoices):
    OPEN = "open", _("waiting for the unit's answer")
    ANSWERED = "answered", _("answered")


class TitleObjection(models.Model):
    """A candidate's objection to the public scores (R12): "I do not accept these scores,
    because …". The unit (its principal) answers it once."""

    candidate = models.ForeignKey(TitleCandidate, on_delete=models.CASCADE,
                                  related_name="objections", verbose_name=_("title candidate"))
    item = models.ForeignKey(TitleItem, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("scoring item"))
    revision = models.PositiveIntegerField(_("score revision objected to"))
    reason = models.CharField(_("reason"), max_length=1000)
    state = models.CharField(_("state"), max_length=10, choices=ObjectionState.choices,
                             default=ObjectionState.OPEN)
    answer = models.CharField(_("answer"), max_length=2000, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection to title scores")
        verbose_name_plural = _("objections to title scores")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", answered_at__isnull=True)
                | Q(state="answered", answered_at__isnull=False),
                name="title_objection_answered_has_time"),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.reason[:30]}"

    @property
    def is_open(self) -> bool:
        return self.state == ObjectionState.OPEN


class TitleScoreChange(models.Model):
    """A score an answered objection changed: an item's score (``item``) or, with no item,
    the lesson score (说课得分). Written once with the answer, never edited."""

    objection = models.ForeignKey(TitleObjection, on_delete=models.CASCADE,
                                  related_name="changes", verbose_name=_("objection"))
    candidate = models.ForeignKey(TitleCandidate, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("title candidate"))
    item = models.ForeignKey(TitleItem, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("scoring item"))
    old = models.DecimalField(_("old score"), max_digits=7, decimal_places=2, null=True,
                              blank=True)
    new = models.DecimalField(_("new score"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("score changed by an answer")
        verbose_name_plural = _("scores changed by answers")
        ordering = ["objection", "pk"]

    def __str__(self):
        what = self.item.code if self.item else "说课"
        return f"{self.candidate} · {what}: {self.old} → {self.new}"


class ReviewStep(models.IntegerChoices):
    """Where an exceptional review stands: the last step recorded."""

    NONE = 0, _("waiting for the unit's evaluation")
    UNIT = 1, _("unit evaluated, waiting for the presentation")
    PRESENTED = 2, _("presented, waiting for the experts' final score")
    FINAL = 3, _("final score fixed")


class ReviewOutcome(models.TextChoices):
    NONE = "", _("not decided")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("not passed")


class ExceptionalReview(models.Model):
    """The county committee's review of one exceptional (破格) candidate (R12): first the
    unit evaluates them (its opinion and score, entered by the unit or by the county from
    the unit's paper), then the candidate presents their evidence against the table and
    says what they should score, then the experts fix the final score and the outcome.
    Each step records who and when; the model keeps history."""

    candidate = models.OneToOneField(TitleCandidate, on_delete=models.CASCADE,
                                     related_name="exceptional_review",
                                     verbose_name=_("title candidate"))
    step = models.PositiveSmallIntegerField(_("step"), choices=ReviewStep.choices,
                                            default=ReviewStep.NONE)
    unit_opinion = models.CharField(_("the unit's evaluation"), max_length=2000, blank=True)
    unit_score = models.DecimalField(_("the unit's score"), max_digits=5, decimal_places=2,
                                     null=True, blank=True,
                                     validators=[MinValueValidator(0)])
    unit_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+",
                                verbose_name=_("unit's evaluation recorded by"))
    unit_at = models.DateTimeField(_("unit's evaluation recorded at"), null=True, blank=True)
    presentation_notes = models.CharField(_("presentation notes"), max_length=2000,
                                          blank=True)
    presentation_evidence = models.CharField(_("evidence shown"), max_length=2000, blank=True)
    claimed_score = models.DecimalField(_("score claimed against the table"), max_digits=7,
                                        decimal_places=2, null=True, blank=True)
    presented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("presentation recorded by"))
    presented_at = models.DateTimeField(_("presentation recorded at"), null=True, blank=True)
    final_score = models.DecimalField(_("experts' final score"), max_digits=7,
                                      decimal_places=2, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices,
                               blank=True, default=ReviewOutcome.NONE)
    final_note = models.CharField(_("experts' note"), max_length=2000, blank=True)
    final_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("final score recorded by"))
    final_at = models.DateTimeField(_("final score recorded at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exceptional review")
        verbose_name_plural = _("exceptional reviews")
        ordering = ["candidate"]
        constraints = [
            # The steps are strictly in order: a later step's record needs the earlier's.
            models.CheckConstraint(
                condition=(Q(step=0) | Q(unit_at__isnull=False))
                & (Q(step__lt=2) | Q(presented_at__isnull=False))
                & (Q(step__lt=3) | Q(final_at__isnull=False, final_score__isnull=False)),
                name="title_review_steps_in_order"),
            models.CheckConstraint(condition=Q(step__lte=3), name="title_review_step_range"),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.get_step_display()}"
