"""python manage.py export_roster FILE.xlsx [--township NAME] (spec/roster.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.models import Township
from schools.roster import roster_sheets
from schools.services import township_for_import
from staffing.workbook import write_workbook


class Command(BaseCommand):
    help = "Export one township's roster as the workbook import_roster reads."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--township", help="township name")
        parser.add_argument("--county", help="county, where two have a township of that name")

    def handle(self, *args, file, township, county, **options):
        known = Township.objects.filter(name=township)
        if county:
            known = known.filter(county__name=county)
        if township and not known.exists():
            raise CommandError(f"no township named {township}", returncode=2)
        try:
            target = township_for_import(name=township, county=county)
        except LookupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        with file.open("wb") as stream:
            write_workbook(stream, roster_sheets(target))
        self.stdout.write(f"wrote {file}")
