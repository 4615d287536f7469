"""Services of exam results and teaching-quality awards (质量积分制, R9,
shared/spec/exam-scores.md): the import (plan, upload with a kept preview, commit), the
awards computed by ``evaluation.awards`` and stored with history, the further grounds for
the standard award, the township's settings and the award list's publication (公示)
through staffing.publication."""

from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluation import access, awards, rules
from evaluation.models import (
    Award,
    CountyAverage,
    Exam,
    ExamImport,
    ExamResult,
    ExamSettings,
    OtherGround,
)
from evaluation.selectors import exams as exam_selectors
from schools import resident_id
from schools.models import School, Staff, Township
from staffing import changes, publication, uploads
from staffing import workbook as wb
from staffing.models import Objection, Publication
from staffing.workbook import RowError

log = logging.getLogger(__name__)

# Stored untranslated in history; pages translate them when they show them.
IMPORT_REASON = gettext_noop("exam-scores import")
CORRECTION_REASON = gettext_noop("exam-scores correction")
RECOUNT_REASON = gettext_noop("excellence awards counted again")
SETTINGS_REASON = gettext_noop("award settings changed")
_ID_CHUNK = 2000
_SCORE_TEXT = re.compile(r"[0-9]{1,3}(?:\.[0-9]+)?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


# ---- reading cells ------------------------------------------------------------------------


def parse_score(value) -> Decimal:
    """平均分: a number from 0 to MAX_SCORE with two decimals at most, read with bounded
    work (text of at most 20 characters, a finite float)."""
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if math.isfinite(value):
            number = Decimal(repr(value)) if abs(value) < 1e6 else Decimal(rules.MAX_SCORE + 1)
    elif isinstance(value, Decimal):
        number = value
    else:
        text = wb.clean_text(value).translate(_FULL_WIDTH)
        if len(text) <= 20 and _SCORE_TEXT.fullmatch(text):
            try:
                number = Decimal(text)
            except InvalidOperation:  # pragma: no cover — the pattern admits none
                number = None
    if number is None or not number.is_finite():
        raise wb.ValueProblem(_("“%(value)s” is not a number")
                              % {"value": wb.quoted(wb.clean_text(value))})
    if number.as_tuple().exponent < -2 and number != number.quantize(Decimal("0.01")):
        raise wb.ValueProblem(_("at most two decimals"))
    if number < 0 or number > rules.MAX_SCORE:
        raise wb.ValueProblem(_("must be from 0 to %(max)d") % {"max": rules.MAX_SCORE})
    return number.quantize(Decimal("0.01"))


def _text(values, key, problems, maximum) -> str:
    text = wb.clean_text(values.get(key))
    if not text:
        problems.append((key, _("required")))
    elif len(text) > maximum:
        problems.append((key, _("longer than %(n)d characters") % {"n": maximum}))
    return text


def _grade(values, problems) -> str:
    grade = wb.clean_text(values.get("grade"))
    if not grade:
        problems.append(("grade", _("required")))
    elif grade not in rules.GRADES:
        problems.append(("grade", _("“%(value)s” is not a grade; write one of %(words)s")
                         % {"value": wb.quoted(grade), "words": "、".join(rules.GRADES)}))
    return grade


def _score(values, key, problems) -> Decimal | None:
    if wb.clean_text(values.get(key)) == "":
        problems.append((key, _("required")))
        return None
    try:
        return parse_score(values.get(key))
    except wb.ValueProblem as exc:
        problems.append((key, str(exc)))
        return None


@dataclass(frozen=True)
class ScoreRow:
    number: int
    exam: str
    date: date | None
    level: str
    grade: str
    subject: str
    school: str
    class_name: str
    resident_id: str
    takers: int | None
    average: Decimal | None
    problems: tuple


def read_score_row(number: int, values: dict) -> ScoreRow:
    """One 成绩 row's cells read as the spec says; every problem named by its key."""
    problems: list = []
    exam = _text(values, "exam", problems, rules.NAME_MAX)
    day = None
    try:
        day = wb.parse_date(values.get("date"))
        if day is None:
            problems.append(("date", _("required")))
    except wb.ValueProblem as exc:
        problems.append(("date", str(exc)))
    level = wb.clean_text(values.get("level"))
    if not level:
        problems.append(("level", _("required")))
    elif level not in rules.LEVELS:
        problems.append(("level", _("“%(value)s” is not an exam level; write one of %(words)s")
                         % {"value": wb.quoted(level), "words": "、".join(rules.LEVELS)}))
    grade = _grade(values, problems)
    subject = _text(values, "subject", problems, rules.SUBJECT_MAX)
    school = _text(values, "school", problems, 100)
    class_name = _text(values, "class_name", problems, rules.CLASS_MAX)
    number_text = wb.clean_text(values.get("resident_id"))
    rid = ""
    if not number_text:
        problems.append(("resident_id", _("required")))
    else:
        try:
            rid = resident_id.parse(number_text).number
        except resident_id.ResidentIdError as exc:
            problems.append(("resident_id", str(exc)))
    takers = None
    if wb.clean_text(values.get("takers")) == "":
        problems.append(("takers", _("required")))
    else:
        try:
            takers = wb.parse_whole_number(values.get("takers"), minimum=1,
                                           maximum=rules.MAX_TAKERS)
        except wb.ValueProblem as exc:
            problems.append(("takers", str(exc)))
    average = _score(values, "average", problems)
    return ScoreRow(number, exam, day, level, grade, subject, school, class_name, rid, takers,
                    average, tuple(problems))


# ---- the plan -------------------------------------------------------------------------------


@dataclass
class ExamPlan:
    name: str
    date: date
    level: str
    first_row: int
    results: dict = field(default_factory=dict)  # (school, grade, subject, class) → row values
    county: dict = field(default_factory=dict)  # (grade, subject) → Decimal
    existing: Exam | None = None


@dataclass
class ImportPlan:
    township: Township
    scores: wb.SheetRows
    county_sheet: wb.SheetRows | None
    errors: list[RowError] = field(default_factory=list)
    exams: dict[str, ExamPlan] = field(default_factory=dict)
    rows: int = 0
    cap: wb.ErrorCap = field(default_factory=wb.ErrorCap)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "exams": [{"name": p.name, "date": p.date.isoformat(), "level": p.level,
                       "results": len(p.results), "county": len(p.county),
                       "teachers": len({v[0] for v in p.results.values()}),
                       "replaces": p.existing is not None}
                      for p in sorted(self.exams.values(), key=lambda p: (p.date, p.name))],
            "errors": len(self.errors),
            "wrong_rows": len({(e.sheet, e.row) for e in self.errors}),
            "stopped": self.cap.notice(),
        }


