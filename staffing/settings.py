"""Settings, all from the environment (django-environ).

With nothing set the product runs on an embedded SQLite file under ``var/``;
``DATABASE_URL`` switches to PostgreSQL, the production engine. App servers keep no
state of their own but uploaded files under ``MEDIA_ROOT``, so several can run behind
one PostgreSQL.
"""

import os
from pathlib import Path

import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# With DEBUG on, a missing page is still the product's 404 page unless this asks for
# Django's technical one (URL patterns listed, in English).
TECHNICAL_404 = env.bool("TECHNICAL_404", default=False)

# SECRET_KEY must be shared by every app server, so with DATABASE_URL set (several
# servers over one PostgreSQL) it must come from the environment. On the embedded
# SQLite file (one machine) a key is generated once and kept beside the database.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if "DATABASE_URL" in os.environ:
        raise ImproperlyConfigured("Set SECRET_KEY: every app server must share one key.")
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(get_random_secret_key())
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "staffing.axes_app.AxesConfig",  # django-axes, under a translated name
    "csp",
    "django_tasks",
    "staffing.tasks_app.TasksDbConfig",  # django-tasks-db: the queue table, db_worker
    "staffing",
    "schools",
    "recruitment",
    "attendance",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages and downloads with personal data are not cached (issue 8).
    "staffing.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session unused for IDLE_LOGOUT_MINUTES is logged out on its next request (issue 14).
    "staffing.middleware.IdleLogoutMiddleware",
    # The product's 404 page in DEBUG too (the demo), unless TECHNICAL_404 (issue 10).
    "staffing.middleware.ProductNotFoundMiddleware",
    # A login named on a page is looked up once per request (issue 10).
    "staffing.middleware.StaffNamesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "staffing.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "staffing.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "staffing.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'staffing.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other instead of failing ("database is
    # locked") or losing an update: IMMEDIATE takes the write lock at BEGIN.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Every password a person sets (the password change page, the admin's user pages) and
# every one the product generates (a guest voter's) passes these; Django's messages for
# them are in its own zh-hans catalogue. Not like the login name (or the name on it), at
# least PASSWORD_MIN_LENGTH characters, not among the 20,000 most common, not all digits
# (a birthday or a phone number).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=8)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+address pair after repeated
# failures, and a whole address after more failures across any usernames (see
# staffing/login_throttle.py); the database keeps the counts shared by every app server.
AXES_HANDLER = "staffing.login_throttle.AddressLimitHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
# How many reverse proxies in front of the app servers append to X-Forwarded-For: the
# client address is read from it, not from REMOTE_ADDR (the proxy's own address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "staffing.login_throttle.client_address"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content-Security-Policy (django-csp), enforced: scripts, styles, fonts and images
# only from our own static files (images also as data: URLs), no inline script, style
# or event handler, no plugins, forms post only here, and no page may frame ours.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded workbooks: the largest file accepted, and the zip-bomb limits checked
# before openpyxl opens it (see staffing/workbook.py).
WORKBOOK_MAX_UPLOAD_BYTES = env.int("WORKBOOK_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# A 50,000-row roster unpacks to 30 MiB at 9 times its size (docs/decisions.md).
WORKBOOK_MAX_UNCOMPRESSED_BYTES = env.int(
    "WORKBOOK_MAX_UNCOMPRESSED_BYTES", default=64 * 1024 * 1024
)
WORKBOOK_MAX_ENTRIES = 500
WORKBOOK_MAX_RATIO = env.int("WORKBOOK_MAX_RATIO", default=100)
# Rows read from a sheet (past it the file is refused) and wrong rows checked in a
# file (past it checking stops, saying so).
WORKBOOK_MAX_ROWS = env.int("WORKBOOK_MAX_ROWS", default=50_000)
WORKBOOK_MAX_ERRORS = env.int("WORKBOOK_MAX_ERRORS", default=1_000)
# An attendance workbook holds a county's month (10,000 staff × 22 working days).
ATTENDANCE_MAX_ROWS = env.int("ATTENDANCE_MAX_ROWS", default=400_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background tasks (django-tasks with its database backend, django-tasks-db): the queue is
# a table in the database, run by `manage.py db_worker` beside the app servers (README,
# Operations). A roster import of more than BACKGROUND_ROWS rows (schools and staff) is
# confirmed in the background; smaller ones at once, in the request. A task still running
# BACKGROUND_STALE_MINUTES after it started (its worker was killed, say) or still waiting
# that long for a worker is shown as stalled, and the import may be confirmed again.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BACKGROUND_ROWS = env.int("BACKGROUND_ROWS", default=2_000)
BACKGROUND_STALE_MINUTES = env.int("BACKGROUND_STALE_MINUTES", default=15)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# django-import-export: nobody imports through it unless granted this permission;
# our imports go through the validated bulk services instead.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# seed_demo's steps after the roster and logins, each called with the demo township.
DEMO_SEED_STEPS = ["recruitment.demo.seed_cycle", "recruitment.demo.seed_step2",
                   "attendance.demo.seed_term", "evaluation.demo.seed_year",
                   "evaluation.demo.seed_county"]
# seed_demo --stage: the stages the steps above take (recruitment.demo.STAGES), the index
# of the default one, and the error they raise for a stage an existing demo is not at.
DEMO_SEED_STAGES = ["plan", "vote", "intentions", "selection", "outcome", "term"]
DEMO_SEED_DEFAULT = 5
DEMO_SEED_ERROR = "recruitment.demo.DemoStageError"
# seed_demo --county: the steps after each county township's roster and logins, called
# with the township, its office's and reviewing principal's usernames, the prefix of its
# representatives' logins and the stage (recruitment.demo.seed_county_township).
DEMO_COUNTY_STEPS = ["recruitment.demo.seed_county_township"]

# Django's default, said aloud: a cache in each process's memory, which nothing uses to
# keep state. Sessions, login failures (django-axes' database handler) and every abuse
# limit live in the database, shared by every app server; a cache that has to be shared
# must not be this one.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer checks each app server directly, over plain HTTP (staffing/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Idle logout (staffing.middleware.IdleLogoutMiddleware): a session with no request for
# this many minutes is logged out on its next one; 0 turns it off. The last activity is
# written to the session at most once per IDLE_TOUCH_SECONDS, not on every request.
IDLE_LOGOUT_MINUTES = env.int("IDLE_LOGOUT_MINUTES", default=30)
IDLE_TOUCH_SECONDS = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"event": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "event"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF (the contracts) at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
