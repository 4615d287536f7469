"""In the admin: recommendation lists (honours, title promotion, talent programmes) with a
quota, the award as a threshold (R9)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import Candidate, RecommendationList
from staffing.admin import SafeLookupsMixin


@admin.register(RecommendationList)
class RecommendationListAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["title", "township", "school_year", "kind", "quota", "required"]
    list_filter = ["kind", "school_year"]
    search_fields = ["title"]
    list_select_related = ["township"]
    raw_id_fields = ["created_by"]


@admin.register(Candidate)
class CandidateAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["staff", "school", "rec_list", "status", "reason"]
    list_filter = ["status"]
    search_fields = ["staff__name"]
    list_select_related = ["staff", "school", "rec_list"]
    raw_id_fields = ["staff", "school", "rec_list", "nominated_by"]
