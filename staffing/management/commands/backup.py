"""python manage.py backup FILE [--database ALIAS] (staffing/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from staffing.backups import BackupError, database_backup


class Command(BaseCommand):
    help = ("Back up the whole database to FILE: a SQLite copy, or a pg_dump custom-format "
            "file on PostgreSQL. Restore it with the restore command.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default",
                            help="the database alias to back up (default: default)")

    def handle(self, *args, file, database, **options):
        try:
            db = database_backup(path=file, alias=database)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            self.stdout.write(f"backed up the {db} to {file} ({file.stat().st_size:,} bytes)")
