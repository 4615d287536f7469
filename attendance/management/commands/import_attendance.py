"""python manage.py import_attendance FILE.xlsx [--township NAME] [--school NAME] [--dry-run]
(spec/attendance.md)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attendance.services import days as days_services
from schools.models import School, Township
from staffing.workbook import WorkbookError


def _one(queryset, what: str):
    found = list(queryset[:2])
    if len(found) != 1:
        raise CommandError(f"{what}: {'none found' if not found else 'more than one'}",
                           returncode=2)
    return found[0]


class Command(BaseCommand):
    help = ("Import the attendance workbook (sheet 考勤: 日期 身份证号 状态 备注) for a township "
            "or one of its schools: all or nothing; a later row for a person and day "
            "replaces the earlier.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--township", help="township name (default: the only one)")
        parser.add_argument("--school", help="only this school's staff (a school's import)")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")

    def handle(self, *args, file, township, school, dry_run, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from None
        townships = Township.objects.filter(name=township) if township else Township.objects
        target = _one(townships.all(), f"township {township or ''}".strip())
        only = _one(School.objects.filter(township=target, name=school),
                    f"school {school}") if school else None
        try:
            # A file on the office's disk may be larger than a browser upload; the zip
            # limits still apply.
            result = days_services.attendance_import(
                by=None, township=target, school=only, data=data, dry_run=dry_run,
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
        s = result.plan.summary()
        line = (f"{only.name if only else target.name}: {s['rows']} rows, {s['records']} "
                f"records of {s['people']} people, {s['first']} to {s['last']}; "
                f"{s['replaced_in_file']} replaced by a later row, {s['kept_leave']} kept as "
                f"approved leave")
        if dry_run:
            self.stdout.write("dry run, nothing written: " + line)
        else:
            w = result.written
            self.stdout.write(line + f"; written: {w.created} added, {w.changed} replaced, "
                              f"{w.unchanged} unchanged")
