"""django-axes under a Chinese name in the admin: its app has no ``verbose_name``, so the
admin shows its label, "Axes", in every language (issue 10). Installed in its place
(``INSTALLED_APPS``); it stays the ``axes`` app in every other respect."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    verbose_name = _("login attempts")
