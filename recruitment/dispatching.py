"""The office's Step-2 work after the schools' own selection: the allocation of
cross-school applicants (统一调配), the proposals the schools answer (R6), the
dispatch meeting (调度会), phase 7's training class (R7), and the outcome pages' reads.

An allocation is two steps: ``allocation_preview`` runs the engine of
spec/matching.md on the cycle as it stands and stores the run; the office reviews it
per school with the R5 figures, then ``allocation_send`` turns its placements into
proposals — once per run, and only for staff still unhired and seats still free.

The rules already written in ``selection`` (hires, seats, the phases of each action)
are called, not repeated; what is added here is what the office's pages need on top:
a post filled from the unhired belongs to a school that is short and has a free seat
(a proposal awaiting a school's answer holds its seat).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from schools import access
from schools.models import School, Staff
from staffing.workbook import SheetSpec

from . import selection, workflow
from .allocation import allocate, parse
from .models import (
    AllocationRun,
    Cycle,
    Hire,
    HireSource,
    Phase,
    PhaseState,
    Post,
    Proposal,
    TrainingEnrolment,
    UnhiredReason,
)
from .outcome import Outcome, PersonResult, outcome_sheets, result_of
from .phases import SELECTION, UNHIRED
from .services import _refuse, phase_close_check, phase_of, require_cycle_office

RUNS_SHOWN = 30
PROPOSALS_PER_PAGE = 50
UNHIRED_PER_PAGE = 50
SENT_REASON = gettext_noop("sent from an allocation run")


def _pk(engine_id: str) -> int:
    """The database id in one of ``selection.allocation_input``'s ids: "T17", "P34", "S3"."""
    return int(engine_id[1:])


# --- seats: what the office may still fill -------------------------------------------


def posts_with_free_seats(cycle: Cycle) -> QuerySet[Post]:
    """Published posts of the cycle, each with ``free``: its seats less hires, auxiliary
    duties held (R2 "1+X") and proposals awaiting a school (one query)."""
    return (
        Post.objects.filter(cycle=cycle, published_at__isnull=False)
        .select_related("school")
        .annotate(
            hired=Count("hires", distinct=True),
            held_as_duty=Count("extra_hires", distinct=True),
            claimed=Count("proposals", filter=Q(proposals__status=Proposal.Status.PROPOSED),
                          distinct=True),
        )
        .annotate(free=F("seats") - F("hired") - F("held_as_duty") - F("claimed"))
    )


def short_schools(cycle: Cycle) -> list[School]:
    """Schools with fewer hired than their establishment, remote first, each with
    ``hired`` and ``shortfall``."""
    schools = selection.understaffed(cycle)
    for school in schools:
        school.shortfall = school.establishment - school.hired
    return schools


def open_posts(cycle: Cycle, short: list[School] | None = None) -> list[Post]:
    """Posts the office may fill from the unhired (dispatch, R7): published, with a free
    seat, at a school that is short; remote schools first."""
    short = short_schools(cycle) if short is None else short
    order = {school.pk: index for index, school in enumerate(short)}
    posts = posts_with_free_seats(cycle).filter(school_id__in=order, free__gt=0)
    return sorted(posts, key=lambda p: (order[p.school_id], p.number))


def post_refusal(cycle: Cycle, post: Post) -> str | None:
    """May the office fill ``post`` from the unhired now? The reason if not."""
    if post.cycle_id != cycle.pk or post.published_at is None:
        return _("That post is not a published post of this cycle.")
    short = short_schools(cycle)
    if post.school_id not in {school.pk for school in short}:
        return _("%(school)s is not short of staff: it has hired its establishment.") % {
            "school": post.school}
    if post.pk not in {p.pk for p in open_posts(cycle, short)}:
        return _("Post %(n)d at %(school)s has no free seat (proposals awaiting the school "
                 "hold theirs).") % {"n": post.number, "school": post.school}
    return None


def _require_township_staff(cycle: Cycle, staff: Staff) -> None:
    if staff.school.township_id != cycle.township_id:
        raise ValidationError(_("%(name)s is not on this township's staff.") % {"name": staff})


# --- allocation: run, review, send ---------------------------------------------------


