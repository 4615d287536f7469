"""Reads of the cycle for pages and exports: scoped, with a bounded number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from schools import access
from schools.models import School, Staff

from . import workflow
from .models import (
    Ballot,
    Cycle,
    OpinionReport,
    Phase,
    PhaseState,
    PlanRevision,
    PlanSchool,
    Representative,
    ReviewComment,
    StaffOpinion,
    Vote,
)
from .phases import INTENTIONS, OPINIONS, PHASES, REVIEW, SELECTION, UNHIRED, VOTE
from .sections import DiffLine, compare, plan_sections
from .services import close_blockers

# Fixed Chinese words for exports (a data contract, whatever the interface language).
STATE_WORDS = {
    PhaseState.NOT_STARTED: "未开始",
    PhaseState.OPEN: "进行中",
    PhaseState.CLOSED: "已结束",
}
RESULT_WORDS = {Vote.Result.ADOPTED: "通过", Vote.Result.REJECTED: "未通过", "": "表决中"}


def cycles_visible(user) -> QuerySet[Cycle]:
    """Cycles of the townships a login belongs to, by any role."""
    scope = access.scope_of(user)
    if scope.superuser:
        return Cycle.objects.all()
    school_ids = scope.liaison_school_ids | scope.principal_school_ids
    own = Staff.objects.filter(pk=scope.staff_id).values("school__township_id")
    return Cycle.objects.filter(
        Q(township__in=access.townships_managed(user).values("pk"))
        | Q(township__schools__in=school_ids)
        | Q(township_id__in=own)
    ).distinct()


def cycle_current(user) -> Cycle | None:
    return cycles_visible(user).select_related("township", "adopted_revision").order_by(
        "-school_year"
    ).first()


def latest_revision(cycle: Cycle) -> PlanRevision | None:
    return cycle.revisions.order_by("-number").first()


@dataclass
class PhaseRow:
    phase: Phase
    open_refusal: str | None
    close_refusal: str | None

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

    def phase(self, number: int) -> Phase:
        return self.phases[number - 1].phase


def dashboard(cycle: Cycle) -> Dashboard:
    """The office's view of a cycle: phases with what blocks each, and who is awaited.

    Phases 6 and 7 cost one count each, and only while open (``close_blockers``)."""
    phases = list(cycle.phases.order_by("number"))
    by_number = {p.number: p for p in phases}
    revisions = cycle.revisions.count()
    representatives = cycle.representatives.count()
    pending_comments = ReviewComment.objects.filter(
        revision__cycle=cycle, status=ReviewComment.Status.PENDING
    ).count()
    undecided = StaffOpinion.objects.filter(
        cycle=cycle, report__isnull=False, status=StaffOpinion.Status.PENDING
    ).count()
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
        )
        for p in phases
    ]
    board = Dashboard(
        cycle=cycle, phases=rows, revision=latest_revision(cycle), revisions=revisions,
        representatives=representatives, pending_comments=pending_comments,
        undecided_opinions=undecided,
    )
    if by_number[OPINIONS].state != PhaseState.NOT_STARTED:
        board.schools_not_reported = schools_not_reported(cycle)
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


def schools_not_reported(cycle: Cycle) -> list[School]:
    """Schools that have never reported, or have opinions not yet reported."""
    reported = OpinionReport.objects.filter(cycle=cycle, school=OuterRef("pk"))
    unreported = StaffOpinion.objects.filter(cycle=cycle, school=OuterRef("pk"),
                                             report__isnull=True)
    return list(
        School.objects.filter(township_id=cycle.township_id)
        .filter(~Exists(reported) | Exists(unreported))
        .order_by("name")
    )


def phase_states(cycle: Cycle) -> dict[int, Phase]:
    return {p.number: p for p in cycle.phases.all()}


def comments_for(revision: PlanRevision) -> QuerySet[ReviewComment]:
    return revision.comments.select_related("author", "school", "answered_by").order_by(
        "section", "created_at"
    )


def opinions_for_office(cycle: Cycle) -> QuerySet[StaffOpinion]:
    """Reported opinions, for the office to decide."""
    return (
        StaffOpinion.objects.filter(cycle=cycle, report__isnull=False)
        .select_related("staff", "school", "decided_by", "revision", "report")
        .order_by("school__name", "-created_at")
    )


def opinions_for_school(cycle: Cycle, school: School) -> QuerySet[StaffOpinion]:
    return (
        StaffOpinion.objects.filter(cycle=cycle, school=school)
        .select_related("staff", "report", "decided_by", "revision")
        .order_by("-created_at")
    )


def opinions_of(cycle: Cycle, staff: Staff) -> QuerySet[StaffOpinion]:
    return StaffOpinion.objects.filter(cycle=cycle, staff=staff).select_related(
        "revision", "report"
    )


def representatives_of(cycle: Cycle) -> QuerySet[Representative]:
    return cycle.representatives.select_related("staff__school", "named_by")


def votes_of(cycle: Cycle) -> QuerySet[Vote]:
    return cycle.votes.select_related("revision").annotate(cast=Count("ballots")).order_by(
        "opened_at"
    )


def revisions_of(cycle: Cycle) -> QuerySet[PlanRevision]:
    return cycle.revisions.select_related("created_by").prefetch_related(
        Prefetch("schools", queryset=PlanSchool.objects.select_related("school"))
    )


PHASE_SHEET = "环节"
VOTE_SHEET = "表决"
PHASE_HEADERS = ["序号", "步骤", "环节", "开始", "截止", "状态"]
VOTE_HEADERS = ["轮次", "方案版本", "代表人数", "参加人数", "赞成", "反对", "弃权", "结果"]


def cycle_report_sheets(cycle: Cycle):
    """The cycle report (sheets 环节 and 表决), as the dashboard shows the same figures.

    An open vote shows its turnout so far; its for/against/abstain stay blank until the
    close, when the result is announced.
    """
    from staffing.workbook import SheetSpec

    phase_rows = [
        [p.number, PHASES[p.number].step_name, PHASES[p.number].name, p.start_date, p.deadline,
         STATE_WORDS[p.state]]
        for p in cycle.phases.order_by("number")
    ]
    reps = cycle.representatives.count()
    vote_rows = []
    for index, vote in enumerate(votes_of(cycle), start=1):
        if vote.closed_at is None:
            vote_rows.append([index, vote.revision.number, reps, vote.cast, None, None, None,
                              RESULT_WORDS[""]])
        else:
            vote_rows.append([index, vote.revision.number, vote.representatives, vote.turnout,
                              vote.votes_for, vote.votes_against, vote.abstentions,
                              RESULT_WORDS[vote.result]])
    return [
        SheetSpec(PHASE_SHEET, PHASE_HEADERS, phase_rows),
        SheetSpec(VOTE_SHEET, VOTE_HEADERS, vote_rows),
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
    scope = access.scope_of(user)
    states = {p.number: p.state for p in cycle.phases.all()}
    is_open = {n for n, state in states.items() if state == PhaseState.OPEN}
    todos: list[Todo] = []
    office = access.townships_managed(user).filter(pk=cycle.township_id).exists()
    principal_schools = list(
        School.objects.filter(pk__in=scope.principal_school_ids, township_id=cycle.township_id)
    )
    if REVIEW in is_open:
        if office:
            pending = ReviewComment.objects.filter(
                revision__cycle=cycle, status=ReviewComment.Status.PENDING).count()
            if pending:
                todos.append(Todo("answer_comments", pending))
        todos.extend(Todo("comment_draft", school=s) for s in principal_schools)
    if OPINIONS in is_open:
        if office:
            undecided = StaffOpinion.objects.filter(
                cycle=cycle, report__isnull=False, status=StaffOpinion.Status.PENDING).count()
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
    todos.extend(_step_2_todos(cycle, is_open, office, principal_schools, scope))
    return todos


def _step_2_todos(cycle, is_open, office, principal_schools, scope) -> list[Todo]:
    """Step 2's to-dos: ``set_posts`` (principal, phase 5), ``submit_intention`` (staff
    without one, phase 5), ``select`` and ``answer_proposals`` (principal, phase 6),
    ``approve_cadres`` (office, phase 6), ``place_unhired`` (office, phase 7)."""
    from .models import CadreProposal, Intention, Proposal

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


# --- pages of phases 3 and 4 (recruitment/views/consult.py) --------------------------

OPINIONS_PER_PAGE = 50
REPRESENTATIVES_PER_PAGE = 50
STAFF_FOUND_SHOWN = 20
REPRESENTATIVE_CHANGES_SHOWN = 30


def opinion_get(cycle: Cycle, pk) -> StaffOpinion:
    """One opinion of this cycle, or 404 (an id of another cycle is not confirmed)."""
    return get_object_or_404(StaffOpinion.objects.select_related("cycle"), cycle=cycle, pk=pk)


def opinions_filtered(opinions: QuerySet[StaffOpinion], *, school=None, status: str = "",
                      query: str = "") -> QuerySet[StaffOpinion]:
    """Narrow a list of opinions to one school, one decision, and a text found in the
    opinion or its author's name."""
    if school is not None:
        opinions = opinions.filter(school=school)
    if status:
        opinions = opinions.filter(status=status)
    query = query.strip()
    if query:
        opinions = opinions.filter(Q(body__icontains=query) | Q(staff__name__icontains=query))
    return opinions


