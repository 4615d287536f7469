"""attendance in the admin: read-mostly views of the records, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from attendance.models import AttendanceRecord, AttendanceSettings, CalendarDay, LeaveRequest
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
