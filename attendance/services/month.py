"""The weekly and monthly publications' attendance side (周公示、月兑现, R8), through the
one publication mechanism (staffing.publication): a school publishes its week to its
staff, which reports it to the office; the office publishes the township's month, the
staff object within the window, the school answers (a correction goes through
``records_put`` with the objection as its reason), the office locks the month for
payroll and reopens it only with a recorded reason. And the township's settings."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from attendance import rules, workflow
from attendance.models import AttendanceSettings, AttendanceStatus
from attendance.selectors import days as days_selectors
from attendance.selectors import month as month_selectors
from attendance.services import days as days_services
from schools.models import School, Staff, Township
from staffing import changes, publication
from staffing.models import Objection, Publication


def settings_save(*, by, settings: AttendanceSettings) -> AttendanceSettings:
    """The office's settings of its township (the window, the deductions), with history."""
    settings._history_user = by
    settings.save()
    return settings


def week_publish(*, by, school: School, monday: date, on: date | None = None) -> Publication:
    """R8: the school publishes its week (Monday to Sunday) to its staff, and in the same
    step reports it to the office. Publishing again after a correction is recorded too."""
    on = on or workflow.today()
    monday = rules.week_start(monday)
    changes.refuse(workflow.week_publish_refusal(on, monday))
    return publication.publication_publish(
        by=by, kind=workflow.WEEK_PUBLICATION, township_id=school.township_id,
        key=monday.isoformat(), school_id=school.pk)


def month_publish(*, by, township: Township, year: int, month: int,
                  on: date | None = None) -> Publication:
    """R8: the office publishes the township's month; the objection window opens for the
    settings' number of working days."""
    on = on or workflow.today()
    changes.refuse(workflow.month_publish_refusal(
        on, month_selectors.last_working_day(township, year, month)))
    settings = days_selectors.settings_of(township)
    return publication.publication_publish(
        by=by, kind=workflow.MONTH_PUBLICATION, township_id=township.pk,
        key=rules.month_key(year, month),
        window_closes=month_selectors.window_closes(township, on,
                                                    settings.objection_working_days))


def month_object(*, by, staff: Staff, pub: Publication, day: date, reason: str,
                 on: date | None = None) -> Objection:
    """A staff member objects to one day of the published month, with a reason."""
    if rules.month_key(day.year, day.month) != pub.key:
        raise ValidationError(_("That day is not in this month."))
    return publication.objection_raise(by=by, publication=pub, staff_id=staff.pk,
                                       item=day.isoformat(), reason=reason,
                                       on=on or workflow.today())


@transaction.atomic
def objection_correct(*, by, objection: Objection, status: str, answer: str = "") -> Objection:
    """The school corrects the day objected to: the record changes through
    ``records_put``, with the objection as the reason in its history."""
    changes.refuse(publication.answer_refusal(objection))
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Choose the corrected attendance."))
    staff = Staff.objects.get(pk=objection.staff_id)
    day = date.fromisoformat(objection.item)
    note = (answer or objection.reason).strip()[:200]
    days_services.records_put(
        by=by, marks=[days_services.Mark(staff_id=staff.pk, school_id=staff.school_id,
                                         date=day, status=status, note=note)],
        reason=_("Objection: %(reason)s") % {"reason": objection.reason})
    return publication.objection_answer(by=by, objection=objection, corrected=True,
                                        answer=answer)


def objection_decline(*, by, objection: Objection, answer: str) -> Objection:
    """The school declines the objection, with its reason."""
    return publication.objection_answer(by=by, objection=objection, corrected=False,
                                        answer=answer)


def month_lock(*, by, pub: Publication, on: date | None = None) -> Publication:
    """Once the window has closed and no objection stands the office locks the month:
    its records refuse every change (``records_put``) and it goes to payroll."""
    return publication.publication_lock(by=by, publication=pub, on=on or workflow.today())


def month_reopen(*, by, pub: Publication, reason: str) -> Publication:
    """A locked month changes only after a reopening, recorded with its reason."""
    return publication.publication_reopen(by=by, publication=pub, reason=reason)
