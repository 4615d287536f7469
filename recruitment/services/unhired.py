"""Phase 7 (R7): training enrolment and score, a trainee's placement, an explained status.
"""

from __future__ import annotations

import re
import uuid

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_update_with_history

from recruitment import access, sheets
from recruitment.models import (
    Cycle,
    Hire,
    HireSource,
    Post,
    TrainingEnrolment,
    UnhiredReason,
)
from recruitment.phases import UNHIRED
from recruitment.selectors import common as common_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import common as common_services
from recruitment.services import selection as selection_services
from schools import resident_id
from schools.models import Staff
from staffing import workbook as wb


@transaction.atomic
def training_enrol(*, by, cycle: Cycle, staff: Staff) -> TrainingEnrolment:
    """R7: the office enrols one of the unhired in training (phase 7)."""
    access.require_cycle_office(by, cycle)
    common_services.require_phase(cycle, UNHIRED)
    if not unhired_selectors.unhired(cycle).filter(pk=staff.pk).exists():
        raise ValidationError(_("%(name)s is not among the unhired.") % {"name": staff})
    enrolment, created = TrainingEnrolment.objects.get_or_create(
        cycle=cycle, staff=staff, defaults={"enrolled_by": by})
    if not created:
        raise ValidationError(_("%(name)s is already enrolled.") % {"name": staff})
    return enrolment


@transaction.atomic
def training_score(*, by, enrolment: TrainingEnrolment, score: int) -> TrainingEnrolment:
    """R7: the office records a trainee's test score (0–100; ``rules.training_passed``)."""
    access.require_cycle_office(by, enrolment.cycle)
    common_services.require_phase(enrolment.cycle, UNHIRED)
    if not 0 <= score <= 100:
        raise ValidationError(_("A score is between 0 and 100."))
    enrolment.score, enrolment.scored_by, enrolment.scored_at = score, by, timezone.now()
    common_services.save(enrolment, by)
    return enrolment


@transaction.atomic
def unhired_explain(*, by, cycle: Cycle, staff: Staff, reason: str) -> UnhiredReason:
    """R7: record why an unhired person needs no post (retiring, long sick leave, …)."""
    access.require_cycle_office(by, cycle)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    if Hire.objects.filter(cycle=cycle, staff=staff).exists():
        raise ValidationError(_("%(name)s is hired in this cycle.") % {"name": staff})
    explained, created = UnhiredReason.objects.get_or_create(
        cycle=cycle, staff=staff, defaults={"reason": reason.strip(), "recorded_by": by})
    if not created:
        raise ValidationError(_("%(name)s already has an explained status.") % {"name": staff})
    return explained


@transaction.atomic
def trainee_assign(*, by, enrolment: TrainingEnrolment, post: Post) -> Hire:
    """R7: a trainee who passed the test is assigned to a free post of a school that is
    short. The one entry point: the office, the cycle's lock (ordered with the phase's
    close), ``trainee_assign_check``, then the seat through ``hire_create``."""
    cycle = enrolment.cycle
    access.require_cycle_office(by, cycle)
    common_services.locked_cycle(cycle)
    common_services.refuse(unhired_selectors.trainee_assign_check(enrolment, post))
    return selection_services.hire_create(by=by, cycle=cycle, staff=enrolment.staff, post=post,
                                          source=HireSource.TRAINING, extra=[])


