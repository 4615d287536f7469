"""Cycles and phases: the lists, the dashboard, the to-dos, the phase history, the report,
and the checks of opening and closing a phase (asked by the page and by the service).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy

from recruitment import access, sheets, workflow
from recruitment.models import (
    Ballot,
    CadreProposal,
    Cycle,
    Intention,
    OpinionReport,
    Phase,
    PhaseState,
    PlanRevision,
    Proposal,
    Representative,
    StaffOpinion,
    Vote,
)
from recruitment.phases import (
    DRAFT,
    INTENTIONS,
    OPINIONS,
    PHASES,
    REVIEW,
    SELECTION,
    STEP_HEADINGS,
    UNHIRED,
    VOTE,
)
from recruitment.selectors import common as common_selectors
from recruitment.selectors import consultation as consultation_selectors
from recruitment.selectors import outcome as outcome_selectors
from recruitment.selectors import plan as plan_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.selectors import unhired as unhired_selectors
from schools import access as school_access
from schools.models import Position, School, Staff
from staffing.history import display_name
from staffing.workbook import SheetSpec


def phase_open_check(phase: Phase) -> str | None:
    cycle = phase.cycle
    return workflow.phase_open_refusal(
        phase, common_selectors.phases_by_number(cycle), cycle,
        revisions=cycle.revisions.count(),
        representatives=cycle.representatives.count(),
    )


def phase_close_check(phase: Phase) -> str | None:
    cycle = phase.cycle
    return workflow.phase_close_refusal(
        phase,
        revisions=cycle.revisions.count(),
        pending_comments=plan_selectors.pending_comments(cycle),
        undecided_opinions=consultation_selectors.undecided_opinions(cycle),
        **close_blockers(phase),
    )


def phase_reopen_check(phase: Phase) -> str | None:
    return workflow.phase_reopen_refusal(phase, common_selectors.phases_by_number(phase.cycle),
                                         outcome_applied=outcome_applied(phase))


def outcome_applied(phase: Phase) -> bool:
    """Has closing phase 7 put this cycle's outcome into effect? Asked of a closed
    phase 7 only (one query), for ``workflow.phase_reopen_refusal``."""
    return (phase.number == UNHIRED and phase.state == PhaseState.CLOSED
            and outcome_selectors.outcome_applied(phase.cycle))


def close_blockers(phase: Phase) -> dict[str, int]:
    """What keeps an open phase 6 or 7 from closing, counted only for that phase:
    proposals awaiting a school (phase 6), staff with neither a post nor an explained
    status (phase 7, R7). The keyword arguments of ``workflow.phase_close_refusal``."""
    if phase.state != PhaseState.OPEN:
        return {}
    if phase.number == SELECTION:
        return {"pending_proposals": Proposal.objects.filter(
            cycle_id=phase.cycle_id, status=Proposal.Status.PROPOSED).count()}
    if phase.number == UNHIRED:

        return {"unhired": unhired_selectors.unhired(phase.cycle).count()}
    return {}


# What closing each phase brings (the confirmation page says it before the office closes).
CLOSE_CONSEQUENCES = {
    DRAFT: gettext_lazy("The drafting phase ends; the collective review (phase 2) can open."),
    REVIEW: gettext_lazy("Principals can no longer comment on the draft; staff opinions "
                         "(phase 3) can open."),
    OPINIONS: gettext_lazy("Staff can no longer send opinions nor schools report them; the "
                           "congress vote (phase 4) can open."),
    VOTE: gettext_lazy("The vote is closed from the congress vote's page."),
    INTENTIONS: gettext_lazy("Posts and intentions no longer change; the selection "
                             "(phase 6) can open."),
    SELECTION: gettext_lazy("Committees no longer rank nor confirm hires, and the office no "
                            "longer allocates nor dispatches. Every vice principal and "
                            "middle-level cadre not hired at their own unit loses the "
                            "position from today (R3); the appointed heads (校长, 园长, 书记) "
                            "keep theirs. Phase 7 (the unhired) can open."),
    UNHIRED: gettext_lazy("The outcome becomes final and takes effect: every staff member "
                          "takes up their assignment from the term's start (the start of "
                          "phase 8) and the roster names their new school. Phase 7 is not "
                          "reopened afterwards. Phases 8 to 10 can open."),
}


@dataclass
class PhaseClose:
    """What the office confirms before closing a phase: the refusal if it cannot close,
    what follows, for phase 6 the positions that end (R3), for phase 7 what the outcome
    does when it takes effect (who moves school, who becomes support staff)."""

    phase: Phase
    refusal: str | None
    consequence: str
    positions_to_end: list[Position] = field(default_factory=list)
    effect: outcome_selectors.OutcomeEffect | None = None


def phase_close_preview(phase: Phase) -> PhaseClose:
    """The phase-close confirmation page: ``phase_close_check`` and what follows."""
    positions, effect = [], None
    refusal = phase_close_check(phase)
    if phase.number == SELECTION and phase.state == PhaseState.OPEN:
        positions = list(selection_selectors.positions_to_end(phase.cycle))
    if phase.number == UNHIRED and refusal is None:
        effect = outcome_selectors.outcome_effect(phase.cycle)
    return PhaseClose(phase, refusal, str(CLOSE_CONSEQUENCES.get(phase.number, "")),
                      positions, effect)


def cycle_current(user) -> Cycle | None:
    return access.cycles_visible(user).select_related("township", "adopted_revision").order_by(
        "-school_year"
    ).first()


@dataclass
class PhaseRow:
    phase: Phase
    open_refusal: str | None
    close_refusal: str | None
    reopen_refusal: str | None = None

    @property
    def info(self):
        return PHASES[self.phase.number]


@dataclass
class Dashboard:
    cycle: Cycle
    phases: list[PhaseRow]
    revision: PlanRevision | None
    revisions: int
    representatives: int
    pending_comments: int
    undecided_opinions: int
    schools_not_reported: list[School] = field(default_factory=list)
    reps_not_voted: list[Representative] = field(default_factory=list)
    vote: Vote | None = None
    ballots: int = 0
    # R3: who loses a position when phase 6 closes, listed while it is open
    positions_to_end: list[Position] | None = None

    def phase(self, number: int) -> Phase:
        return self.phases[number - 1].phase


def dashboard(cycle: Cycle) -> Dashboard:
    """The office's view of a cycle: phases with what blocks each, and who is awaited.

    Phases 6 and 7 cost one count each, and only while open (``close_blockers``)."""
    phases = list(cycle.phases.order_by("number"))
    by_number = {p.number: p for p in phases}
    revisions = cycle.revisions.count()
    representatives = cycle.representatives.count()
    pending_comments = plan_selectors.pending_comments(cycle)
    undecided = consultation_selectors.undecided_opinions(cycle)
    rows = [
        PhaseRow(
            phase=p,
            open_refusal=workflow.phase_open_refusal(
                p, by_number, cycle, revisions=revisions, representatives=representatives
            ),
            close_refusal=workflow.phase_close_refusal(
                p, revisions=revisions, pending_comments=pending_comments,
                undecided_opinions=undecided, **close_blockers(p),
            ),
            reopen_refusal=workflow.phase_reopen_refusal(p, by_number,
                                                         outcome_applied=outcome_applied(p)),
        )
        for p in phases
    ]
    board = Dashboard(
        cycle=cycle,
        phases=rows,
        revision=plan_selectors.latest_revision(cycle),
        revisions=revisions,
        representatives=representatives,
        pending_comments=pending_comments,
        undecided_opinions=undecided,
    )
    if by_number[SELECTION].state == PhaseState.OPEN:
        board.positions_to_end = list(selection_selectors.positions_to_end(cycle))
    if by_number[OPINIONS].state != PhaseState.NOT_STARTED:
        board.schools_not_reported = consultation_selectors.schools_not_reported(cycle)
    board.vote = cycle.votes.select_related("revision").order_by("-opened_at").first()
    if board.vote is not None:
        board.ballots = board.vote.ballots.count()
        if board.vote.closed_at is None:
            board.reps_not_voted = list(
                cycle.representatives.filter(
                    ~Exists(Ballot.objects.filter(vote=board.vote, representative=OuterRef("pk")))
                ).select_related("staff__school")
            )
    return board


def cycle_report_sheets(cycle: Cycle):
    """The cycle report (sheets 环节 and 表决), as the dashboard shows the same figures.

    An open vote shows its turnout so far; its for/against/abstain stay blank until the
    close, when the result is announced.
    """

    phase_rows = [
        [p.number, PHASES[p.number].step_name, PHASES[p.number].name, p.start_date, p.deadline,
         sheets.STATE_WORDS[p.state]]
        for p in cycle.phases.order_by("number")
    ]
    reps = cycle.representatives.count()
    vote_rows = []
    for index, vote in enumerate(consultation_selectors.votes_of(cycle), start=1):
        if vote.closed_at is None:
            vote_rows.append([index, vote.revision.number, reps, vote.cast, None, None, None,
                              sheets.RESULT_WORDS[""]])
        else:
            vote_rows.append([index, vote.revision.number, vote.representatives, vote.turnout,
                              vote.votes_for, vote.votes_against, vote.abstentions,
                              sheets.RESULT_WORDS[vote.result]])
    return [
        SheetSpec(sheets.PHASE_SHEET, sheets.PHASE_HEADERS, phase_rows),
        SheetSpec(sheets.VOTE_SHEET, sheets.VOTE_HEADERS, vote_rows),
    ]


@dataclass(frozen=True)
class Todo:
    """Something a login should do in the cycle now; pages turn ``kind`` into a link."""

    kind: str  # see todos_for
    count: int = 0
    school: School | None = None


def todos_for(user, cycle: Cycle) -> list[Todo]:
    """The login's own to-dos in the open phases of Step 1, with a bounded query count.

    Kinds: ``answer_comments`` and ``decide_opinions`` (office), ``comment_draft`` and
    ``report_opinions`` (principal, per school), ``send_opinion`` (any staff member),
    ``vote`` (a representative who has not voted).
    """
    scope = school_access.scope_of(user)
    states = {p.number: p.state for p in cycle.phases.all()}
    is_open = {n for n, state in states.items() if state == PhaseState.OPEN}
    todos: list[Todo] = []
    office = access.is_cycle_office(user, cycle)
    principal_schools = access.principal_schools(user, cycle)
    if REVIEW in is_open:
        if office:
            pending = plan_selectors.pending_comments(cycle)
            if pending:
                todos.append(Todo("answer_comments", pending))
        todos.extend(Todo("comment_draft", school=s) for s in principal_schools)
    if OPINIONS in is_open:
        if office:
            undecided = consultation_selectors.undecided_opinions(cycle)
            if undecided:
                todos.append(Todo("decide_opinions", undecided))
        if principal_schools:
            unreported = dict(
                StaffOpinion.objects.filter(cycle=cycle, school__in=principal_schools,
                                            report__isnull=True)
                .values_list("school").annotate(n=Count("pk"))
            )
            reported = set(OpinionReport.objects.filter(
                cycle=cycle, school__in=principal_schools).values_list("school", flat=True))
            todos.extend(
                Todo("report_opinions", unreported.get(s.pk, 0), school=s)
                for s in principal_schools
                if unreported.get(s.pk) or s.pk not in reported
            )
        if scope.staff_id and Staff.objects.filter(
            pk=scope.staff_id, school__township_id=cycle.township_id
        ).exists():
            todos.append(Todo("send_opinion"))
    if VOTE in is_open and scope.staff_id:
        rep = Representative.objects.filter(cycle=cycle, staff_id=scope.staff_id).first()
        vote = cycle.votes.filter(closed_at__isnull=True).first()
        if rep and vote and not Ballot.objects.filter(vote=vote, representative=rep).exists():
            todos.append(Todo("vote"))
    todos.extend(_step_2_todos(user, cycle, is_open, office, principal_schools, scope))
    return todos


def _step_2_todos(user, cycle, is_open, office, principal_schools, scope) -> list[Todo]:
    """Step 2's to-dos: ``set_posts`` (principal, phase 5), ``submit_intention`` (staff
    without one, phase 5), ``select`` and ``answer_proposals`` (principal, phase 6),
    ``committee`` (phase 6: a liaison or a named member on another school's hiring
    committee), ``approve_cadres`` (office, phase 6), ``place_unhired`` (office,
    phase 7)."""

    todos = []
    if INTENTIONS in is_open:
        todos.extend(Todo("set_posts", school=s) for s in principal_schools)
        if scope.staff_id and not Intention.objects.filter(
            cycle=cycle, staff_id=scope.staff_id
        ).exists() and Staff.objects.filter(
            pk=scope.staff_id, school__township_id=cycle.township_id
        ).exists():
            todos.append(Todo("submit_intention"))
    if SELECTION in is_open:
        todos.extend(Todo("select", school=s) for s in principal_schools)
        todos.extend(Todo("committee", school=s) for s in access.committee_schools(user, cycle)
                     if s not in principal_schools)
        waiting = dict(
            Proposal.objects.filter(cycle=cycle, status=Proposal.Status.PROPOSED,
                                    post__school__in=principal_schools)
            .values_list("post__school").annotate(n=Count("pk"))
        )
        todos.extend(Todo("answer_proposals", waiting[s.pk], school=s)
                     for s in principal_schools if waiting.get(s.pk))
        if office:
            cadres = CadreProposal.objects.filter(
                cycle=cycle, status=CadreProposal.Status.PROPOSED).count()
            if cadres:
                todos.append(Todo("approve_cadres", cadres))
    if UNHIRED in is_open and office:
        todos.append(Todo("place_unhired"))
    return todos


CYCLES_SHOWN = 50


def cycle_list(user) -> QuerySet[Cycle]:
    """The cycles a login sees, newest first, each with its open phases."""
    return (
        access.cycles_visible(user)
        .select_related("township")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.filter(state=PhaseState.OPEN),
                     to_attr="open_phases")
        )
        .order_by("-school_year", "township__name")[:CYCLES_SHOWN]
    )


def current_cycle_id(user) -> int | None:
    """The latest visible cycle's id, for the navigation: one query, cached on the login
    for the rest of the request (like ``schools.access.scope_of``)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_staffing_cycle_id"):
        user._staffing_cycle_id = (
            access.cycles_visible(user).order_by("-school_year", "pk").values_list("pk", flat=True)
            .first()
        )
    return user._staffing_cycle_id


