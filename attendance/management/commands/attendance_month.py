"""python manage.py attendance_month YYYY-MM [--export FILE.xlsx] [--township NAME]
(shared/spec/attendance.md, "Month"): the month's sheet 月汇总 exactly as the spec gives
it, one row per staff member with any record that month, of every township or of one.
Without ``--export`` it prints the month's figures per school."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from attendance import rules, sheets
from attendance.selectors import month as month_selectors
from schools.models import Township
from staffing.workbook import write_workbook


class Command(BaseCommand):
    help = "Write a month's attendance sheet (月汇总) as the spec gives it."

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--export", type=Path, help="the workbook to write")
        parser.add_argument("--township", help="township name (default: every township)")

    def handle(self, *args, month, export, township, **options):
        found = rules.parse_month(month)
        if found is None:
            raise CommandError(f"not a month: {month} (YYYY-MM)", returncode=2)
        target = None
        if township:
            matches = list(Township.objects.filter(name=township)[:2])
            if not matches:
                raise CommandError(f"no township named {township}", returncode=2)
            if len(matches) > 1:
                raise CommandError(f"two townships are named {township}", returncode=2)
            target = matches[0]
        figures = month_selectors.month_figures(target, *found)
        if export is None:
            for school in figures.schools:
                line = " ".join(f"{word} {n}" for word, n in zip(
                    sheets.MONTH_COLUMNS[3:], school.row, strict=True))
                self.stdout.write(f"{school.name}: {line}")
            self.stdout.write(f"{len(figures.staff)} staff with records in {month}")
            return
        with export.open("wb") as stream:
            write_workbook(stream, [sheets.month_sheet(figures.staff)])
        self.stdout.write(f"wrote {export}: {len(figures.staff)} staff")
