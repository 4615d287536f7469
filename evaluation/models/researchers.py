"""Part-time researchers (兼职教研员, R11): a round of subject central teaching-research
groups (学科中心教研组) for a school year; schools apply with a subject and a candidate;
the office selects one application per subject; its candidate leads the group and is
that subject's part-time researcher for the year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Staff, Township


class ResearchRound(models.Model):
    township = models.ForeignKey(Township, on_delete=models.PROTECT,
                                 related_name="research_rounds", verbose_name=_("township"))
    school_year = models.PositiveSmallIntegerField(_("school year"))
    subjects = models.JSONField(_("subjects offered"), default=list)
    hosts = models.ManyToManyField(School, related_name="research_rounds",
                                   verbose_name=_("schools that may host"))
    max_groups_per_school = models.PositiveSmallIntegerField(_("groups per school at most"),
                                                             default=1)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("closed by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[hosts])

    class Meta:
        verbose_name = _("teaching-research group round")
        verbose_name_plural = _("teaching-research group rounds")
        ordering = ["-school_year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "school_year"],
                                    name="research_round_one_per_year"),
            models.CheckConstraint(condition=Q(max_groups_per_school__gt=0),
                                   name="research_round_max_positive"),
        ]

    def __str__(self):
        return f"{self.township} {self.school_year}–{self.school_year + 1}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ResearchApplication(models.Model):
    """A school's application to host one subject's group, with its candidate leader.
    Selected, it is the group: its candidate is the subject's part-time researcher."""

    round = models.ForeignKey(ResearchRound, on_delete=models.CASCADE,
                              related_name="applications", verbose_name=_("round"))
    school = models.ForeignKey(School, on_delete=models.PROTECT,
                               related_name="research_applications", verbose_name=_("school"))
    subject = models.CharField(_("subject"), max_length=30)
    candidate = models.ForeignKey(Staff, on_delete=models.PROTECT,
                                  related_name="research_applications",
                                  verbose_name=_("candidate leader"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    selected = models.BooleanField(_("selected"), default=False)
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("selected by"))
    selected_at = models.DateTimeField(_("selected at"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("applied by"))
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("teaching-research group application")
        verbose_name_plural = _("teaching-research group applications")
        ordering = ["subject", "school", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "school", "subject"],
                                    name="research_application_once_per_subject"),
            models.UniqueConstraint(fields=["round", "subject"], condition=Q(selected=True),
                                    name="research_one_group_per_subject"),
        ]

    def __str__(self):
        return f"{self.round} {self.subject} {self.school}"
