"""Teacher-qualification certification (教师资格认定, R13): the county office enters
applications and records three checks on each, in order — the certificates (证件关,
学历/证书审查), the physical examination (体检关), the certification decision (认定关).
A failed check ends the application with its reason; the decision's pass certifies it.

Applicants are mostly not staff (graduates, people from outside): an application holds
its own name and resident ID, linked to a staff record of the county when the ID is one.
Each showing or export of full IDs is a ``QualificationIdView``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import County, Staff
from schools.resident_id import mask


class CertificateKind(models.TextChoices):
    """资格种类 as the Teachers Law names them; the values are the spelling an import's
    workbook uses, shown as they are."""

    KINDERGARTEN = "幼儿园", "幼儿园"
    PRIMARY = "小学", "小学"
    JUNIOR = "初级中学", "初级中学"
    SENIOR = "高级中学", "高级中学"
    VOCATIONAL = "中等职业学校", "中等职业学校"
    VOCATIONAL_PRACTICE = "中等职业学校实习指导", "中等职业学校实习指导"


class QualificationStep(models.TextChoices):
    """The three checks, in their order (R13)."""

    CERTIFICATES = "certificates", _("certificates review")
    PHYSICAL = "physical", _("physical examination")
    DECISION = "decision", _("certification decision")


class QualificationState(models.TextChoices):
    """Where an application stands: waiting at one of the checks, or ended."""

    CERTIFICATES = "certificates", _("waiting for the certificates review")
    PHYSICAL = "physical", _("waiting for the physical examination")
    DECISION = "decision", _("waiting for the certification decision")
    CERTIFIED = "certified", _("certified")
    FAILED = "failed", _("not certified")


class QualificationApplication(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT,
                               related_name="qualification_applications",
                               verbose_name=_("county"))
    name = models.CharField(_("applicant"), max_length=50)
    resident_id = models.CharField(_("resident ID"), max_length=18)
    phone = models.CharField(_("phone"), max_length=20)
    kind = models.CharField(_("certificate kind"), max_length=20,
                            choices=CertificateKind.choices)
    subject = models.CharField(_("subject"), max_length=30)
    staff = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="qualification_applications",
                              verbose_name=_("staff member"))
    applied_on = models.DateField(_("applied on"))
    state = models.CharField(_("state"), max_length=15, choices=QualificationState.choices,
                             default=QualificationState.CERTIFICATES)
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("teacher-qualification application")
        verbose_name_plural = _("teacher-qualification applications")
        ordering = ["applied_on", "pk"]
        indexes = [models.Index(fields=["county", "state", "applied_on"])]
        constraints = [
            # One standing application per person and kind: a double submit, or the same
            # person entered twice, is refused; after a failure they may apply again.
            models.UniqueConstraint(fields=["county", "resident_id", "kind"],
                                    condition=~Q(state="failed"),
                                    name="qualification_one_standing_per_kind"),
            models.UniqueConstraint(fields=["county", "certificate_number"],
                                    condition=~Q(certificate_number=""),
                                    name="qualification_certificate_number_once"),
        ]

    def __str__(self):
        return f"{self.name} · {self.kind} {self.subject}"

    @property
    def masked_id(self) -> str:
        return mask(self.resident_id)

    @property
    def is_ended(self) -> bool:
        return self.state in (QualificationState.CERTIFIED, QualificationState.FAILED)


class QualificationCheck(models.Model):
    """One check recorded on an application: who, when, pass or fail, and a note (the
    reason, when it fails). At most one per check (a double submit records one)."""

    application = models.ForeignKey(QualificationApplication, on_delete=models.CASCADE,
                                    related_name="checks", verbose_name=_("application"))
    step = models.CharField(_("check"), max_length=15, choices=QualificationStep.choices)
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("qualification check")
        verbose_name_plural = _("qualification checks")
        ordering = ["checked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "step"],
                                    name="qualification_check_once"),
            models.CheckConstraint(condition=Q(passed=True) | ~Q(note=""),
                                   name="qualification_fail_has_reason"),
        ]

    def __str__(self):
        return f"{self.application} · {self.get_step_display()} · {self.passed}"


class QualificationIdView(models.Model):
    """One showing (an application's page) or export of applicants' full resident IDs:
    who, when, what — as schools' ``FullIdView`` does for staff."""

    class Kind(models.TextChoices):
        PAGE = "page", _("application page")
        EXPORT = "export", _("export")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAGE)
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("county"))
    application = models.ForeignKey(QualificationApplication, on_delete=models.CASCADE,
                                    null=True, blank=True, related_name="id_views",
                                    verbose_name=_("application"))
    export = models.CharField(_("export"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("viewed by"))
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("applicant full ID view")
        verbose_name_plural = _("applicant full ID views")
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["county", "-viewed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="export", application__isnull=True, rows__isnull=False)
                | (Q(kind="page") & Q(application__isnull=False)),
                name="qualification_id_view_page_or_export"),
        ]

    def __str__(self):
        what = self.export if self.kind == self.Kind.EXPORT else self.application
        return f"{self.viewer} · {what} · {self.viewed_at:%Y-%m-%d %H:%M}"


class QualificationImport(models.Model):
    """One uploaded workbook of applications: previewed, then imported all at once (or
    not), as the exams' and the roster's uploads are."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed, not yet imported")
        REJECTED = "rejected", _("has errors, nothing imported")
        COMMITTED = "committed", _("imported")

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("county"))
    file = models.FileField(_("workbook"), upload_to="imports/qualifications/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    errors_file = models.FileField(_("rows with their errors"),
                                   upload_to="imports/qualifications/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("imported by"))
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("applications import")
        verbose_name_plural = _("applications imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
