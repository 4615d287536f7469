"""django-tasks-db (the database backend of django-tasks) under a Chinese name in the admin:
its app's ``verbose_name`` is not translatable. Installed in its place (``INSTALLED_APPS``);
it stays the ``django_tasks_database`` app in every other respect."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDbConfig(TasksAppConfig):
    verbose_name = _("background tasks")
