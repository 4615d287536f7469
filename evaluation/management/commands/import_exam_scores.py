"""python manage.py import_exam_scores FILE.xlsx [--township NAME] [--dry-run]
(shared/spec/exam-scores.md)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation.services import exams as exam_services
from schools.models import Township
from staffing.workbook import WorkbookError


def one_township(name: str | None) -> Township:
    townships = Township.objects.filter(name=name) if name else Township.objects.all()
    found = list(townships[:2])
    if len(found) != 1:
        raise CommandError(f"township {name or ''}: "
                           f"{'none found' if not found else 'more than one'}".replace("  ", " "),
                           returncode=2)
    return found[0]


class Command(BaseCommand):
    help = ("Import exam results (sheet 成绩, optional 参照平均分) for a township: all or "
            "nothing; an exam already imported is replaced (a correction) and its awards and "
            "every later excellence count of its teachers are computed again.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--township", help="township name (default: the only one)")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")

    def handle(self, *args, file, township, dry_run, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from None
        target = one_township(township)
        try:
            result = exam_services.scores_import(
                by=None, township=target, data=data, dry_run=dry_run,
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
        summary = result.plan.summary()
        exams = "; ".join(f"{e['name']} ({e['date']}, {e['level']}): {e['results']} results, "
                          f"{e['county']} county averages"
                          + (", replaces the earlier import" if e["replaces"] else "")
                          for e in summary["exams"])
        line = f"{target.name}: {summary['rows']} rows; {exams}"
        if dry_run:
            self.stdout.write("dry run, nothing written: " + line)
        else:
            w = result.written
            self.stdout.write(line + f"; written: {w.exams} exams ({w.replaced} replaced), "
                              f"{w.awards} awards, {w.recounted} excellence counts changed")