@transaction.atomic
def allocation_preview(*, by, cycle: Cycle, own_staff_first: bool) -> AllocationRun:
    """Run the engine on the cycle's intentions and committee rankings (own staff first
    or not: R5, 大稳小调) and store the run for the office to review. Nothing is sent."""
    require_cycle_office(by, cycle)
    Cycle.objects.select_for_update().get(pk=cycle.pk)  # one run or send at a time
    _refuse(workflow.acting_refusal(phase_of(cycle, SELECTION)))
    data = selection.allocation_input(cycle, own_staff_first=own_staff_first)
    if not data["teachers"]:
        raise ValidationError(_(
            "No applicant is waiting for allocation: everyone who applied is hired or has "
            "a proposal waiting, or no post they chose has a free seat."))
    result = allocate(parse(data)).as_json()
    return AllocationRun.objects.create(cycle=cycle, own_staff_first=own_staff_first,
                                        input=data, result=result, run_by=by)


def allocation_send_check(run: AllocationRun) -> str | None:
    """May the office send ``run``'s placements to the schools now? The reason if not."""
    refusal = workflow.acting_refusal(phase_of(run.cycle, SELECTION))
    if refusal:
        return refusal
    sent = run.proposals.select_related("proposed_by").order_by("proposed_at", "pk").first()
    if sent is not None:
        return _("This run was sent to the schools on %(when)s by %(who)s; a run is sent "
                 "once. Run the engine again for the applicants still waiting.") % {
            "when": dateformat.format(timezone.localtime(sent.proposed_at), "Y-m-d H:i"),
            "who": sent.proposed_by.get_full_name() or sent.proposed_by.get_username()}
    return None


@dataclass
class SendResult:
    proposals: list[Proposal]
    hired_since: int = 0  # placed, but hired by a school since the run
    proposed_since: int = 0  # placed, but paired with another post since
    full_since: int = 0  # placed, but the post's seats were taken since
    left_since: int = 0  # placed, but no longer on the township's staff

    @property
    def schools(self) -> int:
        return len({p.post.school_id for p in self.proposals})

    @property
    def skipped(self) -> int:
        return self.hired_since + self.proposed_since + self.full_since + self.left_since


@transaction.atomic
def allocation_send(*, by, run: AllocationRun) -> SendResult:
    """Send a reviewed run's placements to the schools as proposals, which each school
    confirms or declines (R6). Once per run; only staff still unhired and without a
    proposal, and only seats still free — the rest are counted, not sent."""
    cycle = run.cycle
    require_cycle_office(by, cycle)
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    run = AllocationRun.objects.select_for_update().select_related("cycle").get(pk=run.pk)
    _refuse(allocation_send_check(run))
    placed = {_pk(t): _pk(p) for t, p in run.result["assignment"].items() if p}
    hired = set(Hire.objects.filter(cycle=cycle, staff_id__in=placed)
                .values_list("staff_id", flat=True))
    proposed = set(Proposal.objects.filter(cycle=cycle, staff_id__in=placed,
                                           status=Proposal.Status.PROPOSED)
                   .values_list("staff_id", flat=True))
    posts = {p.pk: p for p in posts_with_free_seats(cycle).filter(pk__in=placed.values())}
    free = {pk: post.free for pk, post in posts.items()}
    staff = Staff.objects.filter(school__township_id=cycle.township_id).in_bulk(list(placed))
    result = SendResult(proposals=[])
    for staff_id, post_id in placed.items():
        if staff_id in hired:
            result.hired_since += 1
        elif staff_id in proposed:
            result.proposed_since += 1
        elif staff_id not in staff:
            result.left_since += 1
        elif free.get(post_id, 0) <= 0:
            result.full_since += 1
        else:
            free[post_id] -= 1
            result.proposals.append(Proposal(
                cycle=cycle, run=run, source=HireSource.ALLOCATION, staff=staff[staff_id],
                post=posts[post_id], proposed_by=by))
    if not result.proposals:
        raise ValidationError(_(
            "Nothing to send: every applicant this run placed has been hired or proposed "
            "since, or their post has no free seat left. Run the engine again."))
    try:
        with transaction.atomic():
            bulk_create_with_history(result.proposals, Proposal, default_user=by,
                                     default_change_reason=SENT_REASON)
    except IntegrityError:
        # A dispatch pairing of one of these staff committed meanwhile.
        raise ValidationError(_("One of these staff received a proposal meanwhile; nothing "
                                "was sent. Send again.")) from None
    return result


