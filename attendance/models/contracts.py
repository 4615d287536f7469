"""Phase 8 (签订聘约、明确责权): the township's contract template, one contract per
confirmed hire, and its three copies with who signed and filed each and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from recruitment.models import Cycle, Hire
from schools.models import School, Staff, Township


class ContractTemplate(models.Model):
    """The township's contract (聘约) as the office keeps it: the clauses as text with
    placeholders (``{姓名}``, ``{学校}``, ``{岗位}``, ``{职责}``, ``{聘期}`` …, the list in
    ``attendance.rules.PLACEHOLDERS``). One per township; every edit is in its history."""

    township = models.OneToOneField(
        Township, on_delete=models.CASCADE, related_name="contract_template",
        verbose_name=_("township"),
    )
    title = models.CharField(_("title"), max_length=100)
    clauses = models.TextField(_("clauses"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")

    def __str__(self):
        return f"{self.township} {self.title}"


class Contract(models.Model):
    """One confirmed hire's contract: its clauses filled from the township's template,
    the hire and the post, editable by the school until the first copy is signed
    (``attendance.workflow.contract_edit_refusal``)."""

    hire = models.OneToOneField(Hire, on_delete=models.PROTECT, related_name="contract",
                                verbose_name=_("hire"))
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="contracts",
                              verbose_name=_("cycle"))
    # The post's school (the hire's), and the person: kept here so a school's list and a
    # teacher's page are one indexed query.
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="contracts",
                               verbose_name=_("school"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="contracts",
                              verbose_name=_("staff member"))
    title = models.CharField(_("title"), max_length=100)
    clauses = models.TextField(_("clauses"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    filing_deadline = models.DateField(_("filing deadline"))
    drawn_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("drawn up by"),
    )
    drawn_up_at = models.DateTimeField(_("drawn up at"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("edited by"),
    )
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["school__name", "staff__name", "pk"]
        indexes = [models.Index(fields=["cycle", "school"], name="contract_cycle_school")]

    def __str__(self):
        return f"{self.staff} {self.school} {self.term_start:%Y}"


class CopyKind(models.TextChoices):
    """The three copies (DOMAIN.md phase 8), in the order they are printed."""

    OFFICE = "office", _("the office's copy")  # 教办存档
    SCHOOL = "school", _("the school's archive copy")  # 学校存档
    TEACHER = "teacher", _("the teacher's copy")  # 教师本人


class ContractCopy(models.Model):
    """One of a contract's three copies: who recorded its signing and its filing, and
    when. The office's copy is filed with the office by the deadline (term start plus
    ``AttendanceSettings.contract_filing_days``)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="copies",
                                 verbose_name=_("contract"))
    kind = models.CharField(_("copy"), max_length=8, choices=CopyKind.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("signing recorded by"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("filing recorded by"),
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract copy")
        verbose_name_plural = _("contract copies")
        ordering = ["contract", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind"], name="contract_copy_once"),
            models.CheckConstraint(
                condition=models.Q(filed_at__isnull=True) | models.Q(signed_at__isnull=False),
                name="contract_copy_signed_before_filed"),
        ]

    def __str__(self):
        return f"{self.contract} {self.get_kind_display()}"