def _known_staff(numbers: set[str]) -> dict[str, tuple[int, int]]:
    """resident ID → (staff id, township id), a query per 2,000 IDs."""
    found = {}
    ordered = sorted(numbers)
    for i in range(0, len(ordered), _ID_CHUNK):
        for number, pk, township_id in Staff.objects.filter(
                resident_id__in=ordered[i:i + _ID_CHUNK]).values_list(
                "resident_id", "pk", "school__township_id"):
            found[number] = (pk, township_id)
    return found


def import_plan(*, township: Township, workbook) -> ImportPlan:
    """Check every row of 成绩 and 参照平均分 and work out each exam's results; writes
    nothing. A fixed number of queries besides one per 2,000 teachers."""
    C = rules.SCORES_COLUMNS
    scores = wb.read_sheet(workbook, rules.SCORES_SHEET, C, rules.SCORES_REQUIRED)
    county_sheet = None
    if rules.COUNTY_SHEET in workbook.sheetnames:
        county_sheet = wb.read_sheet(workbook, rules.COUNTY_SHEET, rules.COUNTY_COLUMNS,
                                     rules.COUNTY_REQUIRED)
    plan = ImportPlan(township=township, scores=scores, county_sheet=county_sheet,
                      errors=list(scores.errors) + list(county_sheet.errors if county_sheet
                                                        else []))
    if plan.errors:
        return plan
    read = [read_score_row(number, values) for number, values in scores.rows]
    scores.rows = []  # the raw cells stay, for the error workbook
    plan.rows = len(read)
    known = _known_staff({row.resident_id for row in read if row.resident_id})
    schools = dict(School.objects.filter(township=township).values_list("name", "pk"))
    existing = {e.name: e for e in Exam.objects.filter(
        township=township, name__in={row.exam for row in read if row.exam})}
    locked = exam_selectors.locked_exam_ids(township, [e.pk for e in existing.values()])
    seen: dict[tuple, int] = {}
    names_in_file = set()
    locked_named: set[str] = set()

    def wrong(sheet, number, columns, found):
        plan.cap.count(found)
        plan.errors.extend(RowError(sheet, number, columns[key], reason)
                           for key, reason in found)

    for row in read:
        if plan.cap.full(rules.SCORES_SHEET, row.number):
            break
        problems = list(row.problems)
        if row.exam:
            names_in_file.add(row.exam)
        school_id = schools.get(row.school) if row.school else None
        if row.school and school_id is None:
            problems.append(("school", _("“%(value)s” is not a school of %(township)s")
                             % {"value": wb.quoted(row.school), "township": township.name}))
        staff = known.get(row.resident_id) if row.resident_id else None
        if row.resident_id and (staff is None or staff[1] != township.pk):
            # Not "of another township": that would tell whether a number is on a roster.
            problems.append(("resident_id", _("unknown staff member")))
        exam = plan.exams.get(row.exam) if row.exam else None
        if exam is not None:
            if row.date and row.date != exam.date:
                problems.append(("date", _("differs from row %(row)d's date of this exam "
                                           "(%(day)s)") % {"row": exam.first_row,
                                                           "day": exam.date.isoformat()}))
            if row.level and row.level in rules.LEVELS and row.level != exam.level:
                problems.append(("level", _("differs from row %(row)d's level of this exam "
                                            "(%(level)s)") % {"row": exam.first_row,
                                                              "level": exam.level}))
        key = (row.exam, row.school, row.grade, row.subject, row.class_name)
        if all(key) and key in seen:
            problems.append(("class_name", _("the same class, grade and subject as row %(row)d")
                             % {"row": seen[key]}))
        elif all(key):
            seen[key] = row.number
        if (row.exam in existing and existing[row.exam].pk in locked
                and row.exam not in locked_named):
            locked_named.add(row.exam)
            problems.append(("exam", _("the award list of this exam is locked: the office "
                                       "must reopen it, with a reason, before it is corrected")))
        if exam is None and row.exam and row.date and row.level in rules.LEVELS:
            exam = plan.exams[row.exam] = ExamPlan(row.exam, row.date, row.level, row.number,
                                                   existing=existing.get(row.exam))
        if problems:
            wrong(rules.SCORES_SHEET, row.number, C, problems)
            continue
        exam.results[(school_id, row.grade, row.subject, row.class_name)] = (
            staff[0], row.takers, row.average)
    if county_sheet is not None:
        county_seen: dict[tuple, int] = {}
        for number, values in county_sheet.rows:
            if plan.cap.full(rules.COUNTY_SHEET, number):
                break
            problems: list = []
            name = _text(values, "exam", problems, rules.NAME_MAX)
            grade = _grade(values, problems)
            subject = _text(values, "subject", problems, rules.SUBJECT_MAX)
            average = _score(values, "average", problems)
            if name and name not in names_in_file:
                problems.append(("exam", _("“%(value)s” is not an exam of sheet %(sheet)s")
                                 % {"value": wb.quoted(name), "sheet": rules.SCORES_SHEET}))
            key = (name, grade, subject)
            if all(key) and key in county_seen:
                problems.append(("subject", _("the same exam, grade and subject as row %(row)d")
                                 % {"row": county_seen[key]}))
            elif all(key):
                county_seen[key] = number
            if problems:
                wrong(rules.COUNTY_SHEET, number, rules.COUNTY_COLUMNS, problems)
                continue
            if name in plan.exams:
                plan.exams[name].county[(grade, subject)] = average
        county_sheet.rows = []
    scores.errors = [e for e in plan.errors if e.sheet == rules.SCORES_SHEET]
    if county_sheet is not None:
        county_sheet.errors = [e for e in plan.errors if e.sheet == rules.COUNTY_SHEET]
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(rules.SCORES_SHEET, 2, "-", _("the sheet has no rows")))
        scores.errors = list(plan.errors)
    return plan


