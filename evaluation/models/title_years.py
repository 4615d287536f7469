"""The county office's records of a title year (part ``title_years``, R12): the table's
kept uploads, the ratios the post quotas come from, extra quotas granted later and their
allocation, the five publics (policy documents, candidates' published materials, what of
the year is published) with the public's objections, and the committee's final decision."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .titles import TitleCandidate, TitleLevel, TitleQuota, TitleYear


class TitleTableImport(models.Model):
    """One uploaded scoring-table workbook (评分细则 and 职数): previewed, then committed
    (or not), as the other imports' uploads are."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed, not yet imported")
        REJECTED = "rejected", _("has errors, nothing imported")
        COMMITTED = "committed", _("imported")

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE, related_name="table_imports",
                             verbose_name=_("title evaluation year"))
    file = models.FileField(_("workbook"), upload_to="imports/titles/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    errors_file = models.FileField(_("rows with their errors"),
                                   upload_to="imports/titles/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("imported by"))
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoring-table import")
        verbose_name_plural = _("scoring-table imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"


class TitleRatio(models.Model):
    """The county office's ratio for a level: a unit's post quota (岗位职数) at the level is
    floor(its staff count × the ratio)."""

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE, related_name="ratios",
                             verbose_name=_("title evaluation year"))
    level = models.CharField(_("level"), max_length=10, choices=TitleLevel.choices)
    ratio = models.DecimalField(
        _("ratio of the staff"), max_digits=4, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post ratio")
        verbose_name_plural = _("post ratios")
        ordering = ["year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["year", "level"], name="title_ratio_once"),
            models.CheckConstraint(condition=Q(ratio__isnull=True)
                                   | Q(ratio__gte=0, ratio__lte=1),
                                   name="title_ratio_in_range"),
        ]

    def __str__(self):
        return f"{self.year} · {self.level}: {self.ratio}"


class TitleExtraQuota(models.Model):
    """Recommendation places granted later (增撥職數) by a document, allocated to units as
    the county office decides; the allocations never add up to more than ``count``."""

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE, related_name="extra_quotas",
                             verbose_name=_("title evaluation year"))
    level = models.CharField(_("level"), max_length=10, choices=TitleLevel.choices)
    count = models.PositiveIntegerField(_("places granted"))
    document_number = models.CharField(_("document number"), max_length=100)
    date = models.DateField(_("date of the document"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extra quota")
        verbose_name_plural = _("extra quotas")
        ordering = ["year", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="title_extra_at_least_one"),
        ]

    def __str__(self):
        return f"{self.year} · {self.document_number} · {self.level} +{self.count}"


class TitleExtraAllocation(models.Model):
    """Places of an extra quota given to one unit; they are added to its recommendation
    quota (TitleQuota.recommended) when allocated."""

    extra = models.ForeignKey(TitleExtraQuota, on_delete=models.CASCADE,
                              related_name="allocations", verbose_name=_("extra quota"))
    quota = models.ForeignKey(TitleQuota, on_delete=models.PROTECT,
                              related_name="extra_allocations", verbose_name=_("title quota"))
    count = models.PositiveIntegerField(_("places"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation of an extra quota")
        verbose_name_plural = _("allocations of extra quotas")
        ordering = ["extra", "quota"]
        constraints = [
            models.UniqueConstraint(fields=["extra", "quota"], name="title_extra_alloc_once"),
        ]

    def __str__(self):
        return f"{self.extra} → {self.quota.school}: {self.count}"


class TitleDocument(models.Model):
    """A policy document of the year (职评政策公开), shown on the public page once
    published."""

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE, related_name="documents",
                             verbose_name=_("title evaluation year"))
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=100, blank=True)
    date = models.DateField(_("date of the document"))
    text = models.TextField(_("text"), max_length=20000, blank=True)
    published = models.BooleanField(_("on the public page"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["year", "date", "pk"]

    def __str__(self):
        return self.title


class TitleSummary(models.Model):
    """A candidate's main materials as the county publishes them (个人主要评审材料公开):
    a text the county office writes; never the resident ID."""

    candidate = models.OneToOneField(TitleCandidate, on_delete=models.CASCADE,
                                     related_name="public_summary",
                                     verbose_name=_("title candidate"))
    text = models.TextField(_("main materials"), max_length=5000)
    published = models.BooleanField(_("on the public page"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate's published materials")
        verbose_name_plural = _("candidates' published materials")
        ordering = ["candidate"]

    def __str__(self):
        return str(self.candidate)


class TitlePublication(models.Model):
    """What of a year the county has published on its public page, besides the documents
    and the candidates' materials that carry their own flag."""

    year = models.OneToOneField(TitleYear, on_delete=models.CASCADE, related_name="publication",
                                verbose_name=_("title evaluation year"))
    quotas = models.BooleanField(_("quotas published"), default=False)
    method = models.BooleanField(_("scoring table published"), default=False)
    results = models.BooleanField(_("results published"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication of a title year")
        verbose_name_plural = _("publications of title years")

    def __str__(self):
        return str(self.year)


class TitlePublicObjection(models.Model):
    """An objection sent from the public page (一监督), no login needed; the county office
    answers it (who, when) and publishes the answer when it chooses."""

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE,
                             related_name="public_objections",
                             verbose_name=_("title evaluation year"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    text = models.TextField(_("objection"), max_length=2000)
    client_key = models.CharField(_("sender key"), max_length=64, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published = models.BooleanField(_("on the public page"), default=False)
    history = HistoricalRecords(excluded_fields=["client_key"])

    class Meta:
        verbose_name = _("public objection")
        verbose_name_plural = _("public objections")
        ordering = ["year", "-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(published=False) | ~Q(answer=""),
                                   name="title_objection_published_answered"),
        ]

    def __str__(self):
        return f"{self.year} · {self.submitted_at:%Y-%m-%d}"


class TitleFinalDecision(models.Model):
    """The county committee's final decision (县级评委会最后终审): it closes the year."""

    year = models.OneToOneField(TitleYear, on_delete=models.CASCADE,
                                related_name="final_decision",
                                verbose_name=_("title evaluation year"))
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    reason = models.CharField(_("decision"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    decided_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("final decision")
        verbose_name_plural = _("final decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(document_number="") | ~Q(reason=""),
                                   name="title_decision_has_ground"),
        ]

    def __str__(self):
        return str(self.year)
