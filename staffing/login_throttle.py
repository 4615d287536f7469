"""Login throttling on top of django-axes' username+address lockout.

django-axes locks a username+address pair after ``AXES_FAILURE_LIMIT`` failures. One
address trying one password on each of many usernames never reaches that, so this
handler also locks the whole address once its failures, across all usernames, reach
``AXES_IP_FAILURE_LIMIT`` (higher, so an office behind one NAT address is not locked by a
single person's typos).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressLimitHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus an address-wide failure limit.

    Axes compares ``get_failures`` with ``AXES_FAILURE_LIMIT`` both when a login fails
    and before each login attempt; an address past its own limit reports at least that
    many failures, so the one comparison locks it on both paths. The address count is a
    separate query rather than a second entry of ``AXES_LOCKOUT_PARAMETERS``: axes
    deletes the attempts of every lockout parameter on a successful login, so an
    ``"ip_address"`` entry would let an attacker wipe the address count by logging in
    to an account of their own.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT:
            request.axes_address_locked = True  # the lockout page says why
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off time, any username."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def client_address(request) -> str | None:
    """The address a login is counted against (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies ``REMOTE_ADDR`` is the nearest proxy,
    the same for everybody, so the address-wide limit would lock the whole township at
    once. Each proxy appends the address it saw to ``X-Forwarded-For``; the entry
    ``TRUSTED_PROXY_COUNT`` from the right is the one the outermost proxy saw (the
    entries left of it come from the client and may be forged).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