def opinions_unreported(cycle: Cycle, school: School) -> QuerySet[StaffOpinion]:
    return StaffOpinion.objects.filter(cycle=cycle, school=school, report__isnull=True)


def page_of(items: QuerySet, page, per_page: int = OPINIONS_PER_PAGE) -> Page:
    return Paginator(items, per_page).get_page(page)


def opinion_reports(cycle: Cycle, school: School | None = None) -> QuerySet[OpinionReport]:
    reports = OpinionReport.objects.filter(cycle=cycle).select_related("school", "reported_by")
    if school is not None:
        reports = reports.filter(school=school)
    return reports.order_by("-reported_at", "-pk")


@dataclass
class SchoolReportRow:
    """One school as the office sees phase 3: its reports, and whether it is awaited."""

    school: School
    reports: list[OpinionReport]
    awaited: bool

    @property
    def reported(self) -> int:
        return sum(report.count for report in self.reports)


def school_report_rows(cycle: Cycle) -> list[SchoolReportRow]:
    """Every school of the township with its reports, in three queries."""
    by_school: dict[int, list[OpinionReport]] = {}
    for report in opinion_reports(cycle):
        by_school.setdefault(report.school_id, []).append(report)
    awaited = {school.pk for school in schools_not_reported(cycle)}
    return [
        SchoolReportRow(school, by_school.get(school.pk, []), school.pk in awaited)
        for school in School.objects.filter(township_id=cycle.township_id).order_by("name")
    ]


