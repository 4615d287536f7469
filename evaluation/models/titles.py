"""The county's professional-title evaluation (职称评审, R12; shared/spec/title-scoring.md):
the shared records every title part reads.

- ``TitleYear``: one per county and year, with the shares of the total (Q and L).
- ``TitleTable`` / ``TitleItem``: the city's scoring table (量化评分细则) as data, versioned
  per year (a new version replaces the old while no score is entered).
- ``TitleQuota``: a unit (school) and level's quotas. It is also the ranking group:
  ``revision`` counts score changes, and an acknowledgement holds for one revision.
- ``TitleCandidate``, ``TitleScore``: who declared for which level, and their item scores.
- ``TitleAcknowledgement``: a candidate has seen the competitors' scores (R12's validity).

The parts' own records (quota changes, reviews, the public page, qualifications) are in
their own modules.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import County, School, Staff


class TitleLevel(models.TextChoices):
    """The levels a candidate declares for; the values are the spec's spelling (申报级别),
    a data contract, shown as they are."""

    FIRST = "一级教师", "一级教师"
    SENIOR = "高级教师", "高级教师"
    FULL_SENIOR = "正高级教师", "正高级教师"


class YearState(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed by the county committee")


class TitleYear(models.Model):
    """A county's title evaluation of one year. The county committee's final decision
    closes it; nothing of the year changes after."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="title_years",
                               verbose_name=_("county"))
    year = models.PositiveSmallIntegerField(_("year"))
    quantitative_share = models.DecimalField(
        _("share of the quantitative score"), max_digits=3, decimal_places=2,
        default=Decimal("0.70"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])
    lesson_share = models.DecimalField(
        _("share of the lesson score"), max_digits=3, decimal_places=2, default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])
    state = models.CharField(_("state"), max_length=10, choices=YearState.choices,
                             default=YearState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # -- title_candidates: the year's eligibility settings (the county office's page) --
    reference_date = models.DateField(
        _("reference date"), null=True, blank=True,
        help_text=_("Years held and awards are counted at this date; empty: 31 December "
                    "of the year."))
    first_requires = models.CharField(_("title required for 一级教师"), max_length=30,
                                      default="二级教师")
    first_years = models.PositiveSmallIntegerField(_("years held for 一级教师"), default=4)
    senior_requires = models.CharField(_("title required for 高级教师"), max_length=30,
                                       default="一级教师")
    senior_years = models.PositiveSmallIntegerField(_("years held for 高级教师"), default=5)
    full_senior_requires = models.CharField(_("title required for 正高级教师"), max_length=30,
                                            default="高级教师")
    full_senior_years = models.PositiveSmallIntegerField(_("years held for 正高级教师"),
                                                         default=5)
    award_required = models.BooleanField(
        _("the teaching excellence award is required (R9)"), default=False)
    award_window_years = models.PositiveSmallIntegerField(
        _("award window (school years)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("title evaluation year")
        verbose_name_plural = _("title evaluation years")
        ordering = ["-year", "county"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="title_year_once"),
            models.CheckConstraint(
                condition=Q(quantitative_share__gte=0, quantitative_share__lte=1,
                            lesson_share__gte=0, lesson_share__lte=1),
                name="title_year_shares_in_range"),
        ]

    def __str__(self):
        return f"{self.county} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.state == YearState.OPEN


class TitleTable(models.Model):
    """One version of a year's scoring table; the year's table is its newest version."""

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE, related_name="tables",
                             verbose_name=_("title evaluation year"))
    version = models.PositiveSmallIntegerField(_("version"))
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scoring table")
        verbose_name_plural = _("scoring tables")
        ordering = ["year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="title_table_version_once"),
        ]

    def __str__(self):
        return f"{self.year} v{self.version}"


class TitleItem(models.Model):
    """One item of a table (项目编号, 类别, 项目, 单项上限, 类别上限)."""

    table = models.ForeignKey(TitleTable, on_delete=models.CASCADE, related_name="items",
                              verbose_name=_("scoring table"))
    code = models.CharField(_("item number"), max_length=20)  # 项目编号
    group = models.CharField(_("group"), max_length=30)  # 类别
    text = models.CharField(_("item"), max_length=500)  # 项目
    item_cap = models.DecimalField(_("item cap"), max_digits=7, decimal_places=2)  # 单项上限
    group_cap = models.DecimalField(_("group cap"), max_digits=7, decimal_places=2,
                                    null=True, blank=True)  # 类别上限
    position = models.PositiveIntegerField(_("order"), default=0)  # the row's order in the sheet

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["table", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="title_item_code_once"),
            models.CheckConstraint(condition=Q(item_cap__gte=0), name="title_item_cap_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"


class TitleQuota(models.Model):
    """A unit and level's quotas for the year: the post quota (岗位职数) and the
    recommendation quota (推荐职数, the differential quota allocated 1:1 by default, plus
    any extra granted later). It is the ranking group: ``revision`` goes up on every score
    change of its candidates, and acknowledgements hold for one revision."""

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE, related_name="quotas",
                             verbose_name=_("title evaluation year"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="title_quotas",
                               verbose_name=_("unit"))
    level = models.CharField(_("level"), max_length=10, choices=TitleLevel.choices)
    posts = models.PositiveIntegerField(_("post quota"), default=0)  # 岗位职数
    recommended = models.PositiveIntegerField(_("recommendation quota"), default=0)  # 推荐职数
    revision = models.PositiveIntegerField(_("score revision"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("title quota")
        verbose_name_plural = _("title quotas")
        ordering = ["year", "school", "level"]
        constraints = [
            models.UniqueConstraint(fields=["year", "school", "level"],
                                    name="title_quota_once"),
        ]

    def __str__(self):
        return f"{self.year} · {self.school} · {self.level}"


class CandidateState(models.TextChoices):
    DECLARED = "declared", _("declared, waiting for the unit's check")
    ELIGIBLE = "eligible", _("eligible")
    REFUSED = "refused", _("not eligible")
    WITHDRAWN = "withdrawn", _("withdrawn")


class TieDecision(models.TextChoices):
    """The unit committee's settlement of a group of equals at the quota's edge (待定)."""

    NONE = "", _("not settled")
    RECOMMEND = "recommend", _("recommended")
    NOT_RECOMMEND = "not_recommend", _("not recommended")


class TitleCandidate(models.Model):
    """A staff member's declaration for a level in a year; their unit is their school at
    the declaration. The unit checks eligibility (and says why it refuses), scores the
    items and the lesson presentation."""

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE, related_name="candidates",
                             verbose_name=_("title evaluation year"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="title_candidacies",
                              verbose_name=_("staff member"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("unit"))
    level = models.CharField(_("level"), max_length=10, choices=TitleLevel.choices)
    current_title = models.CharField(_("current title"), max_length=30, blank=True)
    title_since = models.DateField(_("current title held since"), null=True, blank=True)
    exceptional = models.BooleanField(_("exceptional promotion (破格)"), default=False)
    exceptional_reason = models.CharField(_("why exceptional"), max_length=500,
                                          blank=True)  # title_candidates
    state = models.CharField(_("state"), max_length=10, choices=CandidateState.choices,
                             default=CandidateState.DECLARED)
    refusal = models.CharField(_("why not eligible"), max_length=500, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    lesson_score = models.DecimalField(_("lesson score"), max_digits=5, decimal_places=2,
                                       null=True, blank=True)  # 说课得分, 0–100
    tie_decision = models.CharField(_("committee's settlement"), max_length=15, blank=True,
                                    choices=TieDecision.choices, default=TieDecision.NONE)
    tie_reason = models.CharField(_("reason for the settlement"), max_length=500, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("declared by"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("title candidate")
        verbose_name_plural = _("title candidates")
        ordering = ["year", "school", "level", "staff__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "staff"], name="title_candidate_once"),
            models.CheckConstraint(
                condition=Q(lesson_score__isnull=True)
                | Q(lesson_score__gte=0, lesson_score__lte=100),
                name="title_lesson_score_range"),
        ]

    def __str__(self):
        return f"{self.year} · {self.staff} · {self.level}"


class TitleScore(models.Model):
    """A candidate's score on one item of the year's table, with the evidence noted."""

    candidate = models.ForeignKey(TitleCandidate, on_delete=models.CASCADE,
                                  related_name="scores", verbose_name=_("title candidate"))
    item = models.ForeignKey(TitleItem, on_delete=models.PROTECT, related_name="scores",
                             verbose_name=_("scoring item"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)  # 依据
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("scored by"))
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("title score")
        verbose_name_plural = _("title scores")
        ordering = ["candidate", "item__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "item"], name="title_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="title_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.item.code}: {self.score}"


class TitleAcknowledgement(models.Model):
    """A candidate has seen every competitor's scores of their unit and level as they
    stood at ``revision`` (R12: a score is valid only once every candidate has)."""

    candidate = models.ForeignKey(TitleCandidate, on_delete=models.CASCADE,
                                  related_name="acknowledgements",
                                  verbose_name=_("title candidate"))
    revision = models.PositiveIntegerField(_("score revision"))
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement of scores")
        verbose_name_plural = _("acknowledgements of scores")
        ordering = ["candidate", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "revision"],
                                    name="title_ack_once_per_revision"),
        ]

    def __str__(self):
        return f"{self.candidate} @{self.revision}"
