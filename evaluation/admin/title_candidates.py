"""In the admin: title candidates (R12) with their item scores, and the title-scores
uploads. Read-only: declarations, checks and scores change through the pages' services
(history, the ranking group's revision)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import TitleCandidate, TitleScore, TitleScoreImport
from staffing.admin import ReadOnlyMixin, SafeLookupsMixin


class TitleScoreInline(ReadOnlyMixin, admin.TabularInline):
    model = TitleScore
    fields = ["item", "score", "evidence", "scored_by", "scored_at"]
    readonly_fields = fields
    extra = 0


@admin.register(TitleCandidate)
class TitleCandidateAdmin(SafeLookupsMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["staff", "school", "year", "level", "state", "exceptional", "lesson_score",
                    "tie_decision"]
    list_filter = ["state", "level", "exceptional"]
    list_select_related = ["staff", "school", "year__county"]
    search_fields = ["staff__name", "school__name"]
    inlines = [TitleScoreInline]


@admin.register(TitleScoreImport)
class TitleScoreImportAdmin(SafeLookupsMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "year", "status", "uploaded_by", "uploaded_at"]
    list_filter = ["status"]
    list_select_related = ["year__county", "uploaded_by"]