def principal_schools_of(user, cycle: Cycle) -> list[School]:
    """The schools of the cycle's township this login leads as principal."""
    return list(
        School.objects.filter(
            pk__in=access.scope_of(user).principal_school_ids, township_id=cycle.township_id
        ).order_by("name")
    )


def representative_get(cycle: Cycle, pk) -> Representative:
    return get_object_or_404(
        Representative.objects.select_related("cycle", "staff__school"), cycle=cycle, pk=pk
    )


def staff_to_name(user, cycle: Cycle, query: str) -> list[Staff]:
    """Staff of the township whose name or school matches (or their resident ID, as
    ``schools.access.id_search_q`` allows), each marked ``is_representative``."""
    query = query.strip()
    if not query:
        return []
    return list(
        Staff.objects.filter(school__township_id=cycle.township_id)
        .filter(Q(name__icontains=query) | Q(school__name__icontains=query)
                | access.id_search_q(user, query))
        .select_related("school")
        .annotate(is_representative=Exists(
            Representative.objects.filter(cycle=cycle, staff=OuterRef("pk"))))
        .order_by("school__name", "name", "pk")[:STAFF_FOUND_SHOWN]
    )


def staff_of_township_get(cycle: Cycle, pk) -> Staff:
    return get_object_or_404(
        Staff.objects.select_related("school"), school__township_id=cycle.township_id, pk=pk
    )


