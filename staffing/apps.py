from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

from .middleware import idle_clock_start


class StaffingConfig(AppConfig):
    """The project package as an app: its shared models are the publications (公示)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "staffing"
    verbose_name = _("publications")

    def ready(self):
        # Logging in writes the session anyway: the idle clock starts in that write, so
        # the next pages need none (IdleLogoutMiddleware).
        user_logged_in.connect(idle_clock_start, dispatch_uid="idle_clock_start")
