"""Recommendation lists (评优评先、职称晋升、人才工程) with a quota and an award as their
threshold (R9): a candidate without the required award is vetoed with the reason; the
recommended never exceed the quota."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Staff, Township


class ListKind(models.TextChoices):
    HONOURS = "honours", _("honours")
    TITLE = "title", _("title promotion")
    TALENT = "talent", _("talent programme")


class RequiredAward(models.TextChoices):
    """The award a candidate must hold (in the list's window) to be recommended."""

    ANY = "any", _("any teaching-quality award")
    EXCELLENCE = "excellence", _("teaching excellence award")
    MODEL = "model", _("model teacher")


class RecommendationList(models.Model):
    """One list of a township for a school year: its quota, its threshold and window."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT,
                                 related_name="recommendation_lists", verbose_name=_("township"))
    school_year = models.PositiveSmallIntegerField(_("school year"))
    kind = models.CharField(_("kind of list"), max_length=10, choices=ListKind.choices)
    title = models.CharField(_("title"), max_length=100)
    quota = models.PositiveIntegerField(_("quota"))
    required = models.CharField(_("award required"), max_length=12,
                                choices=RequiredAward.choices, default=RequiredAward.EXCELLENCE)
    window_years = models.PositiveSmallIntegerField(_("within the last school years"), default=3)
    as_of = models.DateField(_("awards counted up to"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation list")
        verbose_name_plural = _("recommendation lists")
        ordering = ["-school_year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quota__gt=0), name="rec_list_quota_positive"),
            models.CheckConstraint(condition=Q(window_years__gt=0),
                                   name="rec_list_window_positive"),
            models.UniqueConstraint(fields=["township", "school_year", "title"],
                                    name="rec_list_unique_title"),
        ]

    def __str__(self):
        return f"{self.title} ({self.school_year})"


class CandidateStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("recommended")
    VETOED = "vetoed", _("vetoed")


class Candidate(models.Model):
    """A staff member nominated to a list, by their school or by the office; recommended,
    or vetoed with the reason (the award they lack, and what they hold)."""

    rec_list = models.ForeignKey(RecommendationList, on_delete=models.CASCADE,
                                 related_name="candidates", verbose_name=_("recommendation list"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="nominations",
                              verbose_name=_("staff member"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    status = models.CharField(_("status"), max_length=12, choices=CandidateStatus.choices)
    reason = models.CharField(_("reason for the veto"), max_length=300, blank=True)
    by_office = models.BooleanField(_("added by the office"), default=False)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("nominated by"))
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["status", "school", "staff__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rec_list", "staff"], name="candidate_once_per_list"),
        ]

    def __str__(self):
        return f"{self.rec_list} · {self.staff}"
