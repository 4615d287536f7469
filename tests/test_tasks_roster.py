"""A large roster's confirm runs as a background task (issue 14, items 2 and 6): django-tasks
with its database backend, the task run by the worker code (``db_worker``) in this process,
and once in a process of its own that is killed midway.

Small rosters stay synchronous (tests/test_roster_page.py); here ``BACKGROUND_ROWS`` is
lowered so a four-row roster counts as large."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from schools import services
from schools.models import RosterImport, Staff

from .helpers import database_url, messages_of, run_worker
from .helpers import roster_upload as upload
from .rosters import an_id, roster, school_row, staff_row

pytestmark = pytest.mark.usefixtures("english_pages", "media_root")

ROOT = Path(settings.BASE_DIR)
WORKER_KILLED = Path(__file__).with_name("worker_killed.py")
STAFF = 3
# One school and three staff: four rows, above the threshold.
ROSTER = roster(schools=[school_row()],
                staff=[staff_row(name=f"张{n}", rid=an_id(2 * n + 1)) for n in range(STAFF)])


@pytest.fixture(autouse=True)
def large_from_four_rows(settings):
    settings.BACKGROUND_ROWS = 3


@pytest.fixture
def office(login, office_user):
    return login(office_user)


def preview_url(record):
    return reverse("schools:roster_preview", args=[record.pk])


def confirm(client, record):
    return client.post(reverse("schools:roster_confirm", args=[record.pk]), follow=True)


def uploaded(client, township) -> RosterImport:
    upload(client, township, ROSTER)
    return RosterImport.objects.get()


def test_a_large_roster_is_queued_then_imported_by_the_worker(office, office_user, township):
    record = uploaded(office, township)

    queued = confirm(office, record)

    assert queued.redirect_chain[-1][0] == preview_url(record)
    assert messages_of(queued)[-1] == (
        "“花名册.xlsx” is being imported in the background; this page shows how far it is.")
    assert "waiting for the background worker" in queued.text
    assert '<meta http-equiv="refresh" content="3">' in queued.text
    assert "Confirm and import" not in queued.text
    assert Staff.objects.count() == 0  # nothing written in the request
    listed = office.get(reverse("schools:roster_import"))
    assert '<td class="status-previewed">waiting for the background worker</td>' in listed.text
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["kwargs"] == {"record_pk": record.pk, "by_pk": office_user.pk}
    record.refresh_from_db()
    assert (record.task_id, record.queued_by) == (task.id, office_user)

    run_worker()

    done = office.get(preview_url(record))
    task.refresh_from_db()
    record.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value["written"] is True
    assert record.status == RosterImport.Status.COMMITTED
    assert record.committed_by == office_user
    assert Staff.objects.filter(school__township=township).count() == STAFF
    assert "imported in the background" in done.text
    assert ("Roster imported into 葛石镇. Schools created: 1; staff created: 3; "
            "staff updated: 0.") in done.text
    assert "http-equiv" not in done.text  # ended: no more refreshing


def test_a_roster_at_the_threshold_is_imported_in_the_request(office, township, settings):
    settings.BACKGROUND_ROWS = 1 + STAFF
    record = uploaded(office, township)

    confirmed = confirm(office, record)

    assert confirmed.redirect_chain[-1][0] == reverse("schools:roster_import")
    assert Staff.objects.count() == STAFF
    assert not DBTaskResult.objects.exists()


def test_a_double_confirm_queues_once(office, township):
    record = uploaded(office, township)
    confirm(office, record)

    again = confirm(office, record)

    assert messages_of(again)[-1] == "This upload is already being imported in the background."
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert Staff.objects.count() == STAFF


def test_only_the_townships_office_sees_or_confirms_it(
        office, township, client, foreign_office, teacher_user):
    record = uploaded(office, township)
    confirm(office, record)

    client.force_login(foreign_office)
    assert client.get(preview_url(record)).status_code == 404
    assert client.post(reverse("schools:roster_confirm", args=[record.pk])).status_code == 404
    client.force_login(teacher_user)
    assert client.get(preview_url(record)).status_code == 403
    assert DBTaskResult.objects.count() == 1


def test_a_task_that_fails_midway_writes_nothing_and_may_be_confirmed_again(
        office, township, monkeypatch):
    record = uploaded(office, township)
    confirm(office, record)
    written_before_failing = []

    def fail(**kwargs):  # called by roster_apply once the schools and staff are written
        written_before_failing.append(Staff.objects.count())
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "positions_end", fail)
    run_worker()
    monkeypatch.undo()

    failed = office.get(preview_url(record))
    assert written_before_failing == [STAFF]  # the staff rows were written, then undone
    assert Staff.objects.count() == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert "the background import failed; nothing was imported" in failed.text
    assert "Confirm and import" in failed.text

    confirm(office, record)
    run_worker()
    assert Staff.objects.count() == STAFF
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]


@pytest.mark.django_db(transaction=True)  # the worker is another process: data committed
def test_a_worker_killed_mid_task_writes_nothing_and_the_office_sees_it_stalled(
        office, township, media_root, tmp_path, settings):
    record = uploaded(office, township)
    confirm(office, record)
    seen = tmp_path / "staff-seen"

    worker = subprocess.run(
        [sys.executable, str(WORKER_KILLED), str(media_root), str(seen)], cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "staffing.settings_test",
             "DATABASE_URL": database_url()},
        capture_output=True, text=True, timeout=60, check=False)

    assert worker.returncode == -signal.SIGKILL, worker.stdout + worker.stderr
    assert seen.read_text() == str(STAFF)  # it had written the staff rows when it died
    assert Staff.objects.count() == 0
    record.refresh_from_db()
    assert record.status == RosterImport.Status.PREVIEWED
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.RUNNING  # django-tasks-db does not notice
    running = office.get(preview_url(record))
    assert "importing in the background" in running.text

    settings.BACKGROUND_STALE_MINUTES = 0  # as the office sees it once the minutes pass
    stalled = office.get(preview_url(record))
    assert "no progress: the background worker may have stopped" in stalled.text
    assert "Confirm and import" in stalled.text

    confirm(office, record)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "schools.services.WorkerLost"
    run_worker()
    assert Staff.objects.count() == STAFF
