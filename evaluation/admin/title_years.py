"""In the admin: the county office's records of a title year (part ``title_years``):
read-only, they change through the services (the pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import (
    TitleDocument,
    TitleExtraQuota,
    TitleFinalDecision,
    TitlePublicObjection,
    TitleTableImport,
)
from staffing.admin import ReadOnlyMixin, SafeLookupsMixin


@admin.register(TitleTableImport)
class TitleTableImportAdmin(ReadOnlyMixin, SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["original_name", "year", "status", "uploaded_by", "uploaded_at"]
    list_select_related = ["year__county", "uploaded_by"]
    exclude = ["preview"]


@admin.register(TitleExtraQuota)
class TitleExtraQuotaAdmin(ReadOnlyMixin, SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["year", "level", "count", "document_number", "date"]
    list_select_related = ["year__county"]


@admin.register(TitleDocument)
class TitleDocumentAdmin(ReadOnlyMixin, SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["title", "number", "date", "year", "published"]
    list_select_related = ["year__county"]


@admin.register(TitlePublicObjection)
class TitlePublicObjectionAdmin(ReadOnlyMixin, SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["year", "submitted_at", "answered_at", "published"]
    list_select_related = ["year__county"]
    exclude = ["client_key"]


@admin.register(TitleFinalDecision)
class TitleFinalDecisionAdmin(ReadOnlyMixin, SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["year", "document_number", "decided_by", "decided_at"]
    list_select_related = ["year__county", "decided_by"]