# ---- writing: results, then awards -------------------------------------------------------


def _sync(model, existing: dict, wanted: dict, build, fields, *, by, reason, now) -> set:
    """Make ``model``'s rows (``existing``: key → row) what ``wanted`` (key → values)
    says: changed rows updated, new ones created, the rest deleted, all with history.
    Returns the keys touched."""
    new, changed = [], []
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            new.append(build(key, values))
            continue
        fresh = build(key, values)
        if any(getattr(row, f) != getattr(fresh, f) for f in fields):
            for f in fields:
                setattr(row, f, getattr(fresh, f))
            changed.append(row)
    if new:
        bulk_create_with_history(new, model, batch_size=500, default_user=by,
                                 default_change_reason=reason, default_date=now)
    if changed:
        bulk_update_with_history(changed, model, fields, batch_size=500, default_user=by,
                                 default_change_reason=reason, default_date=now)
    for key, row in existing.items():
        if key not in wanted:
            changes.set_history_user(row, by)
            row._change_reason = reason
            row.delete()
    return set(wanted) | set(existing)


def exam_awards_put(*, by, exam: Exam, margin, reason: str, now=None) -> set[int]:
    """Compute the exam's awards (R9) and store them: an award that stays is updated,
    a new one created, one no longer earned deleted, each in the history. Returns the
    teachers whose awards changed hands (their counts are then recounted)."""
    now = now or timezone.now()
    found = awards.exam_awards(exam_selectors.exam_input(exam), margin=margin)
    existing = {(a.staff_id, a.grade, a.subject): a
                for a in Award.objects.select_for_update().filter(exam=exam)}
    wanted = {(a.teacher, a.grade, a.subject): a for a in found}

    def build(key, award):
        return Award(exam=exam, staff_id=key[0], grade=key[1], subject=key[2], kind=award.kind,
                     teacher_score=_stored(award.teacher_score),
                     township_average=_stored(award.township_average),
                     county_average=(None if award.county_average is None
                                     else _stored(award.county_average)),
                     computed_at=now)

    _sync(Award, existing, wanted, build,
          ["kind", "teacher_score", "township_average", "county_average"],
          by=by, reason=reason, now=now)
    return {key[0] for key in set(existing) | set(wanted)}


