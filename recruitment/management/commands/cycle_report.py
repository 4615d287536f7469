"""python manage.py cycle_report [--year YEAR] [--township NAME] --export FILE.xlsx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recruitment.models import Cycle
from recruitment.selectors import cycle as cycle_selectors
from staffing.workbook import write_workbook


class Command(BaseCommand):
    help = "Write a cycle's phases (sheet 环节) and congress votes (sheet 表决) to a workbook."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="school year (default: the latest cycle)")
        parser.add_argument("--township", help="township name (needed with several)")
        parser.add_argument("--export", type=Path, required=True, metavar="FILE.xlsx")

    def handle(self, *args, year, township, export, **options):
        cycles = Cycle.objects.select_related("township")
        if township:
            cycles = cycles.filter(township__name=township)
        if year:
            cycles = cycles.filter(school_year=year)
        latest = cycles.order_by("-school_year").first()
        if latest is None:
            raise CommandError("no such cycle", returncode=2)
        if cycles.filter(school_year=latest.school_year).count() > 1:
            raise CommandError("several townships have that cycle; add --township",
                               returncode=2)
        with export.open("wb") as stream:
            write_workbook(stream, cycle_selectors.cycle_report_sheets(latest))
        self.stdout.write(f"wrote {export} for {latest}")
