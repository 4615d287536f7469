"""The production server (issue 14, item 1): gunicorn's configuration reads the
environment and gunicorn serves ``/healthz`` from it on the production settings;
``bin/serve --prod`` names what it lacks; ``migrate_locked`` waits for another app
server's migrate on PostgreSQL."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string
from gunicorn.config import Config

from staffing.management.commands.migrate_locked import MIGRATE_LOCK, advisory_lock

from .helpers import database_url

ROOT = Path(settings.BASE_DIR)
CONFIG = ROOT / "staffing" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")
DEADLINE = 10  # seconds: a server, or a waiting migrate, that takes longer has failed
# For the tests that start a process on the test database: it is set up, and no
# transaction of the test's own holds it.
other_process = pytest.mark.django_db(transaction=True)


def config(monkeypatch, **env):
    """The settings the config file makes under ``env`` (the other variables unset)."""
    for name in ["GUNICORN_BIND", "GUNICORN_WORKERS", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT",
                 "FORWARDED_ALLOW_IPS", "GUNICORN_CONTROL_SOCKET"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {k: v for k, v in runpy.run_path(str(CONFIG)).items()
            if not k.startswith("_") and not callable(v) and not isinstance(v, type(os))}


def test_the_config_defaults_to_loopback_and_two_workers_per_core_plus_one(monkeypatch):
    values = config(monkeypatch)
    assert values["bind"] == ["127.0.0.1:8000"]
    assert values["workers"] == 2 * os.cpu_count() + 1
    assert values["wsgi_app"] == "staffing.wsgi:application"
    assert values["accesslog"] == "-"
    assert values["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_the_config_reads_the_environment(monkeypatch):
    values = config(monkeypatch, GUNICORN_BIND="0.0.0.0:9000,[::]:9000", GUNICORN_WORKERS="3",
                    GUNICORN_TIMEOUT="90", FORWARDED_ALLOW_IPS="10.0.0.5")
    assert values["bind"] == ["0.0.0.0:9000", "[::]:9000"]
    assert values["workers"] == 3
    assert values["timeout"] == 90
    assert values["forwarded_allow_ips"] == "10.0.0.5"
    assert config(monkeypatch, WEB_CONCURRENCY="7")["workers"] == 7
    assert config(monkeypatch)["control_socket_disable"]
    served = config(monkeypatch, GUNICORN_CONTROL_SOCKET="/run/staffing/gunicorn.ctl")
    assert not served["control_socket_disable"]
    assert served["control_socket"] == "/run/staffing/gunicorn.ctl"


def test_every_name_of_the_config_is_a_gunicorn_setting(monkeypatch):
    gunicorn = Config()
    for name, value in config(monkeypatch).items():
        assert name in gunicorn.settings, name
        gunicorn.set(name, value)  # gunicorn's own validation of the value
    assert gunicorn.workers == 2 * os.cpu_count() + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    """(status, body) of a GET that follows no redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=DEADLINE) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@other_process
def test_gunicorn_serves_healthz_on_the_production_settings(tmp_path):
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "staffing.settings",
           "DATABASE_URL": database_url(), "SECRET_KEY": "x" * 50, "GUNICORN_WORKERS": "1",
           "GUNICORN_BIND": f"127.0.0.1:{port}"}
    env.pop("DEBUG", None)
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([GUNICORN, "--config", CONFIG], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        started = time.monotonic()
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() - started < DEADLINE, log.read_text()
                time.sleep(0.1)
        assert (status, body) == (200, b"ok\n")  # over plain HTTP: not redirected
        assert get(f"http://127.0.0.1:{port}/accounts/login/")[0] == 301  # the rest is
    finally:
        server.terminate()
        server.wait(timeout=DEADLINE)
    assert '"GET /healthz HTTP/1.1" 200' in log.read_text()  # the access log


def test_serve_prod_names_the_settings_it_lacks():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    result = subprocess.run([ROOT / "bin" / "serve", "--prod"], env=env, capture_output=True,
                            text=True, timeout=DEADLINE, check=False)
    assert result.returncode == 2
    assert "set DATABASE_URL SECRET_KEY" in result.stderr


def manage(*args):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "staffing.settings_test",
             "DATABASE_URL": database_url()})


@other_process
def test_migrate_locked_migrates():
    migrate = manage("migrate_locked", "--no-input")
    output, _ = migrate.communicate(timeout=60)
    assert migrate.returncode == 0, output
    assert "No migrations to apply." in output


@other_process
def test_migrate_locked_waits_for_another_app_servers_migrate():
    if connection.vendor != "postgresql":
        # SQLite serves one machine: the command is migrate itself, with no lock taken.
        with CaptureQueriesContext(connection) as queries, advisory_lock("default"):
            pass
        assert queries.captured_queries == []
        return
    params = connection.settings_dict
    other_server = psycopg.connect(
        dbname=params["NAME"], user=params["USER"], password=params["PASSWORD"] or None,
        host=params["HOST"] or None, port=params["PORT"] or None, autocommit=True)
    other_server.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK])
    migrate = manage("migrate_locked", "--no-input")
    try:
        started = time.monotonic()
        while not other_server.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND classid::bigint = %s AND objid::bigint = %s",
                [MIGRATE_LOCK >> 32, MIGRATE_LOCK & 0xFFFFFFFF]).fetchone():
            assert migrate.poll() is None, migrate.stdout.read()
            assert time.monotonic() - started < DEADLINE
            time.sleep(0.1)
        assert migrate.poll() is None  # waiting for the lock
    finally:
        other_server.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK])
        other_server.close()
    output, _ = migrate.communicate(timeout=60)
    assert migrate.returncode == 0, output
    assert "No migrations to apply." in output


def test_app_servers_share_their_state_through_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert issubclass(import_string(settings.AXES_HANDLER), AxesDatabaseHandler)
    assert settings.MESSAGE_STORAGE.endswith(("FallbackStorage", "CookieStorage"))
