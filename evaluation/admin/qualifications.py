"""In the admin: teacher-qualification certification (教师资格认定, R13), read-only with
its history; applicants' IDs masked (the application's page shows them in full, and
records the look). States change only through the county office's pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import QualificationApplication, QualificationCheck, QualificationIdView
from staffing.admin import ReadOnlyMixin, SafeLookupsMixin


class CheckInline(admin.TabularInline):
    model = QualificationCheck
    extra = 0
    can_delete = False
    fields = ["step", "passed", "note", "checked_by", "checked_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QualificationApplication)
class QualificationApplicationAdmin(ReadOnlyMixin, SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["name", "masked", "kind", "subject", "county", "state", "applied_on"]
    list_filter = ["state", "kind"]
    search_fields = ["name"]
    list_select_related = ["county"]
    exclude = ["resident_id"]
    inlines = [CheckInline]

    @admin.display(description=_("resident ID"))
    def masked(self, obj):
        return obj.masked_id


@admin.register(QualificationIdView)
class QualificationIdViewAdmin(ReadOnlyMixin, SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["viewed_at", "viewer", "kind", "application", "export", "rows"]
    list_select_related = ["viewer", "application"]