def representative_changes(cycle: Cycle):
    """Who named or removed which representative, and when, newest first."""
    return (
        Representative.history.filter(cycle_id=cycle.pk, history_type__in=["+", "-"])
        .select_related("staff__school", "history_user")
        .order_by("-history_date", "-history_id")[:REPRESENTATIVE_CHANGES_SHOWN]
    )


@dataclass
class VotePage:
    """What the vote page shows one login: the vote (the open one, else the latest),
    its turnout, the login's own ballot time (never a choice), and every past vote."""

    phase: Phase
    votes: list[Vote]
    vote: Vote | None
    representatives: int
    representative: Representative | None
    own_ballot: Ballot | None
    # Names (never choices) of who has voted, for the office while the vote is open.
    turnout_names: list[Representative] | None = None

    @property
    def cast(self) -> int:
        return self.vote.cast if self.vote else 0

    @property
    def is_open(self) -> bool:
        return self.vote is not None and self.vote.closed_at is None


def vote_page(user, cycle: Cycle, *, office: bool) -> VotePage:
    votes = list(votes_of(cycle).select_related("opened_by", "closed_by"))
    vote = votes[-1] if votes else None
    staff_id = access.scope_of(user).staff_id
    representative = (
        Representative.objects.filter(cycle=cycle, staff_id=staff_id).first() if staff_id
        else None
    )
    own_ballot = None
    if vote is not None and representative is not None:
        own_ballot = Ballot.objects.filter(vote=vote, representative=representative).first()
    board = VotePage(
        phase=cycle.phases.get(number=VOTE), votes=votes, vote=vote,
        representatives=cycle.representatives.count() if vote is None or vote.closed_at is None
        else vote.representatives,
        representative=representative, own_ballot=own_ballot,
    )
    if office and board.is_open:
        board.turnout_names = list(
            representatives_of(cycle).annotate(has_voted=Exists(
                Ballot.objects.filter(vote=vote, representative=OuterRef("pk"))))
        )
    return board


# --- pages of the cycle dashboard and of phases 1–2 ------------------------------------

CYCLES_SHOWN = 50
REVISIONS_PER_PAGE = 50


def cycle_list(user) -> QuerySet[Cycle]:
    """The cycles a login sees, newest first, each with its open phases."""
    return (
        cycles_visible(user)
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
            cycles_visible(user).order_by("-school_year", "pk").values_list("pk", flat=True)
            .first()
        )
    return user._staffing_cycle_id


def staff_phases(cycle: Cycle) -> list[Phase]:
    """The phases principals and teachers take part in: Step 1 (the plan) and Step 2
    (posts, intentions, selection, the unhired)."""
    return list(cycle.phases.filter(number__lte=UNHIRED).order_by("number"))


def phase_get(cycle: Cycle, number: int) -> Phase:
    """One phase of a cycle the caller already resolved through ``access.cycle_get``."""
    return get_object_or_404(Phase.objects.select_related("cycle"), cycle=cycle, number=number)


def _with_schools(revisions: QuerySet[PlanRevision]) -> QuerySet[PlanRevision]:
    return revisions.select_related("created_by").prefetch_related(
        Prefetch("schools", queryset=PlanSchool.objects.select_related("school"))
    )


