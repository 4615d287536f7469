"""Services of teacher-qualification certification (教师资格认定, R13): the county office
enters an application, records its three checks in order (证件关、体检关、认定关) one by
one or for many at once, and looks at applicants' full IDs (each look recorded)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluation import access, rules
from evaluation.models import (
    CertificateKind,
    QualificationApplication,
    QualificationCheck,
    QualificationIdView,
    QualificationImport,
    QualificationState,
)
from evaluation.selectors import qualifications as selectors
from schools import resident_id
from schools.models import County
from staffing import changes, uploads
from staffing import workbook as wb

log = logging.getLogger(__name__)


def _require_office(by, county_id: int) -> None:
    if not access.is_county_office_of(by, county_id):
        raise PermissionDenied


@dataclass(frozen=True)
class ApplicationData:
    """One application as a form or an import row gives it."""

    name: str
    resident_id: str
    phone: str
    kind: str
    subject: str
    applied_on: date


def _standing_refusal(county: County, number: str, kind: str) -> str | None:
    if (QualificationApplication.objects.filter(county=county, resident_id=number, kind=kind)
            .exclude(state=QualificationState.FAILED).exists()):
        return _("This person already has a standing application for this kind of "
                 "certificate.")
    return None


def _number(raw: str) -> str:
    try:
        return resident_id.parse(raw).number
    except resident_id.ResidentIdError as exc:
        raise ValidationError(_("The resident ID %(reason)s.") % {"reason": exc}) from None


def _new(by, county: County, data: ApplicationData, staff_by_id: dict
         ) -> QualificationApplication:
    number = _number(data.resident_id)
    return QualificationApplication(
        county=county, name=data.name.strip(), resident_id=number, phone=data.phone.strip(),
        kind=data.kind, subject=data.subject.strip(), applied_on=data.applied_on,
        staff=staff_by_id.get(number), entered_by=by)


@transaction.atomic
def application_enter(*, by, county: County, data: ApplicationData
                      ) -> QualificationApplication:
    """Enter one application; it waits for the certificates review (R13). The applicant
    is linked to the county's staff record with the same resident ID, if there is one.
    One standing application per person and kind (a database constraint)."""
    _require_office(by, county.pk)
    number = _number(data.resident_id)
    application = _new(by, county, data, selectors.staff_by_ids(county, [number]))
    changes.refuse(_standing_refusal(county, application.resident_id, application.kind))
    try:
        with transaction.atomic():
            changes.save(application, by)
    except IntegrityError:
        raise ValidationError(_standing_refusal(county, application.resident_id,
                                                application.kind)
                              or _("The application was not saved.")) from None
    return application


@transaction.atomic
def applications_import(*, by, county: County, rows: list[ApplicationData]
                        ) -> list[QualificationApplication]:
    """Enter many applications at once (an import already checked row by row): all or
    nothing, in a bounded number of queries."""
    _require_office(by, county.pk)
    staff_by_id = selectors.staff_by_ids(county, [resident_id.normalize(r.resident_id)
                                                  for r in rows])
    applications = [_new(by, county, data, staff_by_id) for data in rows]
    try:
        with transaction.atomic():
            bulk_create_with_history(applications, QualificationApplication, batch_size=500,
                                     default_user=by)
    except IntegrityError:
        raise ValidationError(_("An applicant already has a standing application for that "
                                "kind of certificate; nothing was imported.")) from None
    return applications


@dataclass
class Recorded:
    done: list
    refused: list  # of (application, reason)


@transaction.atomic
def checks_record(*, by, county: County, step: str, application_ids: Iterable[int],
                  passed: bool, note: str = "", certificate_number: str = "") -> Recorded:
    """Record check ``step`` with one outcome on each of these applications (R13): each
    must wait at that check (``rules.qualification_check_refusal``), else it comes back
    refused with the reason. A fail needs its reason and ends the application; the
    decision's pass certifies it. The applications' rows are locked, so a double submit
    or two clerks at once record each check once (and the database keeps one per check).
    A bounded number of queries whatever the count."""
    _require_office(by, county.pk)
    changes.refuse(rules.qualification_outcome_refusal(passed, note))
    if certificate_number and (step != "decision" or not passed):
        raise ValidationError(_("A certificate number goes with the decision's pass."))
    wanted = list(dict.fromkeys(application_ids))
    if certificate_number and len(wanted) != 1:
        raise ValidationError(_("A certificate number is for one application."))
    found = {a.pk: a for a in QualificationApplication.objects.select_for_update()
             .filter(county=county, pk__in=wanted)}
    if not wanted or len(found) != len(wanted):
        raise ValidationError(_("Choose applications of this county."))
    now = timezone.now()
    done, refused, checks = [], [], []
    for pk in wanted:
        application = found[pk]
        reason = rules.qualification_check_refusal(application.state, step)
        if reason:
            refused.append((application, reason))
            continue
        checks.append(QualificationCheck(application=application, step=step, passed=passed,
                                         note=note.strip()[:300], checked_by=by,
                                         checked_at=now))
        application.state = rules.qualification_state_after(step, passed)
        if certificate_number:
            application.certificate_number = certificate_number.strip()
        done.append(application)
    if done:
        try:
            with transaction.atomic():
                bulk_create_with_history(checks, QualificationCheck, default_user=by)
                bulk_update_with_history(done, QualificationApplication,
                                         ["state", "certificate_number"], default_user=by)
        except IntegrityError:
            raise ValidationError(_("That certificate number is already given.")) from None
    return Recorded(done, refused)


def check_record(*, by, application: QualificationApplication, step: str, passed: bool,
                 note: str = "", certificate_number: str = "") -> QualificationApplication:
    """Record one check on one application: refused with the reason when it may not."""
    result = checks_record(by=by, county=application.county, step=step,
                           application_ids=[application.pk], passed=passed, note=note,
                           certificate_number=certificate_number)
    if result.refused:
        raise ValidationError(result.refused[0][1])
    return result.done[0]


def full_id_reveal(*, by, application: QualificationApplication) -> str:
    """The applicant's full resident ID, for the county office; every look recorded."""
    if not access.may_see_applicant_ids(by, application.county_id):
        raise PermissionDenied
    QualificationIdView.objects.create(kind=QualificationIdView.Kind.PAGE,
                                       county_id=application.county_id,
                                       application=application, viewer=by)
    log.info("applicant_full_id_viewed application=%s viewer=%s", application.pk, by.pk)
    return application.resident_id


