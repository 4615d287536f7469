"""Faults (issue 14, item 6): a process killed in the middle of its writes, and the
database dropping every connection under load, leave no record half-written, and the
product goes on by itself afterwards.

The killed process is a real ``manage.py`` on the test database, SIGKILLed while its one
transaction is open (it logs ``roster_writing`` when the transaction begins). On
PostgreSQL the "restart" is every connection of the database terminated by the server
(``pg_terminate_backend``), which is what a restart does to its clients; SQLite has no
server, and the same test kills the writing process instead.
"""

import signal
import threading
import time
from datetime import date

import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from recruitment.models import Cycle, Phase
from schools import resident_id
from schools.models import School, Staff

from .helpers import manage
from .rosters import an_id, roster, school_row, staff_row

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 120  # seconds for any process of these tests
SCHOOLS = 20


def big_roster(rows: int) -> bytes:
    """A valid roster of ``rows`` staff at twenty schools (unique IDs)."""
    staff = []
    for k in range(1, rows + 1):
        sex = resident_id.MALE if k % 2 else resident_id.FEMALE
        born = date(1970 + k % 30, 1 + k % 12, 1 + k % 28)
        staff.append(staff_row(name=f"教师{k}", rid=an_id(k, sex=sex, born=born),
                               school=f"第{k % SCHOOLS}完小", phone=""))
    return roster([school_row(name=f"第{i}完小", establishment=1000) for i in range(SCHOOLS)],
                  staff)


def rows_written() -> dict[str, int]:
    return {"schools": School.objects.count(), "staff": Staff.objects.count(),
            "school history": get_history_model_for_model(School).objects.count(),
            "staff history": get_history_model_for_model(Staff).objects.count()}


def import_until_writing(path, township):
    """Start ``import_roster`` and return it once its write transaction has begun."""
    process = manage("import_roster", str(path), "--township", township.name)
    started = time.monotonic()
    for line in process.stdout:
        if "roster_writing" in line:
            return process
        assert time.monotonic() - started < DEADLINE, "the import never began to write"
    raise AssertionError(f"the import ended before writing: {process.wait()}")


def test_an_import_killed_midway_leaves_nothing_written_and_the_next_one_works(
        tmp_path, township):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(big_roster(1500))

    process = import_until_writing(path, township)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=DEADLINE) == -signal.SIGKILL
    assert rows_written() == {"schools": 0, "staff": 0, "school history": 0,
                              "staff history": 0}

    again = manage("import_roster", str(path), "--township", township.name)
    output, _ = again.communicate(timeout=DEADLINE)
    assert again.returncode == 0, output
    assert rows_written() == {"schools": SCHOOLS, "staff": 1500, "school history": SCHOOLS,
                              "staff history": 1500}


def terminate_every_connection(stop: threading.Event, done: list[int]) -> None:
    """What a PostgreSQL restart does to the app: every connection of the database is
    dropped by the server, again and again until ``stop``."""
    params = connection.settings_dict
    with psycopg.connect(dbname=params["NAME"], user=params["USER"],
                         password=params["PASSWORD"] or None, host=params["HOST"] or None,
                         port=params["PORT"] or None, autocommit=True) as server:
        while not stop.is_set():
            done.append(len(server.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall()))
            time.sleep(0.02)


def post_cycle(client, township, year) -> int:
    """The office creates a cycle (one transaction: the cycle, its ten phases, their
    history). After the answer the connection is closed if a fault broke it, as the end
    of every real request does (the test client leaves that to the test)."""
    status = client.post(reverse("recruitment:cycle_list"),
                         {"township": township.pk, "school_year": year}).status_code
    connection.close_if_unusable_or_obsolete()
    return status


def whole_cycles() -> list[int]:
    """Every cycle has its ten phases and its history row: none half-written."""
    cycles = list(Cycle.objects.values_list("pk", flat=True))
    phases = {pk: Phase.objects.filter(cycle_id=pk).count() for pk in cycles}
    history = get_history_model_for_model(Cycle).objects
    assert all(count == 10 for count in phases.values()), phases
    assert all(history.filter(id=pk).exists() for pk in cycles)
    return cycles


def test_the_database_dropping_every_connection_under_load_loses_and_halves_nothing(
        client, office_user, township, tmp_path):
    client.raise_request_exception = False
    client.force_login(office_user)
    if connection.vendor != "postgresql":
        # SQLite has no server to restart: its fault is the writing process dying.
        path = tmp_path / "花名册.xlsx"
        path.write_bytes(big_roster(1000))
        process = import_until_writing(path, township)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=DEADLINE)
        assert rows_written()["staff"] == 0
        answers = [post_cycle(client, township, year) for year in range(2030, 2040)]
        assert answers == [302] * 10
        assert len(whole_cycles()) == 10
        return
    stop, terminated = threading.Event(), []
    killer = threading.Thread(target=terminate_every_connection, args=(stop, terminated))
    killer.start()
    answers = []
    try:
        for year in range(2001, 2091):
            answers.append(post_cycle(client, township, year))
    finally:
        stop.set()
        killer.join(timeout=DEADLINE)
    assert sum(terminated) > 0 and 500 in answers  # the faults happened, and cost requests
    connection.close_if_unusable_or_obsolete()
    created = whole_cycles()
    # Every request answered "done" took effect; one whose connection dropped just after
    # its commit may have taken effect though it answered an error (no client can tell).
    assert answers.count(302) <= len(created) <= answers.count(302) + answers.count(500)
    # The app recovers by itself: the next request opens a new connection and works.
    assert post_cycle(client, township, 2100) == 302
    assert len(whole_cycles()) == len(created) + 1
