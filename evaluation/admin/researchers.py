"""In the admin: part-time researchers (兼职教研员, R11): rounds of subject central teaching-
research groups, schools' applications, the office's selection."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import ResearchApplication, ResearchRound
from staffing.admin import SafeLookupsMixin


@admin.register(ResearchRound)
class ResearchRoundAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["township", "school_year", "max_groups_per_school", "closed_at"]
    list_select_related = ["township"]
    raw_id_fields = ["created_by", "closed_by"]


@admin.register(ResearchApplication)
class ResearchApplicationAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["round", "subject", "school", "candidate", "selected"]
    list_filter = ["selected", "subject"]
    search_fields = ["candidate__name", "school__name"]
    list_select_related = ["round__township", "school", "candidate"]
    raw_id_fields = ["round", "school", "candidate", "applied_by", "selected_by"]
