"""python manage.py allocate INPUT.json [--output OUTPUT.json] (spec/matching.md)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from recruitment.allocation import AllocationInputError, allocate, parse


class Command(BaseCommand):
    help = "Run the allocation engine (teacher-optimal stable assignment) on a JSON file."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path)
        parser.add_argument("--output", type=Path, help="write here instead of standard output")

    def handle(self, *args, input, output, **options):
        try:
            data = json.loads(input.read_text(encoding="utf-8"))
        except OSError as exc:
            self._fail([f"{input}: {exc.strerror}"])
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._fail([f"{input}: not valid JSON ({exc})"])
        try:
            problem = parse(data)
        except AllocationInputError as exc:
            self._fail(exc.problems)
        text = json.dumps(allocate(problem).as_json(), ensure_ascii=False, indent=2)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def _fail(self, problems):
        for line in problems:
            self.stderr.write(line)
        sys.exit(2)
