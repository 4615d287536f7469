"""python manage.py title_ranking YEAR --export FILE.xlsx [--county NAME]
(shared/spec/title-scoring.md: sheet 排名)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.selectors import title_candidates as selectors

from ._title_year import one_year


class Command(BaseCommand):
    help = ("Export a year's rankings (sheet 排名: one row per candidate, by 单位, 申报级别, 排名; "
            "numbers as numbers).")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--export", type=Path, required=True, metavar="FILE.xlsx")
        parser.add_argument("--county", help="county name (where two counties have the year)")

    def handle(self, *args, year, export, county, **options):
        target = one_year(year, county)
        data = selectors.ranking_workbook(target)
        try:
            export.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"{export}: {exc.strerror}", returncode=2) from None
        self.stdout.write(f"{target}: rankings written to {export}")
