"""python manage.py migrate_locked [migrate's arguments]: migrate, one app server at a time.

Django's migrate takes no lock: two app servers starting together on one PostgreSQL
would both apply the same migration, and one fails (a table that already exists). This
holds a PostgreSQL advisory lock around migrate, so the second waits and then finds
nothing left to do. SQLite serves one machine; there migrate runs as it is.
"""

from contextlib import contextmanager

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

# pg_advisory_lock's key: any bigint the product uses for nothing else.
MIGRATE_LOCK = 7_214_140_001


@contextmanager
def advisory_lock(alias: str):
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK])


class Command(MigrateCommand):
    help = "Migrate, holding a PostgreSQL advisory lock so app servers migrate one at a time."

    def handle(self, *args, **options):
        with advisory_lock(options["database"]):
            super().handle(*args, **options)
