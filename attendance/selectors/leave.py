"""Reads of leave (R8): the authority in force, a person's requests, an approver's queue
with each person's days this term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, Sum

from attendance import access, rules, workflow
from attendance.models import Approver, LeaveAuthority, LeaveDecision, LeaveRequest
from attendance.selectors import days as days_selectors
from schools.models import School, Staff, Township

PER_PAGE = 50


def authority_rows(township: Township) -> list[LeaveAuthority]:
    """The township's saved rows and its schools' overrides, township rows first."""
    return list(LeaveAuthority.objects.filter(township=township).select_related("school")
                .order_by("school__name", "school_id", "up_to_days"))


def steps_of(staff: Staff, length: int) -> tuple[str, ...]:
    """The approvers of this person's leave of ``length`` working days (R8), their own
    step skipped when they are their school's principal."""
    rows = LeaveAuthority.objects.filter(
        Q(school__isnull=True) | Q(school_id=staff.school_id),
        township_id=staff.school.township_id).values_list("school_id", "up_to_days", "steps")
    school_rows = [(up_to, steps) for school_id, up_to, steps in rows if school_id]
    township_rows = [(up_to, steps) for school_id, up_to, steps in rows if not school_id]
    steps = rules.authority_steps(length, school_rows=school_rows, township_rows=township_rows)
    return rules.steps_for_asker(steps, asker_is_principal=access.is_principal_of(staff))


def leave_days(township: Township, start: date, end: date) -> list[date]:
    return days_selectors.working_days(township, start, end)


def overlapping(staff: Staff, start: date, end: date) -> LeaveRequest | None:
    """A pending or approved request of the same person that shares a date."""
    return (LeaveRequest.objects.filter(
        staff=staff, status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
        start_date__lte=end, end_date__gte=start).order_by("start_date").first())


def _with_decisions(queryset):
    return queryset.prefetch_related(Prefetch(
        "decisions", queryset=LeaveDecision.objects.select_related("decided_by")))


@dataclass
class OwnRow:
    leave: LeaveRequest
    rejection: LeaveDecision | None
    cancel_refusal: str | None


def own_requests(staff: Staff, *, page, today: date) -> Page:
    """A person's requests, newest first, each with its rejection (if any) and whether
    it can be cancelled."""
    queryset = _with_decisions(LeaveRequest.objects.filter(staff=staff).select_related(
        "school"))
    result = Paginator(queryset, PER_PAGE).get_page(page)
    result.object_list = [OwnRow(
        leave=leave,
        rejection=next((d for d in leave.decisions.all()
                        if d.outcome == LeaveDecision.Outcome.REJECTED), None),
        cancel_refusal=workflow.leave_cancel_refusal(leave, today=today),
    ) for leave in result.object_list]
    return result


@dataclass
class QueueRow:
    leave: LeaveRequest
    taken: int  # working days of approved leave this term
    pending: int  # working days of requests still waiting this term (this one included)


def term_days(staff_ids, term: tuple[date, date]) -> dict[int, tuple[int, int]]:
    """Per staff member: working days of leave approved and pending in ``term`` (by the
    requests' first day), one query."""
    rows = (LeaveRequest.objects.filter(
        staff_id__in=list(staff_ids), start_date__range=term,
        status__in=[LeaveRequest.Status.APPROVED, LeaveRequest.Status.PENDING])
        .values("staff_id").annotate(
            taken=Sum("working_days", filter=Q(status=LeaveRequest.Status.APPROVED)),
            pending=Sum("working_days", filter=Q(status=LeaveRequest.Status.PENDING))))
    return {row["staff_id"]: (row["taken"] or 0, row["pending"] or 0) for row in rows}


def queue(user, *, page) -> Page:
    """The requests waiting for this login's decision, oldest first, each with the
    person's days taken and pending this term (the term of the request's first day)."""
    queryset = _with_decisions(access.leave_waiting_for(user).select_related(
        "staff", "school__township").order_by("start_date", "pk"))
    result = Paginator(queryset, PER_PAGE).get_page(page)
    leaves = list(result.object_list)
    terms: dict[tuple[date, date], set[int]] = {}
    for leave in leaves:
        terms.setdefault(rules.term_of(leave.start_date), set()).add(leave.staff_id)
    counts = {term: term_days(ids, term) for term, ids in terms.items()}
    result.object_list = [QueueRow(leave, *counts[rules.term_of(leave.start_date)].get(
        leave.staff_id, (0, 0))) for leave in leaves]
    return result


def waiting_count(user) -> int:
    return access.leave_waiting_for(user).count()


def township_schools(township: Township) -> list[School]:
    return list(township.schools.order_by("name"))


def default_rows() -> list[dict]:
    """The default authority (``rules.DEFAULT_AUTHORITY``) as the settings page shows it."""
    return [{"up_to_days": up_to, "step_labels": [Approver(step).label for step in steps]}
            for up_to, steps in rules.DEFAULT_AUTHORITY]
