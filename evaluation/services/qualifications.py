"""Services of teacher-qualification certification (教师资格认定, R13): the county office
enters an application, records its three checks in order (证件关、体检关、认定关) one by
one or for many at once, and looks at applicants' full IDs (each look recorded)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluation import access, rules
from evaluation.models import (
    QualificationApplication,
    QualificationCheck,
    QualificationIdView,
    QualificationState,
)
from evaluation.selectors import qualifications as selectors
from schools import resident_id
from schools.models import County
from staffing import changes

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