def _refusal(exc: ValidationError | PermissionDenied) -> str:
    """A bulk row's refusal in words."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("Only the township's office does this.")


def trainings_enrol(*, by, cycle: Cycle, staff: list[Staff]) -> list[common_selectors.RowResult]:
    """R7: the office enrols several of the unhired in the training class at once, each
    through ``training_enrol`` (its own transaction, so one refusal does not stop the
    rest); one result per person: enrolled, or why not."""
    results = []
    for person in staff:
        try:
            enrolment = training_enrol(by=by, cycle=cycle, staff=person)
        except (ValidationError, PermissionDenied) as exc:
            results.append(common_selectors.RowResult(person, refusal=_refusal(exc)))
        else:
            results.append(common_selectors.RowResult(person, enrolment=enrolment))
    return results


def trainees_assign(*, by, pairs: list[tuple[TrainingEnrolment, Post]]
                    ) -> list[common_selectors.RowResult]:
    """R7: the office assigns several trainees who passed, each to the chosen post of a
    school that is short, each through ``trainee_assign`` (its own transaction); one
    result per trainee: the hire, or why not."""
    results = []
    for enrolment, post in pairs:
        try:
            hire = trainee_assign(by=by, enrolment=enrolment, post=post)
        except (ValidationError, PermissionDenied) as exc:
            results.append(common_selectors.RowResult(enrolment.staff, post,
                                                      refusal=_refusal(exc)))
        else:
            results.append(common_selectors.RowResult(enrolment.staff, post, hire=hire))
    return results


@transaction.atomic
def training_scores_record(*, by, cycle: Cycle, scores: dict[int, int]) -> int:
    """R7: several test scores at once (enrolment id → score), all or nothing: every
    enrolment must be this cycle's and every score from 0 to 100; written in one bulk
    statement with a history record each. Returns how many scores changed."""
    access.require_cycle_office(by, cycle)
    common_services.require_phase(cycle, UNHIRED)
    enrolments = list(TrainingEnrolment.objects.select_for_update()
                      .filter(cycle=cycle, pk__in=list(scores)))
    if len(enrolments) != len(scores):
        raise ValidationError(_("Some of these trainees are not in this cycle's class."))
    if any(not 0 <= score <= sheets.SCORE_MAX for score in scores.values()):
        raise ValidationError(_("A score is between 0 and 100."))
    changed = [e for e in enrolments if e.score != scores[e.pk]]
    now = timezone.now()
    for enrolment in changed:
        enrolment.score, enrolment.scored_by, enrolment.scored_at = scores[enrolment.pk], by, now
    if changed:
        bulk_update_with_history(changed, TrainingEnrolment, ["score", "scored_by", "scored_at"],
                                 default_user=by,
                                 default_change_reason=gettext_noop("score import"))
    return len(changed)


def training_scores_import(*, by, cycle: Cycle, data: bytes,
                           dry_run: bool = False) -> sheets.ScoreImport:
    """R7: the test scores from sheet 测试成绩 (身份证号, 姓名 not read, 成绩 0–100),
    matched to the cycle's trainees by resident ID: every row checked first, nothing
    written unless all are right (``training_scores_record``)."""
    access.require_cycle_office(by, cycle)
    common_services.require_phase(cycle, UNHIRED)
    book = wb.open_workbook(data, kind=_("score sheet"))
    try:
        sheet = wb.read_sheet(book, sheets.SCORE_SHEET, sheets.SCORE_COLUMNS,
                              sheets.SCORE_REQUIRED)
    finally:
        book.close()
    trainees = {e.staff.resident_id: e for e in
                TrainingEnrolment.objects.filter(cycle=cycle).select_related("staff__school")}
    errors = list(sheet.errors)
    rows: list[sheets.ScoreRow] = []
    seen: dict[str, int] = {}
    cap = wb.ErrorCap()
    columns = sheets.SCORE_COLUMNS
    for line, values in sheet.rows:
        if cap.full(sheets.SCORE_SHEET, line):
            break
        problems: list[tuple[str, str]] = []
        number = resident_id.normalize(wb.clean_text(values.get("resident_id")))
        enrolment = trainees.get(number)
        if not number:
            problems.append(("resident_id", _("required")))
        elif enrolment is None:
            problems.append(("resident_id", _("nobody in this cycle's training class has "
                                              "this ID")))
        elif number in seen:
            problems.append(("resident_id", _("the same person already appears in row "
                                              "%(row)d") % {"row": seen[number]}))
        seen.setdefault(number, line)
        raw = values.get("score")
        try:
            score = wb.parse_whole_number(raw, minimum=0, maximum=sheets.SCORE_MAX)
        except wb.ValueProblem as exc:
            problems.append(("score", str(exc) if wb.clean_text(raw) else _("required")))
        if not problems:
            rows.append(sheets.ScoreRow(line, enrolment, score))
        cap.count(problems)
        errors.extend(wb.RowError(sheets.SCORE_SHEET, line, columns.get(f, f), r)
                      for f, r in problems)
    sheet.errors = errors
    result = sheets.ScoreImport(rows=rows, errors=errors, sheet=sheet, stopped=cap.notice())
    if not errors and not dry_run:
        training_scores_record(by=by, cycle=cycle,
                               scores={r.enrolment.pk: r.score for r in rows})
    return result


_SCORES_SALT = "recruitment.training-scores"
SCORES_MAX_AGE = 3600  # seconds a checked sheet may wait for its confirmation
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def scores_checked(cycle: Cycle, result: sheets.ScoreImport) -> str:
    """A checked sheet's scores, signed, for the preview's confirm button: the sheet is
    not uploaded twice, and a changed or foreign value is refused."""
    return signing.dumps({"cycle": cycle.pk,
                          "scores": [[r.enrolment.pk, r.score] for r in result.rows]},
                         salt=_SCORES_SALT, compress=True)


def scores_confirm(*, by, cycle: Cycle, checked: str) -> int:
    """The scores of a previewed sheet (``scores_checked``), written all or nothing by
    ``training_scores_record``."""
    try:
        payload = signing.loads(checked, salt=_SCORES_SALT, max_age=SCORES_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("The checked sheet is too old or was changed; upload it "
                                "again.")) from None
    if payload.get("cycle") != cycle.pk:
        raise ValidationError(_("The checked sheet is another cycle's; upload it again."))
    return training_scores_record(by=by, cycle=cycle,
                                  scores={int(e): int(s) for e, s in payload["scores"]})


def _errors_name(cycle: Cycle, token: str) -> str:
    return f"imports/scores/{cycle.pk}/{token}-errors.xlsx"


def scores_errors_keep(cycle: Cycle, result: sheets.ScoreImport) -> str:
    """Keep a wrong sheet's rows with their errors (under the media root, for any app
    server), named by a token for the preview's download link."""
    token = uuid.uuid4().hex
    data = wb.error_workbook([result.sheet], error_header=sheets.ERROR_HEADER,
                             text_headers=frozenset({sheets.SCORE_COLUMNS["resident_id"]}))
    default_storage.save(_errors_name(cycle, token), ContentFile(data))
    return token


def scores_errors_read(cycle: Cycle, token: str) -> bytes:
    """A kept error workbook, or 404."""
    if not _TOKEN.match(token or "") or not default_storage.exists(_errors_name(cycle, token)):
        raise Http404
    with default_storage.open(_errors_name(cycle, token), "rb") as handle:
        return handle.read()