def _stored(value) -> Decimal:
    return exam_selectors.exact(value).quantize(Decimal("0.0001"))


def excellence_recount(*, by, staff_ids: set[int], reason: str = RECOUNT_REASON,
                       now=None) -> int:
    """累计优胜次数 and 教学标兵 of these teachers again, over every award they hold in
    the order of the exams' dates: an earlier exam corrected moves every later count.
    Returns the awards changed."""
    if not staff_ids:
        return 0
    now = now or timezone.now()
    rows = list(exam_selectors.awards_of_staff(staff_ids).select_for_update(of=("self",)))
    pure = [awards.Award(exam=row.exam_id, teacher=row.staff_id, grade=row.grade,
                         subject=row.subject, kind=row.kind, teacher_score=0,
                         township_average=0, county_average=None) for row in rows]
    dates = {row.exam_id: row.exam.date for row in rows}
    by_key = {(row.exam_id, row.staff_id, row.grade, row.subject): row for row in rows}
    changed = []
    for award in awards.count_excellence(pure, dates):
        row = by_key[(award.exam, award.teacher, award.grade, award.subject)]
        if (row.excellence_count, row.model_teacher) != (award.excellence_count,
                                                         award.model_teacher):
            row.excellence_count, row.model_teacher = award.excellence_count, award.model_teacher
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, Award, ["excellence_count", "model_teacher"],
                                 batch_size=500, default_user=by, default_change_reason=reason,
                                 default_date=now)
    return len(changed)


@dataclass
class Written:
    exams: int = 0
    replaced: int = 0
    results: int = 0
    awards: int = 0
    recounted: int = 0


@transaction.atomic
def plan_write(*, by, plan: ImportPlan) -> Written:
    """Write a checked plan: each exam's results and county averages replace those it
    had (a correction), then its awards are computed again and every teacher concerned
    is recounted across their exams."""
    township = plan.township
    margin = exam_selectors.settings_of(township).margin
    now = timezone.now()
    written = Written()
    touched: set[int] = set()
    for exam_plan in sorted(plan.exams.values(), key=lambda p: (p.date, p.name)):
        exam = (Exam.objects.select_for_update().filter(township=township,
                                                        name=exam_plan.name).first())
        reason = IMPORT_REASON if exam is None else CORRECTION_REASON
        if exam is None:
            exam = Exam(township=township, name=exam_plan.name)
        else:
            written.replaced += 1
        exam.date, exam.level = exam_plan.date, exam_plan.level
        exam.imported_by, exam.imported_at = by, now
        changes.set_history_user(exam, by)
        exam._change_reason = reason
        exam.save()
        written.exams += 1
        results = {(r.school_id, r.grade, r.subject, r.class_name): r
                   for r in ExamResult.objects.select_for_update().filter(exam=exam)}

        def result(key, values, exam=exam):
            return ExamResult(exam=exam, school_id=key[0], grade=key[1], subject=key[2],
                              class_name=key[3], teacher_id=values[0], takers=values[1],
                              average=values[2])

        old_teachers = {r.teacher_id for r in results.values()}
        _sync(ExamResult, results, exam_plan.results, result,
              ["teacher_id", "takers", "average"], by=by, reason=reason, now=now)
        county = {(c.grade, c.subject): c
                  for c in CountyAverage.objects.select_for_update().filter(exam=exam)}

        def county_row(key, average, exam=exam):
            return CountyAverage(exam=exam, grade=key[0], subject=key[1], average=average)

        _sync(CountyAverage, county, exam_plan.county, county_row, ["average"], by=by,
              reason=reason, now=now)
        written.results += len(exam_plan.results)
        touched |= old_teachers | exam_awards_put(by=by, exam=exam, margin=margin,
                                                  reason=reason, now=now)
        written.awards += Award.objects.filter(exam=exam).count()
    written.recounted = excellence_recount(by=by, staff_ids=touched, now=now)
    return written


