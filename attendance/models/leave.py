"""Leave (请假, R8): a staff member's request and its approval steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Staff

from .days import AttendanceStatus


class LeaveRequest(models.Model):
    """A staff member asks for leave of a type (one of the leave states) for a run of
    dates. Its approval steps, status and the rules that decide the approvers are the
    leave part's (``attendance/models/leave.py`` grows them)."""

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

    def __str__(self):
        return f"{self.staff} {self.start_date}–{self.end_date}"
