"""The publication (公示) every app publishes through (shared/ARCHITECTURE.md,
"Publication"): some records of one kind shown to an audience, an objection window,
the objections and their answers, and a lock once the window has closed with none
standing. Each app says what it publishes (``kind`` and ``key``) and what a lock means
for its records; none keeps a window of its own.

The models name the organisations by string ("schools.Township") and import no app:
staffing's shared modules use none (the import contract)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Publication(models.Model):
    """One publication: ``kind`` says which app's records ("attendance.month",
    "attendance.week", later "evaluation.awards" …), ``key`` which of them within the
    audience ("2026-09", a week's Monday, an exam's id). The audience is a township's
    staff, or one school's when ``school`` is set. ``window_closes`` is the last day an
    objection is taken (none when the kind takes no objections)."""

    class State(models.TextChoices):
        PUBLISHED = "published", _("published")
        LOCKED = "locked", _("locked")
        REOPENED = "reopened", _("reopened")

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=40)
    township = models.ForeignKey("schools.Township", on_delete=models.PROTECT,
                                 related_name="publications", verbose_name=_("township"))
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="publications",
                               verbose_name=_("school"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.PUBLISHED)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, related_name="+",
                                     verbose_name=_("published by"))
    window_closes = models.DateField(_("objections taken until"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("locked by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "township", "key"],
                                    condition=Q(school__isnull=True),
                                    name="publication_once_per_township"),
            models.UniqueConstraint(fields=["kind", "school", "key"],
                                    condition=Q(school__isnull=False),
                                    name="publication_once_per_school"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"


class PublicationEvent(models.Model):
    """What happened to a publication, by whom, when and why: published (again),
    locked, reopened (the reason is required)."""

    class Action(models.TextChoices):
        PUBLISHED = "published", _("published")
        LOCKED = "locked", _("locked")
        REOPENED = "reopened", _("reopened")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE,
                                    related_name="events", verbose_name=_("publication"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.publication} {self.action}"


class Objection(models.Model):
    """A staff member's objection to one item of a publication (a day of a month, a line
    of an award list), with its reason, and the answer: corrected, or declined with a
    reason. An open objection stands until it is answered."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        CORRECTED = "corrected", _("corrected")
        DECLINED = "declined", _("declined")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE,
                                    related_name="objections", verbose_name=_("publication"))
    staff = models.ForeignKey("schools.Staff", on_delete=models.PROTECT,
                              related_name="objections", verbose_name=_("staff member"))
    item = models.CharField(_("item"), max_length=40)  # a date "2026-09-14", a line's key
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, related_name="+", verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised at"))
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["raised_at", "pk"]
        constraints = [
            # A double submit, or a second objection to the same day while the first
            # stands, is refused by the database too.
            models.UniqueConstraint(fields=["publication", "staff", "item"],
                                    condition=Q(status="open"), name="objection_open_once"),
        ]

    def __str__(self):
        return f"{self.staff} {self.item}"
