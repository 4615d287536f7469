"""``/healthz``: whether this app server can serve, for a load balancer or a monitor.

One cheap query (``SELECT 1``) on the default database: 200 ``ok`` when it answers, 503
when it cannot be reached. No login, no session, no template, no other query; exempt from
the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so a proxy may check over plain HTTP.
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("healthz.database_unreachable error=%s", type(exc).__name__)
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
