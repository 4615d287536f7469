"""Plain helpers the test modules share: building a request's arguments, reading a page,
arranging a world through the services, running calls at the same moment.

Not a test module and not a conftest: the fixtures live in conftest.py, the factories in
factories.py; this holds functions a test calls with its own arguments."""

import html
import os
import re
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django_tasks_db.management.commands.db_worker import Worker

from recruitment import rules
from recruitment.models import Phase, PhaseState, Post, PostKind
from recruitment.phases import INTENTIONS, SELECTION
from recruitment.selectors import common as common_selectors
from recruitment.services import cycle as cycle_services
from recruitment.services import posts as posts_services
from schools.models import Role
from staffing.workbook import SheetSpec, workbook_bytes

from .factories import StaffFactory, UserFactory, membership

# --- pages ----------------------------------------------------------------------------------


def url(name, cycle, *args):
    """A cycle's page: ``recruitment:<name>`` with the cycle and ``args``."""
    return reverse(f"recruitment:{name}", args=[cycle.pk, *args])


def school_url(cycle, school, name="school_selection", *args):
    """A school's page in a cycle (by default its selection page)."""
    return reverse(f"recruitment:{name}", args=[cycle.pk, school.pk, *args])


def url_patterns(resolver=None, prefix=""):
    """(route, pattern name with namespace) of every named pattern of the URL resolver,
    the admin left out (tests/test_probe_junk.py, tests/test_security_url_walk.py)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from ((route, namespace + name) for route, name in
                        url_patterns(entry, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), entry.name


def route_kwargs(route: str) -> list[tuple[str, str]]:
    """(converter, name) of each parameter of a route."""
    return re.findall(r"<(\w+):(\w+)>", route)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def text(response) -> str:
    """The page's HTML with its entities read (``'`` rather than ``&#x27;``)."""
    return html.unescape(response.text)


def section(response, anchor: str) -> str:
    """The HTML of the element with id ``anchor`` up to the next section's end."""
    return text(response).split(f'id="{anchor}"', 1)[1].split("</section>")[0]


# --- people -----------------------------------------------------------------------------------


def person(school, name, born=date(1985, 5, 5)):
    """A staff member of ``school`` with a login (``s-<name>``)."""
    return StaffFactory(school=school, name=name, birth_date=born,
                        user=UserFactory(username=f"s-{name}"))


def principal_of(school, name):
    """A principal of ``school`` (login ``p-<name>``, on its staff as ``<name>校长``)."""
    user = UserFactory(username=f"p-{name}")
    StaffFactory(school=school, name=f"{name}校长", user=user)
    membership(user, Role.PRINCIPAL, school)
    return user


# --- Step 1 through the services -------------------------------------------------------------

TEXT = "葛石镇竞聘上岗方案\n一、指导思想\n公开公平。\n二、岗位设置\n先定岗位，按岗竞聘。\n"


def phase(cycle, number) -> Phase:
    return common_selectors.phase_of(cycle, number)


def run(cycle, by, *numbers, close=True):
    """Open (and close) the given phases in turn."""
    for number in numbers:
        if phase(cycle, number).state != PhaseState.OPEN:
            cycle_services.phase_open(by=by, phase=phase(cycle, number))
        if close:
            cycle_services.phase_close(by=by, phase=phase(cycle, number))


def open_phase(cycle, by, number):
    cycle_services.phase_open(by=by, phase=phase(cycle, number))


def close_phase(cycle, by, number):
    cycle_services.phase_close(by=by, phase=phase(cycle, number))


# --- Step 2 through the services -------------------------------------------------------------


def teaching(n, *, subject="语文", lessons=12, seats=1):
    return rules.PostFields(number=n, kind=PostKind.TEACHING, grade_class="三年级",
                          subject=subject, weekly_lessons=lessons, seats=seats)


def auxiliary(n, *, duty="实验室管理", seats=1):
    return rules.PostFields(number=n, kind=PostKind.AUXILIARY, duties=duty, seats=seats)


def published(cycle, office, principal, school, *fields):
    """``school``'s posts saved by its principal and published by the office."""
    posts = [
        posts_services.post_save(by=principal, cycle=cycle, school=school, fields=f) for f in fields
    ]
    posts_services.posts_publish(by=office, cycle=cycle, school=school)
    return [Post.objects.get(pk=p.pk) for p in posts]


def apply(staff, cycle, school, teaching_post, *auxiliary_posts):
    """``staff`` submits an intention with one choice at ``school``."""
    return posts_services.intention_submit(by=staff.user, cycle=cycle,
                                choices=[rules.Choice(school, teaching_post,
                                                    list(auxiliary_posts))])


def to_selection(cycle, office):
    """Phase 5 closes, phase 6 opens."""
    close_phase(cycle, office, INTENTIONS)
    open_phase(cycle, office, SELECTION)


# --- at the same moment ---------------------------------------------------------------------

THREAD_TIMEOUT = 60


def at_once(*calls):
    """Run each call in its own thread, each on its own database connection, all released
    at the same moment; return what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)
    language = translation.get_language()  # threads start with the default language

    def worker(index, call):
        try:
            connection.ensure_connection()  # connect first, so only the calls race
            barrier.wait(timeout=THREAD_TIMEOUT)
            with translation.override(language):
                outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


# --- uploads ----------------------------------------------------------------------------------

POSTS_HEADERS = ["岗位序号", "类别", "年级班级", "学科", "周课时", "职责", "任职条件", "岗位数"]


def posts_sheet(*rows, headers=POSTS_HEADERS, name="岗位") -> bytes:
    """A 岗位 workbook with ``rows`` under ``headers``."""
    return workbook_bytes([SheetSpec(name, headers, list(rows))])


def posts_upload(client, cycle, school, data, name="岗位.xlsx"):
    """The school's 岗位 sheet uploaded on its posts page."""
    return client.post(url("posts_upload", cycle, school.pk),
                       {"workbook": ContentFile(data, name=name)})


def roster_upload(client, township, data, name="花名册.xlsx"):
    """A roster workbook uploaded on the office's import page."""
    return client.post(
        reverse("schools:roster_import"),
        {"township": township.pk, "workbook": ContentFile(data, name=name)},
    )


# --- the whole database -----------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows of every model, historical tables and many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


# ---- other processes on the test database, and the background worker ----------------------


def database_url() -> str:
    """The test database as a DATABASE_URL, for a process of its own."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    auth = quote(params["USER"] or "", safe="")
    if params["PASSWORD"]:
        auth += ":" + quote(params["PASSWORD"], safe="")
    return (f"postgres://{auth}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"
            f"/{params['NAME']}")


def manage(*args):
    """``manage.py ARGS`` in a process of its own on the test database, its output piped."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=Path(settings.BASE_DIR), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "staffing.settings_test",
             "DATABASE_URL": database_url()})


def run_worker() -> None:
    """What ``manage.py db_worker --batch`` does, in this process (so in the test's
    transaction): every queued task run, then back. The command itself installs signal
    handlers, which a test process does not want; and the worker's
    ``close_old_connections`` would close the connection inside the test's transaction (as
    Django's own test case stops the request signals from doing)."""
    worker = Worker(queue_names=["default"], excluded_queue_names=[], interval=0, batch=True,
                    backend_name="default", startup_delay=False, max_tasks=None,
                    worker_id="test-worker")
    with mock.patch(f"{Worker.__module__}.close_old_connections"):
        worker.run()
