"""Responses to a logged-in user hold personal data (names, masked IDs, rosters,
intentions, results): no browser or proxy cache keeps them (issue 8, PIPL). A missing page
is the product's own, in DEBUG too, and the people a page names are looked up once per
request (issue 10). A session left unused logs out (issue 14)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from .history import staff_names

PRIVATE_NO_STORE = "private, no-store"


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every page and download served to an
    authenticated user, unless the view set its own (``never_cache`` says more).

    Static files are left alone: WhiteNoise answers them before this middleware runs,
    and their path is skipped in case another server hands them to Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not response.has_header("Cache-Control")
            and not request.path.startswith(settings.STATIC_URL)
        ):
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response


class ProductNotFoundMiddleware:
    """With ``DEBUG`` on (the demo's ``bin/serve``), Django answers a missing page with its
    technical 404 page, in English, listing the URL patterns; this answers with the
    product's own ``404.html`` instead, as without ``DEBUG``, unless ``TECHNICAL_404``
    asks for Django's page (issue 10).

    A 404 raised by a view reaches ``process_exception``; one from the URL resolver is
    already a response when it gets here (``request.resolver_match`` is still unset)."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _replaces() -> bool:
        return settings.DEBUG and not settings.TECHNICAL_404

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.resolver_match is None and self._replaces():
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and self._replaces():
            return page_not_found(request, exception)
        return None


class StaffNamesMiddleware:
    """Each login named on a page (``history.display_name``) is looked up once per
    request, however many rows it decided (issue 10)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = staff_names.set({})
        try:
            return self.get_response(request)
        finally:
            staff_names.reset(token)


LAST_ACTIVITY = "_staffing_last_activity"  # the session key: seconds since the epoch


def now() -> int:
    return int(time.time())


def idle_clock_start(sender, request, user, **kwargs):
    """On login (``user_logged_in``): the last activity is now."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = now()


class IdleLogoutMiddleware:
    """Logs out a session that made no request for ``IDLE_LOGOUT_MINUTES``, on its next
    request, and tells the login page why (issue 14).

    The time of the last request is kept in the session, written only when it is
    ``IDLE_TOUCH_SECONDS`` old or more: a page's dozen requests cost one session write a
    minute, not one each (``SESSION_SAVE_EVERY_REQUEST`` would write every time). So an
    idle logout comes up to that much later than the setting; docs/decisions.md."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        minutes = settings.IDLE_LOGOUT_MINUTES
        if minutes and request.user.is_authenticated:
            last, current = request.session.get(LAST_ACTIVITY), now()
            if last is not None and current - last > minutes * 60:
                logout(request)
                messages.info(request, _("You were logged out after a long time without "
                                         "activity. Please log in again."))
            elif last is None or current - last >= settings.IDLE_TOUCH_SECONDS:
                request.session[LAST_ACTIVITY] = current
        return self.get_response(request)
