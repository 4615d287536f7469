"""Phase 7: the unhired, the office's phase-7 board and the dispatch board.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page
from django.utils.translation import gettext as _

from recruitment import rules, workflow
from recruitment.models import (
    Cycle,
    Hire,
    HireSource,
    Phase,
    Post,
    Proposal,
    TrainingEnrolment,
    UnhiredReason,
)
from recruitment.phases import UNHIRED
from recruitment.selectors import allocation as allocation_selectors
from recruitment.selectors import common as common_selectors
from recruitment.selectors import plan as plan_selectors
from schools.models import School, Staff


def unhired(cycle: Cycle):
    """The township's staff with no hire, no explained status, this cycle."""
    return (Staff.objects.filter(school__township_id=cycle.township_id)
            .exclude(pk__in=Hire.objects.filter(cycle=cycle).values("staff_id"))
            .exclude(pk__in=UnhiredReason.objects.filter(cycle=cycle).values("staff_id"))
            .select_related("school").order_by("school__name", "name"))


UNHIRED_PER_PAGE = 50


def trainees(cycle: Cycle) -> list[TrainingEnrolment]:
    """The cycle's training class, by school and name (the score sheet's template)."""
    return list(TrainingEnrolment.objects.filter(cycle=cycle).select_related("staff__school")
                .order_by("staff__school__name", "staff__name", "pk"))


def post_options(person: Staff, posts: list[Post]) -> list[tuple[Post, bool | None]]:
    """The free posts offered for placing ``person`` (a dispatch, a trainee), each with
    ``rules.subject_match``: the posts of their subject first, then in the given order
    (remote schools first)."""
    matched = [(post, rules.subject_match(person, post)) for post in posts]
    return sorted(matched, key=lambda pair: pair[1] is not True)


@dataclass
class UnhiredBoard:
    phase: Phase
    refusal: str | None  # why nobody may act in phase 7 now
    close_refusal: str | None  # why phase 7 cannot close yet
    page: Page  # the unhired, each with ``enrolment`` and ``passed``
    pass_mark: int
    posts: list[Post]
    explained: list[UnhiredReason]
    assigned: list[Hire]  # trainees assigned after passing


def unhired_board(cycle: Cycle, *, close_refusal: str | None, page=None) -> UnhiredBoard:
    """Phase 7 for the office: who is without a post, their training and test, what
    blocks the close (``close_refusal``: the page asks ``cycle_selectors.phase_close_check``,
    because the cycle's checks count the unhired). Bounded queries, paginated."""
    phase = common_selectors.phase_of(cycle, UNHIRED)
    pass_mark = plan_selectors.adopted_plan(cycle).training_pass_mark
    listed = common_selectors.page_of(unhired(cycle), page, UNHIRED_PER_PAGE)
    enrolments = {e.staff_id: e for e in TrainingEnrolment.objects.filter(
        cycle=cycle, staff__in=[s.pk for s in listed])}
    posts = allocation_selectors.open_posts(cycle)
    for person in listed:
        person.enrolment = enrolments.get(person.pk)
        score = person.enrolment.score if person.enrolment else None
        person.passed = None if score is None else rules.training_passed(score, pass_mark)
        person.post_options = post_options(person, posts) if person.passed else []
    return UnhiredBoard(
        phase=phase,
        refusal=workflow.acting_refusal(phase),
        close_refusal=close_refusal,
        page=listed,
        pass_mark=pass_mark,
        posts=posts,
        explained=list(UnhiredReason.objects.filter(cycle=cycle)
                       .select_related("staff__school", "recorded_by")
                       .order_by("staff__school__name", "staff__name")),
        assigned=list(Hire.objects.filter(cycle=cycle, source=HireSource.TRAINING)
                      .select_related("staff__school", "post__school")
                      .order_by("post__school__name", "staff__name")),
    )


@dataclass
class DispatchBoard:
    short: list[School]
    posts: list[Post]  # free posts of short schools
    page: Page  # the unhired, each with ``waiting``: their open proposal or None
    candidates: list[Staff]  # the unhired without an open proposal
    waiting: list[Proposal]  # dispatch proposals awaiting a school


def dispatch_board(cycle: Cycle, *, page=None) -> DispatchBoard:
    short = allocation_selectors.short_schools(cycle)
    unhired_staff = unhired(cycle)
    open_proposals = {p.staff_id: p for p in Proposal.objects.filter(
        cycle=cycle, status=Proposal.Status.PROPOSED).select_related("post__school")}
    listed = common_selectors.page_of(unhired_staff, page, UNHIRED_PER_PAGE)
    for person in listed:
        person.waiting = open_proposals.get(person.pk)
    return DispatchBoard(
        short=short,
        posts=allocation_selectors.open_posts(cycle, short),
        page=listed,
        candidates=[s for s in unhired_staff if s.pk not in open_proposals],
        waiting=list(allocation_selectors.proposals_of(cycle, status=Proposal.Status.PROPOSED)
                     .filter(source=HireSource.DISPATCH)),
    )


def trainee_assign_check(enrolment: TrainingEnrolment, post: Post) -> str | None:
    """R7: why this trainee may not be assigned to this post now: phase 7 not open, the
    test not passed (``rules.training_passed``), or the post cannot take them."""
    cycle = enrolment.cycle
    refusal = workflow.acting_refusal(common_selectors.phase_of(cycle, UNHIRED))
    if refusal:
        return refusal
    mark = plan_selectors.adopted_plan(cycle).training_pass_mark
    if not rules.training_passed(enrolment.score, mark):
        return _("Only trainees who passed the test (%(mark)d) are assigned.") % {"mark": mark}
    return allocation_selectors.fill_check(cycle, post)
