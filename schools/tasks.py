"""Background tasks of the schools app (django-tasks, run by ``manage.py db_worker``).

Each task is a thin wrapper over a service: the service checks, writes and records
history in one transaction, as it does when a page calls it, so a worker killed midway
leaves nothing written. Arguments are ids (the task's row keeps them as JSON).
"""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import services
from .models import RosterImport


@task()
def roster_commit(*, record_pk: int, by_pk: int) -> dict:
    """Import a large previewed roster that ``services.roster_upload_confirm`` queued, as
    the login that confirmed it. Returns whether it was written and its summary."""
    by = get_user_model().objects.get(pk=by_pk)
    record = RosterImport.objects.get(pk=record_pk)
    result = services.roster_upload_commit(by=by, record=record)
    return {"written": result.written, "summary": result.plan.summary()}
