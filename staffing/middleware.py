"""Responses to a logged-in user hold personal data (names, masked IDs, rosters,
intentions, results): no browser or proxy cache keeps them (issue 8, PIPL)."""

from django.conf import settings

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
