"""The township's attendance settings, its working-day calendar and the daily record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Staff, Township


class AttendanceSettings(models.Model):
    """The settings the office edits for its township (one row per township; the
    defaults are the seeds' and the issue's)."""

    township = models.OneToOneField(
        Township, on_delete=models.CASCADE, related_name="attendance_settings",
        verbose_name=_("township"),
    )
    # Phase 8: the office's copy of a contract is filed within this many days after term
    # starts (the seeds: one week).
    contract_filing_days = models.PositiveSmallIntegerField(
        _("days after term starts to file contracts"), default=7)
    # Phase 9: the monthly publication's objection window, in working days.
    objection_working_days = models.PositiveSmallIntegerField(
        _("working days to object"), default=3)
    # The pay link (月兑现): deductions in yuan.
    absent_deduction = models.DecimalField(
        _("deduction per day absent without leave"), max_digits=8, decimal_places=2,
        default=100)
    free_late_early = models.PositiveSmallIntegerField(
        _("late arrivals or early departures free each month"), default=2)
    late_early_deduction = models.DecimalField(
        _("deduction per late arrival or early departure beyond the free ones"),
        max_digits=8, decimal_places=2, default=20)
    sick_allowance = models.PositiveSmallIntegerField(
        _("days of sick leave a month without deduction"), default=2)
    sick_deduction = models.DecimalField(
        _("deduction per day of sick leave beyond the allowance"), max_digits=8,
        decimal_places=2, default=30)
    personal_allowance = models.PositiveSmallIntegerField(
        _("days of personal leave a month without deduction"), default=1)
    personal_deduction = models.DecimalField(
        _("deduction per day of personal leave beyond the allowance"), max_digits=8,
        decimal_places=2, default=50)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance settings")
        verbose_name_plural = _("attendance settings")

    def __str__(self):
        return str(self.township)


class CalendarDay(models.Model):
    """An exception to the township's default week (Monday to Friday working): a holiday
    on a weekday, or a make-up working day (调休) on a weekend. Entered per year."""

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="calendar_days",
        verbose_name=_("township"),
    )
    date = models.DateField(_("date"))
    working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)  # 国庆节, 调休 …
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["township", "date"], name="calendar_day_once"),
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class AttendanceStatus(models.TextChoices):
    """The spec's seven states, in the spec's order (the month sheet's columns). The
    workbook words are ``attendance.sheets.STATUS_WORDS``; these labels are translated."""

    PRESENT = "present", _("present")  # 出勤
    LATE = "late", _("late")  # 迟到
    LEFT_EARLY = "left_early", _("left early")  # 早退
    PERSONAL_LEAVE = "personal_leave", _("personal leave")  # 事假
    SICK_LEAVE = "sick_leave", _("sick leave")  # 病假
    OFFICIAL = "official", _("official duty")  # 公假
    ABSENT = "absent", _("absent without leave")  # 旷工


class AttendanceRecord(models.Model):
    """One staff member's attendance on one day: one record per person and day (a
    database constraint). The school is the staff member's school on that day. A later
    record for the same person and day replaces the earlier one (the spec); every change
    is in the history with who made it."""

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="attendance",
        verbose_name=_("staff member"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("school")
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PRESENT)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set when approved leave marked this day; cancelling the leave restores the day.
    leave = models.ForeignKey(
        "attendance.LeaveRequest", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="days", verbose_name=_("leave"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["date", "staff_id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="attendance_once_a_day"),
        ]
        indexes = [models.Index(fields=["school", "date"], name="attendance_school_day")]

    def __str__(self):
        return f"{self.staff} {self.date} {self.get_status_display()}"


# The states that are leave (R8): a leave request's type is one of these.
LEAVE_STATES = (AttendanceStatus.PERSONAL_LEAVE, AttendanceStatus.SICK_LEAVE,
                AttendanceStatus.OFFICIAL)
# The states that count as not at work (the absence chart; the seeds' "nearly 100 staff
# not at work" before the reform).
NOT_AT_WORK = (AttendanceStatus.ABSENT,)


class AttendanceImport(models.Model):
    """One uploaded attendance workbook (spec/attendance.md): previewed, then committed
    (or not), as the roster's uploads are. For a township (its office) or for one school
    (its principal or liaison): ``school`` set limits the rows to that school's staff."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed, not yet imported")
        REJECTED = "rejected", _("has errors, nothing imported")
        COMMITTED = "committed", _("imported")

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="attendance_imports",
        verbose_name=_("township"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True,
        related_name="attendance_imports", verbose_name=_("school"),
    )
    file = models.FileField(_("workbook"), upload_to="imports/attendance/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    errors_file = models.FileField(
        _("rows with their errors"), upload_to="imports/attendance/%Y/%m/", blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("imported by"),
    )
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
