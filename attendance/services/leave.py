"""Leave (R8): asking, deciding each approval step, marking the approved days, cancelling
(the days restored), and the office's authority settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance import access, rules, workflow
from attendance.models import (
    AttendanceRecord,
    LeaveAuthority,
    LeaveDecision,
    LeaveRequest,
)
from attendance.selectors import leave as leave_selectors
from attendance.services import days as days_services
from schools.models import School, Staff, Township
from staffing import changes

_STEPS_REFUSALS = {
    "empty": gettext_lazy("Name at least one approver."),
    "unknown": gettext_lazy("An approver is not the school's principal or the township office."),
    "repeated": gettext_lazy("An approver appears twice."),
}


@transaction.atomic
def leave_ask(*, by, staff: Staff, kind: str, start_date: date, end_date: date,
              reason: str) -> LeaveRequest:
    """R8: a staff member asks for leave. Its length is its working days on the township's
    calendar (weekends and holidays inside it are not leave); its approvers follow the
    authority for that school and length, the asker's own step skipped. A request that
    shares a date with the person's pending or approved leave is refused."""
    staff = Staff.objects.select_for_update().select_related("school__township").get(
        pk=staff.pk)  # one request of a person at a time: the overlap check holds
    if end_date < start_date:
        raise ValidationError(_("The leave ends before it starts."))
    if (end_date - start_date).days >= rules.MAX_LEAVE_SPAN:
        raise ValidationError(_("A request covers at most a year: split it."))
    township = staff.school.township
    days = leave_selectors.leave_days(township, start_date, end_date)
    if not days:
        raise ValidationError(_("There is no working day from %(start)s to %(end)s: no "
                                "leave is needed.") % {"start": start_date, "end": end_date})
    other = leave_selectors.overlapping(staff, start_date, end_date)
    if other is not None:
        raise ValidationError(_(
            "You already have leave %(status)s from %(start)s to %(end)s: a request may "
            "not share a day with it. Cancel that one first, or choose other dates.") % {
            "status": other.get_status_display(), "start": other.start_date,
            "end": other.end_date})
    steps = leave_selectors.steps_of(staff, len(days))
    leave = LeaveRequest(staff=staff, school=staff.school, kind=kind, start_date=start_date,
                         end_date=end_date, reason=reason, working_days=len(days),
                         steps=list(steps), step=0, waiting_for=steps[0], asked_by=by)
    changes.save(leave, by)
    return leave


def _mark_days(by, leave: LeaveRequest) -> None:
    days = leave_selectors.leave_days(leave.school.township, leave.start_date, leave.end_date)
    days_services.records_put(by=by, reason="leave approved", marks=[
        days_services.Mark(staff_id=leave.staff_id, school_id=leave.school_id, date=day,
                           status=leave.kind, leave_id=leave.pk) for day in days])


@transaction.atomic
def leave_decide(*, by, leave: LeaveRequest, approve: bool, reason: str = "") -> LeaveRequest:
    """R8: the approver of the waiting step approves it (the next step waits, or at the
    last the leave is approved and its working days marked) or rejects it with a reason.
    Nobody decides a step of their own request; a step is decided once (a second
    approver at the same moment is told it was decided meanwhile)."""
    leave = (LeaveRequest.objects.select_for_update().select_related("staff", "school__township")
             .get(pk=leave.pk))
    changes.refuse(workflow.leave_decide_refusal(
        leave, may_decide=access.may_decide_step(by, leave), own=access.is_own(by, leave)))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError(_("Say why the leave is rejected."))
    try:
        with transaction.atomic():
            decision = LeaveDecision(
                leave=leave, step=leave.step, approver=leave.waiting_for, reason=reason,
                outcome=(LeaveDecision.Outcome.APPROVED if approve
                         else LeaveDecision.Outcome.REJECTED), decided_by=by)
            changes.save(decision, by)
    except IntegrityError as exc:
        raise ValidationError(_("This request has already been decided.")) from exc
    if not approve:
        workflow.leave_status_move(leave, LeaveRequest.Status.REJECTED)
        leave.waiting_for = ""
    elif leave.step + 1 < len(leave.steps):
        leave.step += 1
        leave.waiting_for = leave.steps[leave.step]
    else:
        workflow.leave_status_move(leave, LeaveRequest.Status.APPROVED)
        leave.waiting_for = ""
        _mark_days(by, leave)
    changes.save(leave, by, ["status", "step", "waiting_for"])
    return leave


@dataclass(frozen=True)
class Outcome:
    leave_id: int
    leave: LeaveRequest | None
    refusal: str | None  # None: decided


