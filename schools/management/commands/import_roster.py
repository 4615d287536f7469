"""python manage.py import_roster FILE.xlsx [--township NAME] [--dry-run] (spec/roster.md)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.services import roster_import, township_for_import
from staffing.workbook import WorkbookError


class Command(BaseCommand):
    help = "Import the roster workbook (sheets 学校 and 教职工) into one township: all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--township", help="township name (created when new)")
        parser.add_argument("--county", help="county of a new township")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")

    def handle(self, *args, file, township, county, dry_run, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from None
        try:
            target = township_for_import(name=township, county=county)
        except LookupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            result = roster_import(by=None, township=target, data=data, dry_run=dry_run)
        except WorkbookError as exc:
            self.stderr.write(f"{file}: {exc}")
            sys.exit(1)
        if not result.ok:
            for line in result.error_lines:
                self.stderr.write(line)
            sys.exit(1)
        s = result.plan.summary()
        self.stdout.write(
            ("dry run, nothing written: " if dry_run else "")
            + f"township {target.name}: schools {s['schools_created']} created, "
            f"{s['schools_updated']} updated, {s['schools_unchanged']} unchanged; "
            f"staff {s['staff_created']} created, {s['staff_updated']} updated, "
            f"{s['staff_unchanged']} unchanged; positions {s['positions_opened']} opened, "
            f"{s['positions_closed']} closed"
        )