@dataclass
class ImportResult:
    plan: ImportPlan
    written: Written | None

    @property
    def ok(self) -> bool:
        return self.plan.ok

    @property
    def error_lines(self) -> list[str]:
        return wb.error_lines(self.plan.errors)


def scores_import(*, by, township: Township, data: bytes, dry_run: bool = False,
                  max_bytes: int | None = None) -> ImportResult:
    """Import an exam-scores workbook: all or nothing. Raises ``WorkbookError`` when the
    file as a whole is unreadable; otherwise the plan with every row error, written only
    when it has none and not ``dry_run``."""
    workbook = wb.open_workbook(data, kind=_("exam-scores workbook"), max_bytes=max_bytes)
    try:
        plan = import_plan(township=township, workbook=workbook)
    finally:
        workbook.close()
    written = None
    if plan.ok and not dry_run:
        written = plan_write(by=by, plan=plan)
        log.info("exam_scores_imported township=%s rows=%s", township.pk, plan.rows)
    return ImportResult(plan=plan, written=written)


def _keep_preview(record: ExamImport, plan: ImportPlan) -> None:
    record.summary = plan.summary()
    record.preview = wb.errors_kept(plan.errors)
    if not plan.ok:
        sheets = [plan.scores] + ([plan.county_sheet] if plan.county_sheet else [])
        record.errors_file.save("exam-errors.xlsx", ContentFile(wb.error_workbook(
            sheets, error_header=rules.ERROR_HEADER, text_headers=rules.TEXT_HEADERS)),
            save=False)


def import_upload(*, by, township: Township, uploaded) -> tuple[ExamImport, ImportResult]:
    """Keep an uploaded workbook with its preview (a dry run) and error workbook."""
    if not access.is_office_of(by, township.pk):
        raise PermissionDenied
    data = wb.read_upload(uploaded)
    result = scores_import(by=by, township=township, data=data, dry_run=True)
    record = ExamImport(township=township, original_name=os.path.basename(uploaded.name)[:255],
                        status=(ExamImport.Status.PREVIEWED if result.ok
                                else ExamImport.Status.REJECTED),
                        uploaded_by=by)
    _keep_preview(record, result.plan)
    record.file.save("exams.xlsx", ContentFile(data), save=False)
    record.save()
    return record, result


def import_commit(*, by, record: ExamImport) -> ImportResult:
    """Import a previewed upload once confirmed: under a row lock (a double submit
    imports once), checked again (the roster or a lock may have changed)."""
    result = uploads.kept_upload_commit(
        ExamImport, record.pk, by=by,
        allowed=lambda kept: access.is_office_of(by, kept.township_id),
        run=lambda kept, data: scores_import(by=by, township=kept.township, data=data),
        keep=_keep_preview)
    record.refresh_from_db()
    return result


# ---- settings ----------------------------------------------------------------------------