def leaves_decide(*, by, ids, leaves: dict[int, LeaveRequest], approve: bool,
                  reason: str = "") -> list[Outcome]:
    """Several requests decided at once, each on its own (one refused does not undo the
    others): a request decided meanwhile by someone else is reported, not decided twice.
    ``leaves`` are those of ``ids`` this login may see (``access.leave_many_for_approver``)."""
    if not approve and not reason.strip():
        raise ValidationError(_("Say why the leave is rejected."))
    outcomes = []
    for pk in ids:
        leave = leaves.get(pk)
        if leave is None:
            outcomes.append(Outcome(pk, None, _("This request is not waiting for you.")))
            continue
        try:
            leave_decide(by=by, leave=leave, approve=approve, reason=reason)
        except ValidationError as exc:
            outcomes.append(Outcome(pk, leave, " ".join(exc.messages)))
        else:
            outcomes.append(Outcome(pk, leave, None))
    return outcomes


def _restore_days(by, leave: LeaveRequest) -> None:
    """Each day the leave marked goes back to what it was before (its history), or its
    record is removed when nobody had recorded the day. A day recorded again since the
    leave marked it (no longer the leave's) is left as recorded."""
    records = list(AttendanceRecord.objects.select_for_update().filter(leave=leave))
    if not records:
        return
    history = AttendanceRecord.history.filter(id__in=[r.pk for r in records]).order_by(
        "history_date", "history_id").values("id", "leave_id", "school_id", "status", "note")
    previous: dict[int, dict | None] = {}
    before_marking: dict[int, dict | None] = {}
    for row in history:
        last = previous.get(row["id"])
        if row["leave_id"] == leave.pk and (last is None or last["leave_id"] != leave.pk):
            before_marking[row["id"]] = last  # None: the leave created the record
        previous[row["id"]] = row
    marks, remove = [], []
    for record in records:
        state = before_marking.get(record.pk)
        if state is None:
            remove.append(record)
        else:
            marks.append(days_services.Mark(
                staff_id=record.staff_id, school_id=state["school_id"], date=record.date,
                status=state["status"], note=state["note"], leave_id=state["leave_id"]))
    days_services.records_put(by=by, marks=marks, reason="leave cancelled")
    days_services.records_remove(by=by, records=remove, reason="leave cancelled")


@transaction.atomic
def leave_cancel(*, by, leave: LeaveRequest) -> LeaveRequest:
    """R8: the asker cancels a pending request, or approved leave before it starts: each
    day it marked is restored to what it was before."""
    leave = (LeaveRequest.objects.select_for_update().select_related("staff", "school__township")
             .get(pk=leave.pk))
    changes.refuse(workflow.leave_cancel_refusal(leave, today=timezone.localdate()))
    was_approved = leave.status == LeaveRequest.Status.APPROVED
    workflow.leave_status_move(leave, LeaveRequest.Status.CANCELLED)
    leave.waiting_for = ""
    changes.save(leave, by, ["status", "waiting_for"])
    if was_approved:
        _restore_days(by, leave)
    return leave


# ---- the office's settings -----------------------------------------------------------


def _steps_checked(steps) -> list[str]:
    steps = [step for step in steps if step]
    code = rules.steps_refusal(steps)
    if code:
        raise ValidationError(str(_STEPS_REFUSALS[code]))
    return steps


def _defaults_saved(by, township: Township) -> None:
    """The township's first own row starts from the default, written out, so that the
    rows the page shows are the rows in force."""
    if LeaveAuthority.objects.filter(township=township, school__isnull=True).exists():
        return
    for up_to, steps in rules.DEFAULT_AUTHORITY:
        changes.save(LeaveAuthority(township=township, up_to_days=up_to, steps=list(steps)), by)


@transaction.atomic
def authority_set(*, by, township: Township, school: School | None, up_to_days: int | None,
                  steps) -> LeaveAuthority:
    """R8: the office sets who approves leave of up to ``up_to_days`` working days (empty:
    longer than every other row) in its township, or at one school (its override). A row
    of the same unit and length is replaced."""
    Township.objects.select_for_update().filter(pk=township.pk).first()
    if school is not None and school.township_id != township.pk:
        raise ValidationError(_("That school is not in this township."))
    steps = _steps_checked(steps)
    _defaults_saved(by, township)
    row = LeaveAuthority.objects.filter(township=township, school=school,
                                        up_to_days=up_to_days).first()
    if row is None:
        row = LeaveAuthority(township=township, school=school, up_to_days=up_to_days)
    row.steps = steps
    changes.save(row, by)
    return row


@transaction.atomic
def authority_remove(*, by, authority: LeaveAuthority) -> None:
    """R8: the office removes a row; lengths no row covers any more fall to the
    township's rows, then the default."""
    authority._history_user = by
    authority.delete()
