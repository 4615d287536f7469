"""Exam results (shared/spec/exam-scores.md): an exam of a township, one row per class
and subject, and the county averages the bureau publishes for a county exam. The awards
they give (R9) are computed by ``evaluation.awards``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Staff, Township


class ExamLevel(models.TextChoices):
    """考试级别, as the spec spells them."""

    COUNTY_UNIFIED = "县统考", _("county unified exam")
    COUNTY_SAMPLED = "县抽考", _("county sampled exam")
    TOWNSHIP_UNIFIED = "镇统考", _("township unified exam")
    TOWNSHIP_SAMPLED = "镇抽考", _("township sampled exam")


class Exam(models.Model):
    """One exam (考试名称) of a township's schools, on one date. Its results are imported
    whole (all or nothing); a corrected workbook replaces them."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="exams",
                                 verbose_name=_("township"))
    name = models.CharField(_("exam"), max_length=100)
    date = models.DateField(_("exam date"))
    level = models.CharField(_("exam level"), max_length=10, choices=ExamLevel.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), null=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="exam_unique_name"),
        ]

    def __str__(self):
        return self.name


class ExamResult(models.Model):
    """One class's result in one subject of an exam (a row of sheet 成绩)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="results",
                             verbose_name=_("exam"))
    grade = models.CharField(_("grade"), max_length=10)  # 一年级 … 九年级
    subject = models.CharField(_("subject"), max_length=30)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="exam_results",
                               verbose_name=_("school"))
    class_name = models.CharField(_("class"), max_length=20)  # 3班
    teacher = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="exam_results",
                                verbose_name=_("teacher"))
    takers = models.PositiveIntegerField(_("pupils who sat it"))  # 参考人数
    average = models.DecimalField(_("average score"), max_digits=6, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exam result")
        verbose_name_plural = _("exam results")
        constraints = [
            models.UniqueConstraint(fields=["exam", "school", "grade", "subject", "class_name"],
                                    name="exam_result_one_per_class"),
            models.CheckConstraint(condition=models.Q(takers__gt=0),
                                   name="exam_result_takers_positive"),
        ]
        indexes = [models.Index(fields=["exam", "grade", "subject"])]

    def __str__(self):
        return f"{self.exam} {self.school} {self.grade}{self.class_name} {self.subject}"


class CountyAverage(models.Model):
    """参照平均分: the county average the bureau published for one grade and subject of a
    county exam."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="county_averages",
                             verbose_name=_("exam"))
    grade = models.CharField(_("grade"), max_length=10)
    subject = models.CharField(_("subject"), max_length=30)
    average = models.DecimalField(_("county average"), max_digits=6, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county average")
        verbose_name_plural = _("county averages")
        constraints = [
            models.UniqueConstraint(fields=["exam", "grade", "subject"],
                                    name="county_average_one_per_subject"),
        ]

    def __str__(self):
        return f"{self.exam} {self.grade} {self.subject} {self.average}"


class AwardKind(models.TextChoices):
    """奖项 (R9). 教学标兵 is not a kind: it is the excellence award that made a teacher a
    model teacher (``Award.model_teacher``)."""

    STANDARD = "教学达标奖", _("teaching standard award")
    EXCELLENCE = "教学优胜奖", _("teaching excellence award")


class Award(models.Model):
    """The award one teacher earned in one exam, grade and subject (at most one: the
    database refuses a second), computed by ``evaluation.awards`` from the exam's results
    and recomputed when they are corrected. The averages are shown rounded; the rule
    compares them exactly."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="awards",
                             verbose_name=_("exam"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="awards",
                              verbose_name=_("teacher"))
    grade = models.CharField(_("grade"), max_length=10)
    subject = models.CharField(_("subject"), max_length=30)
    kind = models.CharField(_("award"), max_length=10, choices=AwardKind.choices)
    teacher_score = models.DecimalField(_("teacher's average"), max_digits=12,
                                        decimal_places=4)
    township_average = models.DecimalField(_("township average"), max_digits=12,
                                           decimal_places=4)
    county_average = models.DecimalField(_("county average"), max_digits=12,
                                         decimal_places=4, null=True, blank=True)
    # 累计优胜次数: the teacher's excellence awards up to and including this exam.
    excellence_count = models.PositiveIntegerField(_("excellence awards so far"), default=0)
    # 教学标兵: this is the sixth excellence award, which made the teacher a model teacher.
    model_teacher = models.BooleanField(_("made a model teacher"), default=False)
    computed_at = models.DateTimeField(_("computed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("teaching-quality award")
        verbose_name_plural = _("teaching-quality awards")
        constraints = [
            models.UniqueConstraint(fields=["exam", "staff", "grade", "subject"],
                                    name="award_one_per_subject"),
        ]
        indexes = [models.Index(fields=["staff", "kind"])]

    def __str__(self):
        return f"{self.exam} {self.staff} {self.grade}{self.subject} {self.kind}"


class GroundKind(models.TextChoices):
    ARTS_SPORTS = "arts_sports", _("arts or sports activity prize")
    KINDERGARTEN = "kindergarten", _("kindergarten assessment")


class OtherGround(models.Model):
    """A further ground for the standard award (R9): an arts or sports activity prize the
    teacher's pupils won, or a kindergarten assessment passed, entered by the office."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="award_grounds",
                              verbose_name=_("teacher"))
    kind = models.CharField(_("kind"), max_length=20, choices=GroundKind.choices)
    title = models.CharField(_("what was won"), max_length=200)  # 县中小学生运动会团体一等奖
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("further ground for the standard award")
        verbose_name_plural = _("further grounds for the standard award")
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"{self.staff} {self.title}"


class ExamSettings(models.Model):
    """A township's settings of R9: the margin of 教学优胜奖 (points above an average,
    default 10) and the objection window of a published award list (calendar days)."""

    township = models.OneToOneField(Township, on_delete=models.CASCADE,
                                    related_name="exam_settings", verbose_name=_("township"))
    margin = models.DecimalField(_("excellence margin (points)"), max_digits=5,
                                 decimal_places=2, default=10)
    objection_days = models.PositiveSmallIntegerField(_("objection window (days)"), default=7)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award settings")
        verbose_name_plural = _("award settings")

    def __str__(self):
        return f"{self.township} {self.margin}"


class ExamImport(models.Model):
    """One uploaded exam-scores workbook (spec/exam-scores.md): previewed, then committed
    (or not), as the roster's and attendance's uploads are."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed, not yet imported")
        REJECTED = "rejected", _("has errors, nothing imported")
        COMMITTED = "committed", _("imported")

    township = models.ForeignKey(Township, on_delete=models.CASCADE,
                                 related_name="exam_imports", verbose_name=_("township"))
    file = models.FileField(_("workbook"), upload_to="imports/exams/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    errors_file = models.FileField(_("rows with their errors"),
                                   upload_to="imports/exams/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("imported by"))
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("exam-scores import")
        verbose_name_plural = _("exam-scores imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
