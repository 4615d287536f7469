"""python manage.py import_title_scores YEAR FILE.xlsx [--dry-run] [--county NAME]
(shared/spec/title-scoring.md)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluation.services import title_candidates as services
from staffing.workbook import WorkbookError

from ._title_year import one_year


class Command(BaseCommand):
    help = ("Import a year's title scores (sheets 评分 and 说课): all or nothing, one line per "
            "wrong row and exit status 1; importing again replaces the year's scores, with "
            "history.")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument("--county", help="county name (where two counties have the year)")

    def handle(self, *args, year, file, dry_run, county, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from None
        target = one_year(year, county)
        try:
            result = services.scores_import(
                by=None, year=target, data=data, dry_run=dry_run,
                max_bytes=settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES)
        except WorkbookError as exc:
            self.stderr.write(f"{file}: {exc}")
            sys.exit(1)
        except ValidationError as exc:
            self.stderr.write(f"{target}: {' '.join(exc.messages)}")
            sys.exit(1)
        if not result.ok:
            for line in result.error_lines:  # one line per wrong row
                self.stderr.write(line)
            if result.plan.cap.notice():
                self.stderr.write(result.plan.cap.notice())
            sys.exit(1)
        s = result.plan.summary()
        line = (f"{target}: {s['rows']} score rows, {s['lesson_rows']} lesson rows, "
                f"{s['candidates']} candidates ({s['new']} with no declaration), "
                f"{s['dropped']} candidates not in the file")
        if dry_run:
            self.stdout.write("dry run, nothing written: " + line)
        else:
            w = result.written
            self.stdout.write(line + f"; written: {w.scores} item scores, {w.removed} removed, "
                              f"{w.lessons} lesson scores, {w.created} candidacies created")
