"""The admin: for office staff and superusers only, each office scoped to its townships.

Office logins hold no Django model permissions: what they may see and change here
follows their memberships (``schools.access``), the same scope the pages use. Workflow
state (an upload's status) is never edited here; uploads go through the import page.
"""


from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from staffing.admin import SafeLookupsMixin
from staffing.history import EMPTY, display_name, show_value

from . import access, services
from .forms import StaffAdminForm
from .models import (
    Assignment,
    County,
    FullIdView,
    Membership,
    Position,
    RosterImport,
    School,
    Staff,
    Township,
)
from .resident_id import mask


def _admin_has_permission(request) -> bool:
    return access.may_use_admin(request.user)


admin.site.has_permission = _admin_has_permission
admin.site.site_header = _("Teacher staffing administration")
admin.site.site_title = _("Teacher staffing")


class ScopedMixin(SafeLookupsMixin):
    """Superusers as Django grants them; office staff within their townships; junk in
    a list filter or an object id is a wrong lookup (``SafeLookupsMixin``).

    ``township_lookup`` is the path from the model to its township.
    """

    township_lookup = ""
    office_may_change = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope(request, queryset)

    def scope(self, request, queryset):
        managed = access.townships_managed(request.user).values("pk")
        return queryset.filter(**{f"{self.township_lookup}__in": managed}).distinct()

    def _office(self, request, obj=None) -> bool:
        if not access.may_use_admin(request.user):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return request.user.is_superuser or self._office(request)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._office(request, obj)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self.office_may_change and self._office(request, obj)

    def has_add_permission(self, request):
        if request.user.is_superuser:
            return super().has_add_permission(request)
        return self.office_may_change and self._office(request)

    def has_delete_permission(self, request, obj=None):
        # Deleting organisations or people loses history others rely on: superusers only.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.related_model is Township:
                kwargs["queryset"] = access.townships_managed(request.user)
            elif db_field.related_model is School:
                kwargs["queryset"] = School.objects.filter(
                    township__in=access.townships_managed(request.user).values("pk")
                )
            elif db_field.related_model is Staff:
                kwargs["queryset"] = Staff.objects.filter(
                    school__township__in=access.townships_managed(request.user).values("pk")
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ShownHistory(HistoricalRecordContextHelper):
    """The history list's changes as the pages show them (issue 10, ``show_value``): a
    choice by its label, yes or no, a local date and time, an unset value as a dash, and
    the values recorded as untranslated msgids (``translated``, such as a position's end
    reason) in the reader's language."""

    translated: tuple[str, ...] = ()

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(value, DeletedObject):  # a foreign key unset, or its row deleted
            return EMPTY if value.pk is None else f"#{value.pk}"
        if isinstance(value, get_user_model()):  # a login, named as a person is
            return display_name(value)
        if field.many_to_many or field.is_relation:
            return super().prepare_delta_change_value(change, value)
        if change.field in self.translated and value:
            return gettext(value)
        return show_value(field, value, {})


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin in the reader's language, naming people (issue 10).

    Its history list is ours (``admin/history_list.html``): who changed a row by their
    name, not their login, a change reason (an untranslated msgid) translated, and
    without the inline style attribute of simple-history's, which the
    Content-Security-Policy refuses.
    """

    object_history_list_template = "admin/history_list.html"
    history_helper = ShownHistory

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        return super().get_history_queryset(
            request, history_manager, pk_name, object_id
        ).select_related("history_user__staff_profile")

    def get_historical_record_context_helper(self, request, historical_record):
        return self.history_helper(self.model, historical_record)


class ScopedAdmin(ScopedMixin, HistoryAdmin):
    """A scoped admin for a model with history (django-simple-history)."""


@admin.register(County)
class CountyAdmin(ScopedAdmin):
    township_lookup = "townships"
    office_may_change = False
    search_fields = ["name"]


@admin.register(Township)
class TownshipAdmin(ScopedAdmin):
    township_lookup = "pk"
    office_may_change = False
    list_display = ["name", "county"]
    list_filter = [("county", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(ScopedAdmin):
    township_lookup = "township"
    list_display = ["name", "township", "kind", "remote", "establishment", "post_count"]
    list_filter = ["kind", "remote", ("township", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["township"]
    search_fields = ["name"]


class MaskedIdHistory(ShownHistory):
    """The history list's changes with resident IDs masked: an ID changed by a
    correction would otherwise stand there in full, twice, with nothing recorded."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "resident_id" and value:
            return mask(value)
        return super().prepare_delta_change_value(change, value)


@admin.register(Staff)
class StaffAdmin(ScopedAdmin):
    """The full resident ID is on the change form (to correct it), and every opening
    is recorded; the history pages (the list of changes and each past version) show it
    masked."""

    form = StaffAdminForm
    township_lookup = "school__township"
    list_display = ["name", "masked_id", "school", "subject", "title"]
    list_filter = [("school", admin.RelatedOnlyFieldListFilter), "title"]
    list_select_related = ["school"]
    search_fields = ["name", "=resident_id", "subject"]
    raw_id_fields = ["user"]

    @admin.display(description=_("resident ID"))
    def masked_id(self, staff):
        return staff.masked_id

    def get_readonly_fields(self, request, obj=None):
        # Linking a login to a record grants that login the record: superusers only.
        readonly = [] if request.user.is_superuser else ["user"]
        if getattr(request, "_staff_history_version", False):
            readonly.append("masked_id")
        return readonly

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "masked_id"]
        if getattr(request, "_staff_history_version", False):
            fields = ["masked_id" if f == "resident_id" else f for f in fields]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            staff = self.get_object(request, object_id)
            if staff is not None:
                services.full_id_reveal(by=request.user, staff=staff, kind=FullIdView.Kind.ADMIN)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version shows the ID masked and read-only; reverting keeps today's.
        request._staff_history_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    history_helper = MaskedIdHistory


