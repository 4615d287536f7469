"""python manage.py restore FILE [--noinput] [--database ALIAS] (staffing/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from staffing.backups import BackupError, database_restore, target


class Command(BaseCommand):
    help = ("Replace the whole database with the backup in FILE (made by the backup command "
            "on the same engine). Everything written since that backup is lost.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")
        parser.add_argument("--database", default="default",
                            help="the database alias to restore into (default: default)")

    def handle(self, *args, file, database, interactive, **options):
        try:
            db = target(database)
            if interactive:
                answer = input(
                    f"This replaces everything in the {db} with the backup {file}; whatever "
                    f"was written since that backup is lost.\n"
                    f"Type 'yes' to continue, or 'no' to cancel: ")
                if answer != "yes":
                    self.stdout.write("Restore cancelled: nothing changed.")
                    return
            database_restore(path=file, alias=database)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            self.stdout.write(f"restored the {db} from {file}")
