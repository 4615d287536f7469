"""Target-responsibility letters (目标责任书, R10): the township's template, one letter per
school and school year with its principal, the principal's signature or refusal (a
refusal is recorded as resigning), and the year-end outcome with the veto clauses
triggered. The rules (tiers, transitions, consequences) are in ``evaluation.rules``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Staff, Township

from .exams import Exam


class LetterText(models.Model):
    """The text a letter is made of: its title, the four sections (规范办学, 课程开设, 安全,
    教学质量目标) and the six one-vote-veto clauses (一票否决), with placeholders."""

    title = models.CharField(_("title"), max_length=100)
    standard_operation = models.TextField(_("standard operation"))  # 规范办学
    curriculum = models.TextField(_("curriculum"))  # 课程开设
    safety = models.TextField(_("safety"))  # 安全管理
    quality = models.TextField(_("teaching-quality target"))  # 教学质量目标
    veto_1 = models.TextField(_("veto clause 1"))
    veto_2 = models.TextField(_("veto clause 2"))
    veto_3 = models.TextField(_("veto clause 3"))
    veto_4 = models.TextField(_("veto clause 4"))
    veto_5 = models.TextField(_("veto clause 5"))
    veto_6 = models.TextField(_("veto clause 6"))

    class Meta:
        abstract = True


class LetterTemplate(LetterText):
    """The township's letter as the office keeps it, and the tier thresholds (a township
    setting): a school ``tier_margin`` points or more above the township average is in
    the first tier; below the average, a school closes ``gap_share_percent`` of its gap.
    One per township; every edit is in its history."""

    township = models.OneToOneField(Township, on_delete=models.CASCADE,
                                    related_name="letter_template", verbose_name=_("township"))
    tier_margin = models.DecimalField(_("first tier's margin (points)"), max_digits=5,
                                      decimal_places=2, default=Decimal("5"))
    gap_share_percent = models.PositiveSmallIntegerField(_("share of the gap to close (%)"),
                                                         default=50)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility letter template")
        verbose_name_plural = _("responsibility letter templates")

    def __str__(self):
        return f"{self.township} {self.title}"


class LetterState(models.TextChoices):
    DRAFTED = "drafted", _("drafted")
    SENT = "sent", _("sent to the principal")
    SIGNED = "signed", _("signed")
    REFUSED = "refused", _("refused (resigned)")


class Tier(models.IntegerChoices):
    """档次 of a school's teaching-quality target (``evaluation.rules.letter_tier``)."""

    FIRST = 1, _("first tier")  # 第一档
    SECOND = 2, _("second tier")  # 第二档
    THIRD = 3, _("third tier")  # 第三档


class Letter(LetterText):
    """One school's letter for a school year, with its principal (the holder of the
    校长/园长 position when drafted). The text is filled at drafting, but ``{目标}``,
    which shows ``target``, so the office may edit the target until it sends the letter.
    States move only through ``evaluation.services.letters``."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="letters",
                                 verbose_name=_("township"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="letters",
                               verbose_name=_("school"))
    school_year = models.PositiveSmallIntegerField(_("school year"))
    principal = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="letters",
                                  verbose_name=_("principal"))
    state = models.CharField(_("state"), max_length=10, choices=LetterState.choices,
                             default=LetterState.DRAFTED)
    # The tier and its baseline (the school's mean difference to the township average in
    # ``exam``); empty when the school had no results and the office entered the target.
    exam = models.ForeignKey(Exam, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("baseline exam"))
    baseline = models.DecimalField(_("difference to the township average"), max_digits=7,
                                   decimal_places=2, null=True, blank=True)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, null=True,
                                            blank=True)
    target = models.TextField(_("target"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+", verbose_name=_("drafted by"))
    drafted_at = models.DateTimeField(_("drafted at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("sent by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        ordering = ["school__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"],
                                    name="letter_one_per_school_year"),
        ]
        indexes = [models.Index(fields=["township", "school_year"], name="letter_year")]

    def __str__(self):
        return f"{self.school} {self.school_year} {self.principal}"


class Resignation(models.Model):
    """A principal's refusal to sign their letter, which counts as resigning (R10): who,
    when, why, reported to the office."""

    # A letter refused, then redrafted for the successor, may be refused again.
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="resignations",
                               verbose_name=_("responsibility letter"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("principal"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resignation by refusing the letter")
        verbose_name_plural = _("resignations by refusing the letter")
        ordering = ["-recorded_at", "pk"]

    def __str__(self):
        return f"{self.staff} {self.school}"


class OutcomeResult(models.TextChoices):
    MET = "met", _("target met")
    BELOW = "below", _("below target")
    DECLINED = "declined", _("results declined")


class LetterOutcome(models.Model):
    """The year-end outcome of a signed letter, recorded by the office; the veto clauses
    triggered are ``vetoes``. What follows (accountability, honours) is
    ``evaluation.rules.letter_consequences``."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="outcome",
                                  verbose_name=_("responsibility letter"))
    result = models.CharField(_("result"), max_length=10, choices=OutcomeResult.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("year-end outcome")
        verbose_name_plural = _("year-end outcomes")

    def __str__(self):
        return f"{self.letter} {self.get_result_display()}"


class VetoTriggered(models.Model):
    """One of the six veto clauses triggered in an outcome, with its reason."""

    outcome = models.ForeignKey(LetterOutcome, on_delete=models.CASCADE, related_name="vetoes",
                                verbose_name=_("year-end outcome"))
    clause = models.PositiveSmallIntegerField(_("veto clause"))
    reason = models.TextField(_("reason"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("veto clause triggered")
        verbose_name_plural = _("veto clauses triggered")
        ordering = ["clause"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "clause"], name="veto_once_per_outcome"),
            models.CheckConstraint(condition=models.Q(clause__gte=1, clause__lte=6),
                                   name="veto_clause_one_to_six"),
        ]

    def __str__(self):
        return f"{self.outcome} {self.clause}"