def revision_get(cycle: Cycle, number: int) -> PlanRevision:
    """One revision of the cycle's plan, with its schools; 404 if there is none."""
    return get_object_or_404(_with_schools(cycle.revisions.all()), number=number)


def latest_revision_with_schools(cycle: Cycle) -> PlanRevision | None:
    return _with_schools(cycle.revisions.all()).order_by("-number").first()


def plan_shown(cycle: Cycle) -> PlanRevision | None:
    """The plan as it stands: the adopted revision once the congress adopted one, else
    the latest draft."""
    revisions = _with_schools(cycle.revisions.all())
    if cycle.adopted_revision_id is not None:
        return revisions.get(pk=cycle.adopted_revision_id)
    return revisions.order_by("-number").first()


def revisions_page(cycle: Cycle, *, page=None) -> Page:
    """Every saved revision, newest first, with who saved it and its comment count."""
    revisions = (
        cycle.revisions.select_related("created_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-number")
    )
    return page_of(revisions, page, REVISIONS_PER_PAGE)


@dataclass(frozen=True)
class Setting:
    """One of a revision's selection-rule settings, as a page shows it."""

    label: str
    value: str


def plan_settings(revision: PlanRevision) -> list[Setting]:
    return [
        Setting(_("Teaching-load threshold (R2): fewer lessons a week do not count as "
                  "teaching staff"), str(revision.teaching_load_threshold)),
        Setting(_("Own-staff share of the establishment (R5): at least"),
                f"{revision.own_share_num}/{revision.own_share_den}"),
        Setting(_("Schools one intention may rank (R2)"), str(revision.max_applications)),
        Setting(_("Training test pass mark (R7)"), str(revision.training_pass_mark)),
    ]


@dataclass(frozen=True)
class PlanRow:
    """One school's line of the plan form: its posts and whether it recruits first."""

    school: School
    post_count: int
    first_step: bool


def plan_rows(cycle: Cycle, revision: PlanRevision | None) -> list[PlanRow]:
    """Every school of the township with its values in ``revision`` (its schools
    prefetched); a school the revision does not name yet starts from its own
    post-setting count, and the centres recruit first (two-step staffing)."""
    named = {row.school_id: row for row in revision.schools.all()} if revision else {}
    schools = sorted(School.objects.filter(township_id=cycle.township_id),
                     key=lambda s: (not s.is_centre, s.name))
    rows = []
    for school in schools:
        row = named.get(school.pk)
        if row is None:
            rows.append(PlanRow(school, school.post_count, school.is_centre))
        else:
            rows.append(PlanRow(school, row.post_count, row.first_step))
    return rows


def revision_matches(revision: PlanRevision, *, text: str, note: str, settings: dict,
                     schools: list[tuple[School, int, bool]]) -> bool:
    """Does ``revision`` (its schools prefetched) hold exactly these values? Tells a
    second click of the same form from a colleague's edit."""
    if revision.text != text.strip() or revision.note != note:
        return False
    if any(getattr(revision, name) != value for name, value in settings.items()):
        return False
    saved = {(row.school_id, row.post_count, row.first_step) for row in revision.schools.all()}
    return saved == {(school.pk, count, first) for school, count, first in schools}


@dataclass(frozen=True)
class ValueChange:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class RevisionDiff:
    """Two revisions side by side: text lines, settings, and the schools that differ."""

    old: PlanRevision
    new: PlanRevision
    lines: list[DiffLine]
    settings: list[ValueChange]
    schools: list[tuple[str, ValueChange, ValueChange]]  # name, posts, first step

    @property
    def changed_lines(self) -> int:
        return sum(line.kind != "same" for line in self.lines)