def runs_of(cycle: Cycle) -> list[AllocationRun]:
    """The latest runs, each with ``placed``, ``applicants`` and ``sent`` (proposals)."""
    runs = list(cycle.allocation_runs.select_related("run_by")
                .annotate(sent=Count("proposals")).order_by("-run_at", "-pk")[:RUNS_SHOWN])
    for run in runs:
        assignment = run.result["assignment"]
        run.applicants = len(assignment)
        run.placed = sum(1 for post in assignment.values() if post)
    return runs


def run_get(cycle: Cycle, pk) -> AllocationRun:
    """One run of this cycle, or 404."""
    return get_object_or_404(AllocationRun.objects.select_related("cycle", "run_by"),
                             cycle=cycle, pk=pk)


@dataclass
class Placement:
    staff: Staff
    post: Post
    proposal: Proposal | None = None  # once the run is sent


@dataclass
class RunSchool:
    """One school in a run: the engine's figures, and the live R5 share beside them."""

    school: School
    seats: int  # seats the engine could fill
    filled: int
    own_staff: int  # of those filled, the school's own staff
    share: selection.ShareRow
    placements: list[Placement] = field(default_factory=list)

    @property
    def own_after(self) -> int:
        """Own staff hired if every placement of the run is confirmed."""
        return self.share.own_staff + self.own_staff

    @property
    def below_after(self) -> bool:
        return self.own_after < self.share.needed


@dataclass
class Unplaced:
    staff: Staff
    choices: list[Post]


@dataclass
class RunReview:
    run: AllocationRun
    schools: list[RunSchool]
    unplaced: list[Unplaced]
    send_refusal: str | None

    @property
    def placed(self) -> int:
        return sum(len(row.placements) for row in self.schools)

    @property
    def sent(self) -> bool:
        return any(p.proposal for row in self.schools for p in row.placements)


def run_review(run: AllocationRun) -> RunReview:
    """A run per school (remote first): seats, filled and own staff as the engine found
    them, the live R5 share, each placement with its proposal once sent, and the
    applicants the engine could not place. A bounded number of queries."""
    cycle = run.cycle
    assignment = run.result["assignment"]
    choices = {_pk(t["id"]): [_pk(p) for p in t["preferences"]]
               for t in run.input["teachers"]}
    post_ids = {pid for ids in choices.values() for pid in ids}
    posts = Post.objects.select_related("school").in_bulk(list(post_ids))
    staff = Staff.objects.select_related("school").in_bulk([_pk(t) for t in assignment])
    proposals = {p.staff_id: p for p in run.proposals.select_related("decided_by")}
    shares = {row.school.pk: row for row in selection.own_staff_shares(cycle)}
    rows: dict[int, RunSchool] = {}
    for school_key, figures in run.result["schools"].items():
        school_id = _pk(school_key)
        if school_id in shares:
            rows[school_id] = RunSchool(shares[school_id].school, figures["seats"],
                                        figures["filled"], figures["own_staff"],
                                        shares[school_id])
    unplaced = []
    for teacher, post in assignment.items():
        person = staff.get(_pk(teacher))
        if person is None:
            continue  # removed from the roster since the run
        if post is None:
            unplaced.append(Unplaced(person, [posts[p] for p in choices.get(person.pk, [])
                                              if p in posts]))
            continue
        target = posts.get(_pk(post))
        if target is not None and target.school_id in rows:
            rows[target.school_id].placements.append(
                Placement(person, target, proposals.get(person.pk)))
    for row in rows.values():
        row.placements.sort(key=lambda p: (p.post.number, p.staff.name))
    unplaced.sort(key=lambda u: (u.staff.school.name, u.staff.name))
    order = {school_id: i for i, school_id in enumerate(shares)}  # remote first, by name
    return RunReview(run, sorted(rows.values(), key=lambda r: order[r.school.pk]),
                     unplaced, allocation_send_check(run))


