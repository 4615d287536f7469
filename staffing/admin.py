"""What every ModelAdmin of the project shares: junk in a list filter or an object id
is a wrong lookup, never a 500.

Django's admin turns a filter it cannot build into ``IncorrectLookupParameters`` (the
changelist redirects with ``?e=1``), but a value it can build and the database cannot
bind — a 25-digit ``?school=`` (``OverflowError`` on SQLite, ``DataError`` on
PostgreSQL), a NUL byte (``ValueError`` from the PostgreSQL driver) — only fails when
the query runs, past that net. Every project ModelAdmin (through ``schools.admin``'s
``ScopedMixin``) and the logins' admin registered here catch it there.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import DataError, transaction
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult
from simple_history.admin import SimpleHistoryAdmin

from staffing.models import Objection, Publication

UNBINDABLE = (OverflowError, DataError, ValueError)


class SafeLookupsMixin:
    def get_changelist_instance(self, request):
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL's error ends only it
                return super().get_changelist_instance(request)
        except UNBINDABLE as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_object(self, request, object_id, from_field=None):
        """None (the admin's "does not exist" redirect) for an id the database cannot
        bind."""
        try:
            with transaction.atomic():
                return super().get_object(request, object_id, from_field)
        except UNBINDABLE:
            return None


class ReadOnlyMixin:
    """An admin that shows records and changes none: they change through their pages'
    services, which check the rules and record who."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SafeUserAdmin(SafeLookupsMixin, UserAdmin):
    pass


class SafeGroupAdmin(SafeLookupsMixin, GroupAdmin):
    pass


for model, model_admin in ((User, SafeUserAdmin), (Group, SafeGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)

# The other apps' admins registered before ours (django-axes' login records): the same net.
@admin.register(Publication)
class PublicationAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    """The publications (公示) of every app, with their history (read in the admin)."""

    list_display = ["kind", "key", "township", "school", "published_at"]
    list_filter = ["kind"]
    list_select_related = ["township", "school"]
    raw_id_fields = ["school"]


@admin.register(Objection)
class ObjectionAdmin(SafeLookupsMixin, SimpleHistoryAdmin):
    list_select_related = ["publication", "staff"]
    raw_id_fields = ["staff", "publication"]


class TaskResultAdmin(SafeLookupsMixin, DBTaskResultAdmin):
    """django-tasks-db's queue (the background tasks, read-only), its task column under a
    translated name (the library's is a property's name)."""

    list_display = ["id", "task", "status", "enqueued_at", "started_at", "finished_at",
                    "priority", "queue_name"]

    @admin.display(description=_("task"))
    def task(self, obj):
        return obj.task_name


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)


for model, model_admin in list(admin.site._registry.items()):
    if not isinstance(model_admin, SafeLookupsMixin):
        safe = type(f"Safe{type(model_admin).__name__}", (SafeLookupsMixin, type(model_admin)), {})
        admin.site.unregister(model)
        admin.site.register(model, safe)
