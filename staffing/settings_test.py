"""Test settings: the production settings with test-only keys and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from such a thread unless told it is safe (live_server tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from .settings import *  # noqa: E402,F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared-cache in-memory test database: there a second writer
    # fails at once ("database table is locked") instead of waiting its turn as the
    # IMMEDIATE transactions of the production settings make it, so the race tests
    # (tests/test_vote_races.py) would not see what production does. One file per run,
    # so two runs side by side never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"staffing-test-{os.getpid()}.sqlite3")
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
AXES_ENABLED = True
# Serve static files from the app folders in tests: no collectstatic, no warning.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