# --- proposals: the schools answer ---------------------------------------------------


def schools_led(user, cycle: Cycle) -> set[int]:
    """Schools of the cycle's township this login leads or liaises for."""
    scope = access.scope_of(user)
    ids = scope.principal_school_ids | scope.liaison_school_ids
    if not ids:
        return set()
    return set(School.objects.filter(pk__in=ids, township_id=cycle.township_id)
               .values_list("pk", flat=True))


def may_decide(user, proposal: Proposal) -> bool:
    """Only the principal of the post's school answers a proposal (R6)."""
    return proposal.post.school_id in access.scope_of(user).principal_school_ids


def proposals_of(cycle: Cycle, *, school_ids: set[int] | None = None,
                 status: str = "") -> QuerySet[Proposal]:
    """The cycle's proposals (of ``school_ids``' posts when given), those awaiting an
    answer first, then the latest answered."""
    proposals = Proposal.objects.filter(cycle=cycle).select_related(
        "staff__school", "post__school", "run", "proposed_by", "decided_by")
    if school_ids is not None:
        proposals = proposals.filter(post__school_id__in=school_ids)
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by(F("decided_at").desc(nulls_first=True), "post__school__name",
                              "post__number", "staff__name", "pk")


def proposal_get(cycle: Cycle, pk) -> Proposal:
    """One proposal of this cycle, or 404."""
    return get_object_or_404(
        Proposal.objects.select_related("cycle", "staff__school", "post__school", "run",
                                        "proposed_by", "decided_by"),
        cycle=cycle, pk=pk)


def page_of(items, page, per_page: int) -> Page:
    return Paginator(items, per_page).get_page(page)


# --- the dispatch meeting (调度会) ----------------------------------------------------


@transaction.atomic
def dispatch_propose(*, by, cycle: Cycle, staff: Staff, post: Post) -> Proposal:
    """The dispatch meeting pairs a staff member still unhired with a free post of a
    school that is short (``selection.dispatch_pair`` checks the post); the school
    confirms or declines (R6)."""
    require_cycle_office(by, cycle)
    # The cycle's lock orders pairings with sends and with the phase's close (which
    # counts the proposals awaiting an answer).
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    _refuse(workflow.acting_refusal(phase_of(cycle, SELECTION)))
    _require_township_staff(cycle, staff)
    if UnhiredReason.objects.filter(cycle=cycle, staff=staff).exists():
        raise ValidationError(_("%(name)s has an explained status and needs no post.")
                              % {"name": staff})
    return selection.dispatch_pair(by=by, cycle=cycle, staff=staff, post=post)


@dataclass
class DispatchBoard:
    short: list[School]
    posts: list[Post]  # free posts of short schools
    page: Page  # the unhired, each with ``waiting``: their open proposal or None
    candidates: list[Staff]  # the unhired without an open proposal
    waiting: list[Proposal]  # dispatch proposals awaiting a school


def dispatch_board(cycle: Cycle, *, page=None) -> DispatchBoard:
    short = short_schools(cycle)
    unhired = selection.unhired(cycle)
    open_proposals = {p.staff_id: p for p in Proposal.objects.filter(
        cycle=cycle, status=Proposal.Status.PROPOSED).select_related("post__school")}
    listed = page_of(unhired, page, UNHIRED_PER_PAGE)
    for person in listed:
        person.waiting = open_proposals.get(person.pk)
    return DispatchBoard(
        short=short,
        posts=open_posts(cycle, short),
        page=listed,
        candidates=[s for s in unhired if s.pk not in open_proposals],
        waiting=list(proposals_of(cycle, status=Proposal.Status.PROPOSED)
                     .filter(source=HireSource.DISPATCH)),
    )


def township_staff_get(cycle: Cycle, pk) -> Staff:
    return get_object_or_404(Staff.objects.select_related("school"),
                             school__township_id=cycle.township_id, pk=pk)


def township_post_get(cycle: Cycle, pk) -> Post:
    return get_object_or_404(Post.objects.select_related("school"), cycle=cycle, pk=pk)


# --- phase 7: no one left without a post (R7) -----------------------------------------


