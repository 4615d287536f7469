"""attendance's status flows (leave, contract copies, publications' attendance side): each
flow's transitions in one place; a page asks the same function whether an action is
allowed, to show a disabled button with its reason."""


from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import ContractCopy, CopyKind, LeaveRequest
from recruitment.models import PhaseState

# ---- leave (R8) ----------------------------------------------------------------------
# pending → approved (the last step approves) | rejected (any step rejects) | cancelled
# (the asker withdraws it); approved → cancelled (the asker, before the leave starts:
# its days are restored). Rejected and cancelled are final.

_LEAVE_MOVES: Mapping[str, tuple[str, ...]] = {
    LeaveRequest.Status.PENDING: (LeaveRequest.Status.APPROVED, LeaveRequest.Status.REJECTED,
                                  LeaveRequest.Status.CANCELLED),
    LeaveRequest.Status.APPROVED: (LeaveRequest.Status.CANCELLED,),
}


def leave_decide_refusal(leave: LeaveRequest, *, may_decide: bool, own: bool) -> str | None:
    """May this login decide the request's waiting step now? ``may_decide``: it is that
    step's approver (the school's principal, the township's office); ``own``: it is the
    asker (nobody decides their own leave, whatever their role)."""
    if leave.status != LeaveRequest.Status.PENDING:
        return _("This request has already been decided (%(status)s).") % {
            "status": leave.get_status_display()}
    if own:
        return _("Nobody decides their own leave request: it goes to another approver.")
    if not may_decide:
        return _("This step of the request is not yours to decide.")
    return None


def leave_cancel_refusal(leave: LeaveRequest, *, today: date) -> str | None:
    """May the asker cancel the request? A pending one at any time; an approved one
    before its first day (its days are then restored)."""
    if leave.status == LeaveRequest.Status.PENDING:
        return None
    if leave.status == LeaveRequest.Status.APPROVED:
        if leave.start_date <= today:
            return _("This leave has started: it can no longer be cancelled.")
        return None
    return _("This request is %(status)s: there is nothing to cancel.") % {
        "status": leave.get_status_display()}


def leave_status_move(leave: LeaveRequest, to: str) -> None:
    """The one place a leave request's status changes (the caller saves it)."""
    if to not in _LEAVE_MOVES.get(leave.status, ()):
        raise ValidationError(_("A leave request does not go from %(old)s to %(new)s.") % {
            "old": leave.get_status_display(), "new": LeaveRequest.Status(to).label})
    leave.status = to


# ---- the weekly and monthly publications (周公示、月兑现) ---------------------------------
# Both publish through staffing.publication; these are their kinds there. A month's key is
# "YYYY-MM" (published to the township's staff); a week's is its Monday's date (published
# by one school to its staff, which is its report to the office). A locked month's
# records refuse every change (attendance.services.days.records_put) until it is
# reopened with a reason.
MONTH_PUBLICATION = "attendance.month"
WEEK_PUBLICATION = "attendance.week"


def month_publish_refusal(on: date, last_working_day: date) -> str | None:
    """The office publishes a month once its last working day has come: earlier, days
    still to be recorded would change the figures published."""
    if on < last_working_day:
        return _("The month can be published from its last working day, %(day)s.") % {
            "day": last_working_day.isoformat()}
    return None


def week_publish_refusal(on: date, monday: date) -> str | None:
    if on < monday:
        return _("This week has not begun.")
    return None


def today() -> date:
    """The day the publications' windows are measured from (tests pin it)."""
    return timezone.localdate()


# ---- contracts (phase 8) ------------------------------------------------------------------
# Drawn up once phase 7 has closed (the outcome took effect) and until phase 8 closes;
# editable until the first copy is signed; a copy is signed, then filed. Each function
# returns None when allowed, else the reason a page shows beside the disabled button.


def contracts_draw_refusal(unhired_state: str, contracts_state: str) -> str | None:
    if unhired_state != PhaseState.CLOSED:
        return _("Contracts are drawn up once phase 7 (the training and assignment of the "
                 "unhired) has closed and the outcome has taken effect.")
    if contracts_state == PhaseState.CLOSED:
        return _("Phase 8 (contracts) is closed.")
    return None


def contract_edit_refusal(any_signed: bool) -> str | None:
    if any_signed:
        return _("A copy has been signed: the contract is frozen as signed.")
    return None


def copy_sign_refusal(copy: ContractCopy) -> str | None:
    if copy.signed_at is not None:
        return _("This copy is already signed.")
    return None


def copy_file_refusal(copy: ContractCopy, *, office: bool) -> str | None:
    """The office's copy is filed with the office, so only the office records it."""
    if copy.signed_at is None:
        return _("A copy is filed after it is signed.")
    if copy.filed_at is not None:
        return _("This copy is already filed.")
    if copy.kind == CopyKind.OFFICE and not office:
        return _("The office records the filing of its own copy.")
    return None