@transaction.atomic
def settings_save(*, by, settings: ExamSettings) -> int:
    """The office's settings of its township, with history; a new margin recomputes the
    awards of every exam whose list is not locked. Returns the exams recomputed."""
    if not access.is_office_of(by, settings.township_id):
        raise PermissionDenied
    previous = ExamSettings.objects.select_for_update().filter(pk=settings.pk).first() \
        if settings.pk else None
    changes.save(settings, by)
    if previous is not None and previous.margin == settings.margin:
        return 0
    exams = list(Exam.objects.select_for_update().filter(township_id=settings.township_id))
    locked = exam_selectors.locked_exam_ids(settings.township, [e.pk for e in exams])
    now = timezone.now()
    touched: set[int] = set()
    done = 0
    for exam in exams:
        if exam.pk in locked:
            continue
        touched |= exam_awards_put(by=by, exam=exam, margin=settings.margin,
                                   reason=SETTINGS_REASON, now=now)
        done += 1
    excellence_recount(by=by, staff_ids=touched, reason=SETTINGS_REASON, now=now)
    return done


# ---- further grounds -------------------------------------------------------------------------


@transaction.atomic
def ground_save(*, by, staff: Staff, kind: str, title: str, day: date, note: str = "",
                ground: OtherGround | None = None) -> OtherGround:
    """Enter (or correct) an arts or sports prize or a kindergarten assessment as a
    further ground for a teacher's standard award (R9), with history."""
    if not access.is_office_of(by, staff.school.township_id):
        raise PermissionDenied
    if ground is not None:
        ground = OtherGround.objects.select_for_update().get(pk=ground.pk)
    ground = ground or OtherGround(entered_by=by)
    ground.staff, ground.kind, ground.title, ground.date = staff, kind, title.strip(), day
    ground.note = note.strip()
    if not ground.title:
        raise ValidationError(_("Say what was won."))
    changes.save(ground, by)
    return ground


@transaction.atomic
def ground_delete(*, by, ground: OtherGround) -> None:
    if not access.is_office_of(by, ground.staff.school.township_id):
        raise PermissionDenied
    changes.set_history_user(ground, by)
    ground.delete()


# ---- publication (公示) ---------------------------------------------------------------------


def publish_refusal(exam: Exam, pub: Publication | None) -> str | None:
    if not exam.results.exists():
        return _("The exam has no results yet.")
    return publication.publish_refusal(pub)


def awards_publish(*, by, exam: Exam, on: date | None = None) -> Publication:
    """Publish the exam's award list to the township's staff with an objection window of
    the settings' number of days."""
    if not access.is_office_of(by, exam.township_id):
        raise PermissionDenied
    on = on or timezone.localdate()
    changes.refuse(publish_refusal(exam, exam_selectors.award_publication(exam)))
    days = exam_selectors.settings_of(exam.township).objection_days
    return publication.publication_publish(
        by=by, kind=access.AWARDS_PUBLICATION, township_id=exam.township_id, key=str(exam.pk),
        window_closes=on + timedelta(days=days))


def item_of(grade: str, subject: str) -> str:
    """The item a teacher objects to: their row of one grade and subject."""
    return f"{grade}{subject}"


def award_object(*, by, staff: Staff, exam: Exam, item: str, reason: str,
                 on: date | None = None) -> Objection:
    """A teacher objects to their own row (a grade and subject they have results in)."""
    pub = exam_selectors.award_publication(exam)
    changes.refuse(publication.objection_refusal(pub, on or timezone.localdate()))
    if item not in {item_of(g, s) for g, s in exam_selectors.own_subjects(exam, staff)}:
        raise ValidationError(_("You have no result in that grade and subject."))
    return publication.objection_raise(by=by, publication=pub, staff_id=staff.pk, item=item,
                                       reason=reason, on=on)


def objection_answer(*, by, exam: Exam, objection: Objection, corrected: bool,
                     answer: str) -> Objection:
    """The office answers: corrected (its results were re-imported, which recomputed the
    awards) or declined, with a reason."""
    if not access.is_office_of(by, exam.township_id):
        raise PermissionDenied
    return publication.objection_answer(by=by, objection=objection, corrected=corrected,
                                        answer=answer)


def awards_lock(*, by, exam: Exam, on: date | None = None) -> Publication:
    if not access.is_office_of(by, exam.township_id):
        raise PermissionDenied
    pub = exam_selectors.award_publication(exam)
    changes.refuse(publication.lock_refusal(pub, on or timezone.localdate(), 0)
                   if pub is None else None)
    return publication.publication_lock(by=by, publication=pub, on=on)


def awards_reopen(*, by, exam: Exam, reason: str) -> Publication:
    if not access.is_office_of(by, exam.township_id):
        raise PermissionDenied
    pub = exam_selectors.award_publication(exam)
    changes.refuse(publication.reopen_refusal(pub))
    return publication.publication_reopen(by=by, publication=pub, reason=reason)