def full_id_export_record(*, by, county: County, export: str, rows: int
                          ) -> QualificationIdView:
    """Record an export holding applicants' full IDs: one record per export."""
    if not access.may_see_applicant_ids(by, county.pk):
        raise PermissionDenied
    log.info("applicant_full_ids_exported county=%s viewer=%s rows=%d", county.pk, by.pk, rows)
    return QualificationIdView.objects.create(kind=QualificationIdView.Kind.EXPORT,
                                              county=county, export=export[:200], rows=rows,
                                              viewer=by)


# ---- the import: template, upload with a kept preview, confirm ----------------------------


@dataclass
class ImportPlan:
    sheet: wb.SheetRows
    rows: list[ApplicationData] = field(default_factory=list)
    errors: list[wb.RowError] = field(default_factory=list)
    cap: wb.ErrorCap = field(default_factory=wb.ErrorCap)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {"rows": len(self.sheet.rows), "errors": len(self.errors),
                "wrong_rows": len({e.row for e in self.errors}), "stopped": self.cap.notice(),
                "sample": [[r.name, resident_id.mask(r.resident_id), r.kind, r.subject,
                            r.applied_on.isoformat()] for r in self.rows[:20]]}


def _read_row(values: dict, today: date) -> tuple[ApplicationData | None, list]:
    """One row's cells; every problem named by its key."""
    problems: list = []

    def text(key, maximum):
        value = wb.clean_text(values.get(key))
        if not value:
            problems.append((key, _("required")))
        elif len(value) > maximum:
            problems.append((key, _("at most %(n)d characters") % {"n": maximum}))
        return value

    name = text("name", rules.QUALIFICATION_NAME_MAX)
    number = ""
    raw = wb.clean_text(values.get("resident_id"))
    if not raw:
        problems.append(("resident_id", _("required")))
    else:
        try:
            number = resident_id.parse(raw).number
        except resident_id.ResidentIdError as exc:
            problems.append(("resident_id", str(exc)))
    phone = text("phone", 20)
    if phone and not rules.QUALIFICATION_PHONE.fullmatch(phone):
        problems.append(("phone", _("write a phone number of digits")))
    kind = text("kind", 20)
    if kind and kind not in CertificateKind.values:
        problems.append(("kind", _("“%(value)s” is not a certificate kind; write one of "
                                   "%(words)s") % {"value": wb.quoted(kind),
                                                   "words": "、".join(CertificateKind.values)}))
    subject = text("subject", rules.QUALIFICATION_SUBJECT_MAX)
    day = None
    try:
        day = wb.parse_date(values.get("applied_on"))
        if day is None:
            problems.append(("applied_on", _("required")))
        elif day > today:
            problems.append(("applied_on", _("the date applied is not in the future")))
    except wb.ValueProblem as exc:
        problems.append(("applied_on", str(exc)))
    if problems:
        return None, problems
    return ApplicationData(name, number, phone, kind, subject, day), problems


