"""attendance in the admin: read-mostly views of the records, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from attendance.models import (
    AttendanceImport,
    AttendanceRecord,
    AttendanceSettings,
    CalendarDay,
    Contract,
    ContractCopy,
    ContractTemplate,
    LeaveAuthority,
    LeaveDecision,
    LeaveRequest,
)
from staffing.admin import SafeLookupsMixin


@admin.register(AttendanceSettings)
class AttendanceSettingsAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["township", "contract_filing_days", "objection_working_days"]


@admin.register(CalendarDay)
class CalendarDayAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["township", "date", "working", "name"]
    list_filter = ["working"]


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["date", "staff", "school", "status", "recorded_by"]
    list_filter = ["status"]
    list_select_related = ["staff", "school", "recorded_by"]
    raw_id_fields = ["staff", "school", "leave"]
    date_hierarchy = "date"


@admin.register(LeaveRequest)
class LeaveRequestAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["staff", "kind", "start_date", "end_date", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["staff"]
    raw_id_fields = ["staff", "school"]


@admin.register(ContractTemplate)
class ContractTemplateAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["township", "title", "updated_by", "updated_at"]
    list_select_related = ["township", "updated_by"]


class ContractCopyInline(admin.TabularInline):
    model = ContractCopy
    extra = 0
    can_delete = False
    fields = ["kind", "signed_by", "signed_at", "filed_by", "filed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    """Read-mostly: contracts are drawn up, edited and their copies recorded through the
    contracts pages (attendance.services.contracts), which keep the rules."""

    list_display = ["staff", "school", "term_start", "filing_deadline"]
    list_select_related = ["staff", "school"]
    raw_id_fields = ["hire", "cycle", "school", "staff"]
    readonly_fields = ["hire", "cycle", "school", "staff", "drawn_up_by", "drawn_up_at",
                       "edited_by", "edited_at"]
    inlines = [ContractCopyInline]


@admin.register(LeaveAuthority)
class LeaveAuthorityAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_select_related = ["township", "school"]
    raw_id_fields = ["school"]


@admin.register(LeaveDecision)
class LeaveDecisionAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_select_related = ["leave__staff", "decided_by"]
    raw_id_fields = ["leave"]


@admin.register(AttendanceImport)
class AttendanceImportAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_select_related = ["township", "school", "uploaded_by"]
    raw_id_fields = ["school"]
