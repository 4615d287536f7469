"""In the admin: duty reports (述职) and democratic evaluation (民主测评): the rounds and the
people they assess, with their history. Neither the tallies (the choices, as counts) nor
the participations are registered: the admin shows no choice and no voter beside one."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import Assessee, BallotRound
from staffing.admin import ReadOnlyMixin, SafeLookupsMixin


class ReadOnly(SafeLookupsMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    """Rounds change through their pages' services (the states, the secret ballot)."""


@admin.register(BallotRound)
class BallotRoundAdmin(ReadOnly):
    list_display = ("title", "township", "school", "school_year", "term", "state")
    list_filter = ("state", "term")
    search_fields = ("title",)


@admin.register(Assessee)
class AssesseeAdmin(ReadOnly):
    list_display = ("staff", "round", "position", "assessment_score")
    search_fields = ("staff__name", "round__title")
    list_select_related = ("staff", "round")
