from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    """The project package as an app: its shared models are the publications (公示)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "staffing"
    verbose_name = _("publications")
