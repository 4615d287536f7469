"""In the admin: exam results and teaching-quality awards (质量积分制, R9, shared/spec/exam-
scores.md). Read-mostly, with their history: results change through the import, awards
through their computation (a hand-edited award would not be recounted)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import (
    Award,
    CountyAverage,
    Exam,
    ExamImport,
    ExamResult,
    ExamSettings,
    OtherGround,
)
from staffing.admin import ReadOnlyMixin, SafeLookupsMixin


@admin.register(ExamSettings)
class ExamSettingsAdmin(SafeLookupsMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["township", "margin", "objection_days"]


@admin.register(Exam)
class ExamAdmin(SafeLookupsMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "township", "date", "level", "imported_at"]
    list_filter = ["level"]
    search_fields = ["name"]


@admin.register(ExamResult)
class ExamResultAdmin(SafeLookupsMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["exam", "school", "grade", "class_name", "subject", "teacher", "takers",
                    "average"]
    list_select_related = ["exam", "school", "teacher"]
    raw_id_fields = ["exam", "school", "teacher"]


@admin.register(CountyAverage)
class CountyAverageAdmin(SafeLookupsMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["exam", "grade", "subject", "average"]
    list_select_related = ["exam"]


@admin.register(Award)
class AwardAdmin(SafeLookupsMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["exam", "staff", "grade", "subject", "kind", "excellence_count",
                    "model_teacher"]
    list_filter = ["kind", "model_teacher"]
    list_select_related = ["exam", "staff"]
    raw_id_fields = ["exam", "staff"]


@admin.register(OtherGround)
class OtherGroundAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["staff", "kind", "title", "date", "entered_by"]
    list_filter = ["kind"]
    list_select_related = ["staff", "entered_by"]
    raw_id_fields = ["staff"]


@admin.register(ExamImport)
class ExamImportAdmin(SafeLookupsMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "township", "status", "uploaded_by", "uploaded_at"]
    list_filter = ["status"]