@dataclass
class StepPhases:
    """One step of the cycle and its phases, as the cycle's page lists them."""

    number: int
    heading: str
    phases: list[Phase]


def staff_phases(cycle: Cycle) -> list[StepPhases]:
    """The ten phases by step, for every login that is not the office: Step 1 (the plan),
    Step 2 (posts, intentions, selection, the unhired) and Step 3 (contracts, attendance,
    assessment), the last listed with its dates even before its pages exist."""
    phases = list(cycle.phases.order_by("number"))
    return [StepPhases(step, STEP_HEADINGS[step],
                       [p for p in phases if PHASES[p.number].step == step])
            for step in sorted(STEP_HEADINGS)]


@dataclass(frozen=True)
class PhaseChange:
    """One change to a phase: opened, closed or re-dated, by whom and when."""

    when: datetime
    who: str
    number: int
    changes: list[plan_selectors.ValueChange]
    reason: str = ""  # why the office made it (a phase reopened)

    @property
    def label(self):
        return PHASES[self.number].label


def phase_changes(cycle: Cycle, *, limit: int | None = None) -> list[PhaseChange]:
    """The cycle's phase history, newest first, in one query (the ten phases' creation
    with the cycle is left out: the cycle shows who created it)."""
    records = (
        Phase.history.filter(cycle_id=cycle.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    state = Phase._meta.get_field("state")
    start = Phase._meta.get_field("start_date")
    deadline = Phase._meta.get_field("deadline")
    states = dict(PhaseState.choices)
    last = {}
    found = []
    for record in records:
        before = last.get(record.id)
        last[record.id] = record
        if before is None:
            continue
        changes = [
            plan_selectors.ValueChange(str(f.verbose_name), show(getattr(before, f.name)),
                        show(getattr(record, f.name)))
            for f, show in ((state, lambda v: str(states.get(v, v))),
                            (start, date.isoformat), (deadline, date.isoformat))
        ]
        changes = [c for c in changes if c.changed]
        if changes:
            found.append(
                PhaseChange(
                    record.history_date,
                    display_name(record.history_user),
                    record.number,
                    changes,
                    record.history_change_reason or "",
                )
            )
    found.reverse()
    return found[:limit] if limit is not None else found