def revision_diff(old: PlanRevision, new: PlanRevision) -> RevisionDiff:
    """``old`` and ``new`` with their schools prefetched (``revision_get``)."""
    settings = [
        ValueChange(a.label, a.value, b.value)
        for a, b in zip(plan_settings(old), plan_settings(new), strict=True)
    ]
    before = {row.school_id: row for row in old.schools.all()}
    after = {row.school_id: row for row in new.schools.all()}
    names = {row.school_id: row.school.name for row in [*before.values(), *after.values()]}

    def posts(row):
        return "—" if row is None else str(row.post_count)

    def first(row):
        return "—" if row is None else (_("yes") if row.first_step else _("no"))

    schools = []
    for school_id in sorted(names, key=names.get):
        a, b = before.get(school_id), after.get(school_id)
        post_change = ValueChange("", posts(a), posts(b))
        first_change = ValueChange("", first(a), first(b))
        if post_change.changed or first_change.changed:
            schools.append((names[school_id], post_change, first_change))
    return RevisionDiff(old, new, compare(old.text, new.text), settings, schools)


@dataclass
class ReviewSection:
    index: int
    title: str
    body: str
    comments: list[ReviewComment]


@dataclass
class ReviewBoard:
    """Phase 2's page: the current draft by section with its comments, and comments
    left on drafts replaced since (still to be answered, or answered)."""

    revision: PlanRevision | None
    sections: list[ReviewSection]
    earlier: list[ReviewComment]

    @property
    def pending(self) -> int:
        comments = [c for s in self.sections for c in s.comments] + self.earlier
        return sum(c.status == ReviewComment.Status.PENDING for c in comments)


@dataclass(frozen=True)
class AnswerRecord:
    status: str
    reason: str
    who: str
    when: datetime


def review_board(cycle: Cycle) -> ReviewBoard:
    """Each comment carries ``answers``: its answers in order, from the comments'
    history (two queries for all of them, not two per comment)."""
    revision = latest_revision(cycle)
    comments = list(
        ReviewComment.objects.filter(revision__cycle=cycle)
        .select_related("author", "school", "answered_by", "revision")
        .order_by("revision__number", "section", "created_at", "pk")
    )
    answers = _answer_history(cycle)
    for comment in comments:
        comment.answers = answers.get(comment.pk, [])
    sections = []
    if revision is not None:
        sections = [ReviewSection(index, s.title, s.body, [])
                    for index, s in enumerate(plan_sections(revision.text))]
    earlier = []
    for comment in comments:
        if revision is not None and comment.revision_id == revision.pk:
            sections[comment.section].comments.append(comment)
        else:
            earlier.append(comment)
    return ReviewBoard(revision, sections, earlier)


def _answer_history(cycle: Cycle) -> dict[int, list[AnswerRecord]]:
    records = (
        ReviewComment.history.filter(revision__cycle=cycle)
        .exclude(status=ReviewComment.Status.PENDING)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    found: dict[int, list[AnswerRecord]] = {}
    for record in records:
        answers = found.setdefault(record.id, [])
        if answers and (answers[-1].status, answers[-1].reason) == (record.status,
                                                                   record.reason):
            continue
        answers.append(AnswerRecord(record.status, record.reason,
                                    _who(record.history_user), record.history_date))
    return found


def comment_get(cycle: Cycle, pk: int) -> ReviewComment:
    """A review comment on one of this cycle's revisions; 404 otherwise."""
    return get_object_or_404(
        ReviewComment.objects.select_related("revision__cycle"), revision__cycle=cycle, pk=pk
    )


@dataclass(frozen=True)
class PhaseChange:
    """One change to a phase: opened, closed or re-dated, by whom and when."""

    when: datetime
    who: str
    number: int
    changes: list[ValueChange]

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
            ValueChange(str(f.verbose_name), show(getattr(before, f.name)),
                        show(getattr(record, f.name)))
            for f, show in ((state, lambda v: str(states.get(v, v))),
                            (start, date.isoformat), (deadline, date.isoformat))
        ]
        changes = [c for c in changes if c.changed]
        if changes:
            found.append(PhaseChange(record.history_date, _who(record.history_user),
                                     record.number, changes))
    found.reverse()
    return found[:limit] if limit is not None else found


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
