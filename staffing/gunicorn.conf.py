"""gunicorn's configuration for the production server (``bin/serve --prod``).

Every value comes from the environment, so one file serves every app server of a county;
the README's operations section lists the variables. Workers are synchronous processes:
each holds one database connection (``CONN_MAX_AGE``), so workers × app servers must stay
under PostgreSQL's ``max_connections``.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "staffing.wsgi:application"

# Loopback unless told otherwise: the reverse proxy on the same machine reaches it there.
bind = [address.strip() for address in
        os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address.strip()]
# gunicorn's own rule of thumb, two per core plus one; WEB_CONCURRENCY is the name most
# hosting platforms set.
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# A request longer than this is killed and its worker replaced (long work belongs in a task).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (a jitter apart, so not all at once), which
# bounds what any slow leak can grow to.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10

# The addresses of the reverse proxies whose X-Forwarded-* headers gunicorn believes (the
# scheme, for wsgi.url_scheme); Django's own settings read the same headers
# (SECURE_PROXY_SSL_HEADER, TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access and error logs to standard output and error, for the service manager to keep.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The workers' heartbeat files in memory rather than on a disk that may stall.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
# gunicorn's control socket (for gunicornc) only where a path is given: its default is one
# path per user, which two servers on one machine would both claim.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