@transaction.atomic
def trainee_place(*, by, enrolment: TrainingEnrolment, post: Post) -> Hire:
    """R7: a trainee who passed the test is assigned to a free post of a school that is
    short (``selection.trainee_assign`` checks the post and the pass mark, and takes the
    seat)."""
    cycle = enrolment.cycle
    require_cycle_office(by, cycle)
    Cycle.objects.select_for_update().get(pk=cycle.pk)  # ordered with the phase's close
    _refuse(workflow.acting_refusal(phase_of(cycle, UNHIRED)))
    return selection.trainee_assign(by=by, enrolment=enrolment, post=post)


def enrolment_get(cycle: Cycle, pk) -> TrainingEnrolment:
    """One training enrolment of this cycle, or 404."""
    return get_object_or_404(
        TrainingEnrolment.objects.select_related("cycle", "staff__school", "enrolled_by",
                                                 "scored_by"),
        cycle=cycle, pk=pk)


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


def unhired_board(cycle: Cycle, *, page=None) -> UnhiredBoard:
    """Phase 7 for the office: who is without a post, their training and test, what
    blocks the close. Bounded queries, paginated."""
    phase = phase_of(cycle, UNHIRED)
    pass_mark = selection.adopted_plan(cycle).training_pass_mark
    listed = page_of(selection.unhired(cycle), page, UNHIRED_PER_PAGE)
    enrolments = {e.staff_id: e for e in TrainingEnrolment.objects.filter(
        cycle=cycle, staff__in=[s.pk for s in listed])}
    for person in listed:
        person.enrolment = enrolments.get(person.pk)
        score = person.enrolment.score if person.enrolment else None
        person.passed = None if score is None else score >= pass_mark
    return UnhiredBoard(
        phase=phase,
        refusal=workflow.acting_refusal(phase),
        close_refusal=phase_close_check(phase) if phase.state == PhaseState.OPEN else None,
        page=listed,
        pass_mark=pass_mark,
        posts=open_posts(cycle),
        explained=list(UnhiredReason.objects.filter(cycle=cycle)
                       .select_related("staff__school", "recorded_by")
                       .order_by("staff__school__name", "staff__name")),
        assigned=list(Hire.objects.filter(cycle=cycle, source=HireSource.TRAINING)
                      .select_related("staff__school", "post__school")
                      .order_by("post__school__name", "staff__name")),
    )


# --- the outcome ---------------------------------------------------------------------


def outcome_schools(user, cycle: Cycle, *, office: bool) -> QuerySet[School] | None:
    """The schools whose rows a login sees in the outcome: every one for the office
    (``None``), their own for principals and liaisons (empty for anyone else); the
    township's totals are everyone's who sees the page."""
    if office:
        return None
    return School.objects.filter(pk__in=schools_led(user, cycle))


def outcome_export_sheets(result: Outcome, *, full_ids: bool) -> list[SheetSpec]:
    """``outcome.outcome_sheets``, the resident IDs masked for all but the office that
    keeps the roster (STYLE.md)."""
    from schools.resident_id import mask

    sheets = outcome_sheets(result)
    if full_ids:
        return sheets
    for sheet in sheets:
        if "身份证号" in sheet.headers:
            column = list(sheet.headers).index("身份证号")
            sheet.rows = [[mask(v) if i == column else v for i, v in enumerate(row)]
                          for row in sheet.rows]
    return sheets


@dataclass
class OwnResult:
    """What a staff member sees of their own outcome."""

    result: PersonResult
    waiting: Proposal | None  # a proposal awaiting a school's answer
    pass_mark: int | None

    @property
    def passed(self) -> bool | None:
        training = self.result.training
        if training is None or training.score is None or self.pass_mark is None:
            return None
        return training.score >= self.pass_mark


def own_result(cycle: Cycle, staff: Staff) -> OwnResult:
    plan = cycle.adopted_revision
    return OwnResult(
        result=result_of(cycle, staff),
        waiting=Proposal.objects.filter(cycle=cycle, staff=staff,
                                        status=Proposal.Status.PROPOSED)
        .select_related("post__school").first(),
        pass_mark=plan.training_pass_mark if plan else None,
    )

