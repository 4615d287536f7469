"""In the admin: the public scoring's objections and the exceptional reviews (R12).
Read-only: objections are answered and reviews recorded only through the services (the
pages), so every change keeps its order, its score history and its revision."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import ExceptionalReview, TitleObjection, TitleScoreChange
from staffing.admin import ReadOnlyMixin, SafeLookupsMixin


class ScoreChangeInline(admin.TabularInline):
    model = TitleScoreChange
    extra = 0
    can_delete = False
    fields = ["candidate", "item", "old", "new"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TitleObjection)
class TitleObjectionAdmin(ReadOnlyMixin, SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["candidate", "item", "state", "raised_at", "answered_at"]
    list_filter = ["state"]
    list_select_related = ["candidate__staff", "candidate__year", "item"]
    search_fields = ["candidate__staff__name", "candidate__school__name"]
    inlines = [ScoreChangeInline]


@admin.register(ExceptionalReview)
class ExceptionalReviewAdmin(ReadOnlyMixin, SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["candidate", "step", "unit_score", "claimed_score", "final_score",
                    "outcome"]
    list_filter = ["step", "outcome"]
    list_select_related = ["candidate__staff", "candidate__year"]
    search_fields = ["candidate__staff__name", "candidate__school__name"]