class PositionHistory(ShownHistory):
    translated = ("end_reason",)  # the services' msgids (R3_REASON, "roster import")


@admin.register(Position)
class PositionAdmin(ScopedAdmin):
    """Positions change with the roster and the cycle's services (R3, R4)."""

    history_helper = PositionHistory

    township_lookup = "school__township"
    office_may_change = False
    list_display = ["staff", "title", "school", "start_date", "end_date"]
    list_filter = [("school", admin.RelatedOnlyFieldListFilter), "title"]
    list_select_related = ["staff", "school"]
    search_fields = ["staff__name", "title"]
    raw_id_fields = ["staff"]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """Who may see what: granted by superusers, shown to the offices concerned."""

    office_may_change = False
    list_display = ["user", "role", "county", "township", "school"]
    list_filter = ["role"]
    list_select_related = ["user", "county", "township", "school"]
    search_fields = ["user__username", "school__name", "township__name"]
    raw_id_fields = ["user"]

    def scope(self, request, queryset):
        managed = access.townships_managed(request.user).values("pk")
        return queryset.filter(
            Q(township__in=managed)
            | Q(school__township__in=managed)
            | Q(county__in=access.scope_of(request.user).county_ids)
        )


@admin.register(RosterImport)
class RosterImportAdmin(ScopedMixin, admin.ModelAdmin):
    """Uploads are made and confirmed on the import page; here they are only shown.

    A plain ModelAdmin: an upload keeps no django-simple-history (its status moves
    only through the import services, which stamp who and when).
    """

    township_lookup = "township"
    office_may_change = False
    exclude = ["file"]  # kept under the media root, which is not served: personal data
    list_display = [
        "original_name",
        "township",
        "status",
        "uploaded_by",
        "uploaded_at",
        "committed_by",
        "committed_at",
    ]
    list_filter = ["status", ("township", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["township", "uploaded_by", "committed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_display = ["staff", "school", "previous_school", "kind", "start_date", "end_date"]
    list_filter = ["kind", "school_year"]
    list_select_related = ["staff", "school", "previous_school"]
    raw_id_fields = ["staff", "school", "previous_school"]
