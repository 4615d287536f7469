"""``manage.py db_worker --batch`` whose roster import kills its own process (SIGKILL: no
clean-up, no exception handler runs) once the schools and staff are written, inside the
import's transaction. Run as a script by tests/test_tasks_roster.py on the test database
(``DATABASE_URL``): ``worker_killed.py MEDIA_ROOT SEEN_FILE``; it writes the number of
staff rows it saw before dying to ``SEEN_FILE``."""

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from schools import services  # noqa: E402
from schools.models import Staff  # noqa: E402

settings.MEDIA_ROOT = sys.argv[1]  # the test's own uploads directory
seen = Path(sys.argv[2])


def killed(**kwargs):  # roster_apply calls it once the schools and staff are written
    seen.write_text(str(Staff.objects.count()))
    os.kill(os.getpid(), signal.SIGKILL)


services.positions_end = killed
call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
