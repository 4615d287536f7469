"""In the admin: target-responsibility letters (目标责任书, R10): the township's template, a
letter per principal, signing or refusing, the year-end outcome. Read-mostly: states,
signatures, refusals and outcomes move only through the services (the pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import Letter, LetterOutcome, LetterTemplate, Resignation, VetoTriggered
from staffing.admin import SafeLookupsMixin


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["township", "title", "tier_margin", "gap_share_percent", "updated_by",
                    "updated_at"]
    list_select_related = ["township", "updated_by"]
    readonly_fields = ["township", "updated_by"]


@admin.register(Letter)
class LetterAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["school", "school_year", "principal", "tier", "state", "answered_at"]
    list_filter = ["state", "school_year", "tier"]
    list_select_related = ["school", "principal"]
    search_fields = ["school__name", "principal__name"]
    readonly_fields = ["township", "school", "school_year", "principal", "state", "exam",
                       "baseline", "tier", "target", "drafted_by", "drafted_at", "sent_by",
                       "sent_at", "answered_by", "answered_at", "refusal_reason"]


@admin.register(Resignation)
class ResignationAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["school", "staff", "recorded_at", "reason"]
    list_select_related = ["school", "staff"]
    readonly_fields = ["letter", "staff", "school", "reason", "recorded_by", "recorded_at"]


class VetoInline(admin.TabularInline):
    model = VetoTriggered
    extra = 0
    can_delete = False
    fields = ["clause", "reason"]
    readonly_fields = fields


@admin.register(LetterOutcome)
class LetterOutcomeAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["letter", "result", "recorded_by", "recorded_at"]
    list_filter = ["result"]
    list_select_related = ["letter__school", "letter__principal", "recorded_by"]
    readonly_fields = ["letter", "result", "note", "recorded_by", "recorded_at"]
    inlines = [VetoInline]
