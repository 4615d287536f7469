"""python manage.py export_awards FILE.xlsx [--township NAME] [--exam NAME]
(shared/spec/exam-scores.md: sheet 奖励)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.management.commands.import_exam_scores import one_township
from evaluation.models import Exam
from evaluation.selectors import exams as exam_selectors


class Command(BaseCommand):
    help = "Write the teaching-quality awards (sheet 奖励, one row per award) to FILE.xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--township", help="township name (default: the only one)")
        parser.add_argument("--exam", help="only this exam (考试名称)")

    def handle(self, *args, file, township, exam, **options):
        target = one_township(township)
        chosen = None
        if exam:
            chosen = Exam.objects.filter(township=target, name=exam).first()
            if chosen is None:
                raise CommandError(f"exam {exam}: none found in {target.name}", returncode=2)
        data, count = exam_selectors.awards_workbook(target, chosen)
        try:
            file.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from None
        self.stdout.write(f"{file}: {count} awards of {target.name}"
                          + (f", {chosen.name}" if chosen else ""))
