"""The cycle in the admin: shown, never changed.

Every change of a cycle (a phase's state, a revision, an answer, a vote) goes through
``recruitment.services`` from the cycle's pages, which check the workflow and record
who did it; the admin only shows the rows, scoped like the pages (``ScopedMixin``), to
office staff and superusers alike. Ballots are not shown at all: who voted what stays
secret.
"""

from django.contrib import admin

from schools.admin import HistoryAdmin, ScopedMixin
from staffing.admin import ReadOnlyMixin

from .models import (
    Cycle,
    OpinionReport,
    Phase,
    PlanRevision,
    PlanSchool,
    Representative,
    ReviewComment,
    StaffOpinion,
    Vote,
)


class ShownAdmin(ReadOnlyMixin, ScopedMixin, HistoryAdmin):
    """Read-only and scoped to the office's townships; with its history."""


@admin.register(Cycle)
class CycleAdmin(ShownAdmin):
    township_lookup = "township"
    list_display = ["township", "school_year", "adopted_revision", "created_by", "created_at"]
    list_filter = [("township", admin.RelatedOnlyFieldListFilter), "school_year"]
    list_select_related = ["township", "adopted_revision", "created_by"]


@admin.register(Phase)
class PhaseAdmin(ShownAdmin):
    township_lookup = "cycle__township"
    list_display = ["cycle", "number", "__str__", "state", "start_date", "deadline"]
    list_filter = ["state", "number"]
    list_select_related = ["cycle__township"]


class PlanSchoolInline(ReadOnlyMixin, admin.TabularInline):
    model = PlanSchool
    fields = ["school", "post_count", "first_step"]
    readonly_fields = fields
    extra = 0


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnlyMixin, ScopedMixin, admin.ModelAdmin):
    """Revisions are never changed once saved: each save is a new one."""

    township_lookup = "cycle__township"
    list_display = ["cycle", "number", "note", "created_by", "created_at"]
    list_select_related = ["cycle__township", "created_by"]
    inlines = [PlanSchoolInline]


@admin.register(ReviewComment)
class ReviewCommentAdmin(ShownAdmin):
    township_lookup = "revision__cycle__township"
    list_display = ["revision", "section_title", "school", "author", "status", "answered_by"]
    list_filter = ["status"]
    list_select_related = ["revision__cycle", "school", "author", "answered_by"]
    search_fields = ["body", "reason"]


@admin.register(OpinionReport)
class OpinionReportAdmin(ReadOnlyMixin, ScopedMixin, admin.ModelAdmin):
    township_lookup = "cycle__township"
    list_display = ["cycle", "school", "count", "reported_by", "reported_at"]
    list_select_related = ["cycle__township", "school", "reported_by"]


@admin.register(StaffOpinion)
class StaffOpinionAdmin(ShownAdmin):
    township_lookup = "cycle__township"
    list_display = ["cycle", "school", "staff", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["cycle__township", "school", "staff", "decided_by"]
    search_fields = ["body", "reason", "staff__name"]


@admin.register(Representative)
class RepresentativeAdmin(ShownAdmin):
    township_lookup = "cycle__township"
    list_display = ["cycle", "staff", "named_by", "named_at"]
    list_select_related = ["cycle__township", "staff__school", "named_by"]


@admin.register(Vote)
class VoteAdmin(ShownAdmin):
    township_lookup = "cycle__township"
    list_display = ["cycle", "revision", "opened_at", "closed_at", "votes_for",
                    "votes_against", "abstentions", "result"]
    list_select_related = ["cycle__township", "revision"]