def import_plan(*, county: County, workbook) -> ImportPlan:
    """Read and check every row (a bounded number of queries: one for the standing
    applications of the file's people); a person and kind twice in the file, or already
    standing, is a row error."""
    columns = rules.QUALIFICATION_COLUMNS
    sheet = wb.read_sheet(workbook, rules.QUALIFICATION_SHEET, columns, list(columns),
                          max_rows=rules.QUALIFICATION_MAX_ROWS)
    plan = ImportPlan(sheet=sheet, errors=sheet.errors)  # one list: the error workbook's
    if sheet.errors:
        return plan
    today = timezone.localdate()
    read = []
    for number, values in sheet.rows:
        if plan.cap.full(sheet.name, number):
            break
        data, problems = _read_row(values, today)
        plan.cap.count(problems)
        plan.errors += [wb.RowError(sheet.name, number, columns[key], reason)
                        for key, reason in problems]
        if data is not None:
            read.append((number, data))
    standing = set(QualificationApplication.objects.filter(
        county=county, resident_id__in={d.resident_id for _n, d in read})
        .exclude(state=QualificationState.FAILED).values_list("resident_id", "kind"))
    seen: dict = {}
    for number, data in read:
        key = (data.resident_id, data.kind)
        if key in standing:
            reason = _("already has a standing application for this kind")
        elif key in seen:
            reason = _("the same person and kind as row %(row)d") % {"row": seen[key]}
        else:
            seen[key] = number
            plan.rows.append(data)
            continue
        plan.errors.append(wb.RowError(sheet.name, number, columns["resident_id"], reason))
    return plan


@dataclass
class ImportResult:
    plan: ImportPlan
    written: int = 0

    @property
    def ok(self) -> bool:
        return self.plan.ok


def applications_import_file(*, by, county: County, data: bytes, dry_run: bool = False
                             ) -> ImportResult:
    """Import a workbook of applications: all or nothing (``WorkbookError`` when the file
    as a whole cannot be read)."""
    _require_office(by, county.pk)
    workbook = wb.open_workbook(data, kind=_("applications workbook"))
    try:
        plan = import_plan(county=county, workbook=workbook)
    finally:
        workbook.close()
    result = ImportResult(plan=plan)
    if plan.ok and not dry_run and plan.rows:
        result.written = len(applications_import(by=by, county=county, rows=plan.rows))
        log.info("qualification_applications_imported county=%s rows=%d", county.pk,
                 result.written)
    return result


def _keep_preview(record: QualificationImport, plan: ImportPlan) -> None:
    record.summary = plan.summary()
    record.preview = wb.errors_kept(plan.errors)
    if not plan.ok:
        record.errors_file.save("qualification-errors.xlsx", ContentFile(wb.error_workbook(
            [plan.sheet], error_header=rules.QUALIFICATION_ERROR_HEADER,
            text_headers=rules.QUALIFICATION_TEXT_HEADERS)), save=False)


def import_upload(*, by, county: County, uploaded) -> tuple[QualificationImport, ImportResult]:
    """Keep an uploaded workbook with its preview (a dry run) and its error workbook."""
    _require_office(by, county.pk)
    data = wb.read_upload(uploaded)
    result = applications_import_file(by=by, county=county, data=data, dry_run=True)
    record = QualificationImport(
        county=county, original_name=os.path.basename(uploaded.name)[:255], uploaded_by=by,
        status=(QualificationImport.Status.PREVIEWED if result.ok and result.plan.rows
                else QualificationImport.Status.REJECTED))
    _keep_preview(record, result.plan)
    record.file.save("qualifications.xlsx", ContentFile(data), save=False)
    record.save()
    return record, result


def import_commit(*, by, record: QualificationImport) -> ImportResult:
    """Import a previewed upload once confirmed: under a row lock (a double submit
    imports once), checked again (an application may have been entered since)."""
    result = uploads.kept_upload_commit(
        QualificationImport, record.pk, by=by,
        allowed=lambda kept: access.is_county_office_of(by, kept.county_id),
        run=lambda kept, data: applications_import_file(by=by, county=kept.county, data=data),
        keep=_keep_preview)
    record.refresh_from_db()
    return result
