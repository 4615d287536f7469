"""The part ``title_candidates``'s own record: an uploaded title-scores workbook
(shared/spec/title-scoring.md, ``import_title_scores``) kept with its preview until the
county office confirms it, as the exam and roster imports are."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .titles import TitleYear


class TitleScoreImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed, not yet imported")
        REJECTED = "rejected", _("has errors, nothing imported")
        COMMITTED = "committed", _("imported")

    year = models.ForeignKey(TitleYear, on_delete=models.CASCADE, related_name="score_imports",
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
        verbose_name = _("title-scores import")
        verbose_name_plural = _("title-scores imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
