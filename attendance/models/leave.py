"""Leave (请假, R8): a staff member's request, its approval steps, and the authority the
office sets per township (and per school) for each length of leave."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Staff, Township

from .days import AttendanceStatus


class Approver(models.TextChoices):
    """Who decides one step of a leave request: the school's principal, or the township's
    office (the membership roles of the same names)."""

    PRINCIPAL = "principal", _("the school's principal")
    OFFICE = "township_office", _("the township office")


class LeaveAuthority(models.Model):
    """Who approves leave of a given length (R8), as the office sets it: one row per
    township (``school`` empty) or per school (an override for that unit) and length.
    ``up_to_days`` empty means "longer than every other row". ``steps`` are the approvers
    in order (``Approver`` values). Until the office saves a row for its township, the
    default applies (``rules.DEFAULT_AUTHORITY``: up to 3 days the principal; longer,
    the principal then the office)."""

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="leave_authority",
        verbose_name=_("township"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="leave_authority",
        verbose_name=_("school"),
    )
    up_to_days = models.PositiveSmallIntegerField(_("up to (working days)"), null=True,
                                                  blank=True)
    steps = models.JSONField(_("approvers in order"), default=list)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leave approval authority")
        verbose_name_plural = _("leave approval authority")
        ordering = ["township_id", "school_id", F("up_to_days").asc(nulls_last=True)]

    def __str__(self):
        return f"{self.township} {self.school or ''} {self.up_to_days or '∞'}"

    @property
    def step_labels(self) -> list[str]:
        return [Approver(step).label for step in self.steps]


class LeaveRequest(models.Model):
    """A staff member asks for leave of a type (one of the leave states) for a run of
    dates. Its length is its working days (the township's calendar), fixed when asked,
    and so are its approval steps (``steps``, from the authority); ``step`` is the one
    waiting and ``waiting_for`` its approver while the request is pending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="leave_requests",
        verbose_name=_("staff member"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="leave_requests",
        verbose_name=_("school"),
    )
    kind = models.CharField(_("type of leave"), max_length=16, choices=[
        (AttendanceStatus.PERSONAL_LEAVE.value, AttendanceStatus.PERSONAL_LEAVE.label),
        (AttendanceStatus.SICK_LEAVE.value, AttendanceStatus.SICK_LEAVE.label),
        (AttendanceStatus.OFFICIAL.value, AttendanceStatus.OFFICIAL.label),
    ])
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PENDING)
    working_days = models.PositiveSmallIntegerField(_("working days"), default=0)
    steps = models.JSONField(_("approvers in order"), default=list)
    step = models.PositiveSmallIntegerField(_("step waiting"), default=0)
    waiting_for = models.CharField(_("waiting for"), max_length=20, blank=True,
                                   choices=Approver.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="leave_ends_after_it_starts"),
        ]
        indexes = [models.Index(fields=["status", "waiting_for"], name="leave_waiting")]

    def __str__(self):
        return f"{self.staff} {self.start_date}–{self.end_date}"

    @property
    def step_labels(self) -> list[str]:
        return [Approver(step).label for step in self.steps]


class LeaveDecision(models.Model):
    """One step's decision on a leave request: approved, or rejected with the reason, by
    whom and when. One per request and step (a database constraint: a step decided by
    two approvers at once is decided once)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    leave = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="decisions",
                              verbose_name=_("leave request"))
    step = models.PositiveSmallIntegerField(_("step"))
    approver = models.CharField(_("approver"), max_length=20, choices=Approver.choices)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leave decision")
        verbose_name_plural = _("leave decisions")
        ordering = ["leave_id", "step"]
        constraints = [
            models.UniqueConstraint(fields=["leave", "step"], name="leave_step_decided_once"),
        ]

    def __str__(self):
        return f"{self.leave} {self.step} {self.outcome}"
