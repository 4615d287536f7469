"""python manage.py import_title_table YEAR FILE.xlsx [--county NAME] [--dry-run]
(shared/spec/title-scoring.md): the city's scoring table (sheet 评分细则) and each unit's
recommendation quota (sheet 职数) for a county's title year."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation.models import TitleYear
from evaluation.services import title_years as title_year_services
from schools.models import County
from staffing.workbook import WorkbookError


def one_county(name: str | None) -> County:
    counties = County.objects.filter(name=name) if name else County.objects.all()
    found = list(counties[:2])
    if not found:
        raise CommandError(f"county {name}: none found" if name else "no county yet",
                           returncode=2)
    if len(found) > 1:
        raise CommandError("more than one county: name it with --county NAME", returncode=2)
    return found[0]


class Command(BaseCommand):
    help = ("Import a title year's scoring table (sheets 评分细则 and 职数): all or nothing. "
            "A new version replaces the year's table while no score is entered; refused "
            "after. --county is needed only when there are several counties.")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--county", help="county name (default: the only one)")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")

    def handle(self, *args, year, file, county, dry_run, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from None
        target = one_county(county)
        title_year = TitleYear.objects.filter(county=target, year=year).first()
        if title_year is None:
            raise CommandError(f"{target.name} has no title year {year}: create it on the "
                               "county office's page first", returncode=2)
        try:
            result = title_year_services.table_import(
                by=None, year=title_year, data=data, file_name=file.name, dry_run=dry_run,
                max_bytes=settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES)
        except WorkbookError as exc:
            self.stderr.write(f"{file}: {exc}")
            sys.exit(1)
        if not result.ok:
            for line in result.error_lines:
                self.stderr.write(line)
            if result.plan.cap.notice():
                self.stderr.write(result.plan.cap.notice())
            sys.exit(1)
        plan = result.plan
        groups = ", ".join(f"{g['name']} ({g['items']}"
                           + (f", cap {g['cap']})" if g["cap"] is not None else ")")
                           for g in plan.summary()["groups"])
        line = (f"{target.name} {year}: {len(plan.items)} items in {groups}; "
                f"{len(plan.quotas)} quota rows")
        if plan.replaces:
            line += f"; replaces version {plan.replaces}"
        if dry_run:
            self.stdout.write("dry run, nothing written: " + line)
        else:
            self.stdout.write(line + f"; written: version {result.table.version}, "
                              f"{result.quotas_changed} quotas set")
