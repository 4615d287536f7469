"""Phase 7: the unhired, the office's phase-7 board and the dispatch board.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Q
from django.utils.translation import gettext as _

from recruitment import rules, sheets, workflow
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
from recruitment.selectors import selection as selection_selectors
from schools import access as school_access
from schools.models import School, Staff
from schools.resident_id import mask
from staffing import workbook as wb


def unhired(cycle: Cycle):
    """R7 (no one left without a post): the township's staff with no hire and no
    explained status this cycle, and not an appointed head (``appointed_heads``)."""
    return (Staff.objects.filter(school__township_id=cycle.township_id)
            .exclude(pk__in=Hire.objects.filter(cycle=cycle).values("staff_id"))
            .exclude(pk__in=selection_selectors.appointed_heads(cycle).values("staff_id"))
            .exclude(pk__in=UnhiredReason.objects.filter(cycle=cycle).values("staff_id"))
            .select_related("school").order_by("school__name", "name"))


UNHIRED_PER_PAGE = 50


def unhired_filtered(user, cycle: Cycle, filters: dict):
    """``unhired`` narrowed by the list's filters: a school, a subject, the standing in
    the training class (R7's pass mark), a name or the ID's last four characters
    (``schools.access.id_search_q``: a full ID only for those who may see it)."""
    found = unhired(cycle)
    if filters.get("school"):
        found = found.filter(school=filters["school"])
    if filters.get("subject"):
        found = found.filter(subject=filters["subject"])
    query = (filters.get("q") or "").strip()
    if query:
        found = found.filter(Q(name__icontains=query) | school_access.id_search_q(user, query))
    status = filters.get("status")
    if status and cycle.adopted_revision_id is not None:  # no class before the plan
        trainees_ = TrainingEnrolment.objects.filter(cycle=cycle)
        mark = plan_selectors.adopted_plan(cycle).training_pass_mark
        if status == "passed":
            trainees_ = trainees_.filter(score__gte=mark)
        elif status == "failed":
            trainees_ = trainees_.filter(score__lt=mark)
        if status == "not_enrolled":
            found = found.exclude(pk__in=trainees_.values("staff_id"))
        else:
            found = found.filter(pk__in=trainees_.values("staff_id"))
    return found


def post_subjects(cycle: Cycle) -> list[str]:
    """The subjects of the cycle's published teaching posts, for the posts' filter."""
    return sorted(set(Post.objects.filter(cycle=cycle, published_at__isnull=False)
                      .exclude(subject="").values_list("subject", flat=True)))


def unhired_subjects(cycle: Cycle) -> list[str]:
    """The subjects among the unhired, for the lists' subject filter."""
    return sorted(set(unhired(cycle).exclude(subject="").values_list("subject", flat=True)))


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


def unhired_board(cycle: Cycle, *, close_refusal: str | None, page=None, listed_staff=None
                  ) -> UnhiredBoard:
    """Phase 7 for the office: who is without a post, their training and test, what
    blocks the close (``close_refusal``: the page asks ``cycle_selectors.phase_close_check``,
    because the cycle's checks count the unhired). Bounded queries, paginated."""
    phase = common_selectors.phase_of(cycle, UNHIRED)
    pass_mark = plan_selectors.adopted_plan(cycle).training_pass_mark
    listed = common_selectors.page_of(unhired(cycle) if listed_staff is None else listed_staff,
                                      page, UNHIRED_PER_PAGE)
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
    posts: list[Post]  # free posts of short schools (of the subject filtered)
    page: Page  # the unhired, each with ``waiting``: their open proposal or None
    candidates: list[Staff]  # the unhired without an open proposal (as filtered)
    waiting: list[Proposal]  # dispatch proposals awaiting a school
    chosen: Staff | None = None  # the person being paired (``?staff=``)
    post_options: list[tuple[Post, bool | None]] = field(default_factory=list)


def dispatch_board(cycle: Cycle, *, page=None, listed_staff=None, post_subject: str = "",
                   chosen: int | None = None) -> DispatchBoard:
    """The dispatch meeting: schools short, their free posts (of ``post_subject`` when
    given), the unhired (``listed_staff``: as filtered); with a person ``chosen``, the
    posts marked with the subject match, theirs first (``post_options``)."""
    short = allocation_selectors.short_schools(cycle)
    unhired_staff = unhired(cycle) if listed_staff is None else listed_staff
    open_proposals = {p.staff_id: p for p in Proposal.objects.filter(
        cycle=cycle, status=Proposal.Status.PROPOSED).select_related("post__school")}
    listed = common_selectors.page_of(unhired_staff, page, UNHIRED_PER_PAGE)
    for person in listed:
        person.waiting = open_proposals.get(person.pk)
    posts = allocation_selectors.open_posts(cycle, short)
    if post_subject:
        posts = [p for p in posts if p.subject == post_subject]
    person = unhired(cycle).filter(pk=chosen).first() if chosen else None
    return DispatchBoard(
        short=short,
        posts=posts,
        page=listed,
        candidates=[s for s in unhired_staff if s.pk not in open_proposals],
        waiting=list(allocation_selectors.proposals_of(cycle, status=Proposal.Status.PROPOSED)
                     .filter(source=HireSource.DISPATCH)),
        chosen=person,
        post_options=post_options(person, posts) if person else [(p, None) for p in posts],
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


def unhired_sheet(cycle: Cycle, staff, *, full_ids: bool) -> wb.SheetSpec:
    """Sheet 未聘人员: the unhired as listed (filtered), with their training and test; in
    a fixed number of queries. Full IDs only when ``full_ids`` (recorded by the caller)."""
    people = list(staff[:sheets.EXPORT_MAX_ROWS])
    enrolments = {e.staff_id: e for e in TrainingEnrolment.objects.filter(
        cycle=cycle, staff__in=[p.pk for p in people])}
    mark = plan_selectors.adopted_plan(cycle).training_pass_mark
    lines = []
    for person in people:
        enrolment = enrolments.get(person.pk)
        score = enrolment.score if enrolment else None
        passed = "" if score is None else ("合格" if rules.training_passed(score, mark)
                                           else "不合格")
        lines.append([person.name, person.resident_id if full_ids else mask(person.resident_id),
                      person.school.name, person.subject, person.title, person.age,
                      "已参加" if enrolment else "未参加", score, passed])
    return wb.SheetSpec(sheets.UNHIRED_SHEET, sheets.UNHIRED_HEADERS, lines,
                        text_columns=frozenset({"身份证号"}))
