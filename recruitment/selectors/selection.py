"""Phase 6: applicants, seats taken, R5 shares, vices due (R4), positions to end (R3), the
school board and the office's overview, and their checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment import access, rules, sheets, workflow
from recruitment.models import (
    Application,
    CadreProposal,
    CommitteeMember,
    CommitteeRole,
    Cycle,
    Decision,
    Hire,
    Phase,
    PhaseState,
    PlanSchool,
    Post,
    Ranking,
    ViceAssessment,
)
from recruitment.phases import INTENTIONS, SELECTION
from recruitment.selectors import common as common_selectors
from recruitment.selectors import plan as plan_selectors
from schools import access as school_access
from schools.models import Membership, Position, Role, School, Staff
from schools.resident_id import mask
from staffing import workbook as wb
from staffing.history import display_name


def applicants_of(post: Post) -> list[Staff]:
    """Staff whose application competes for ``post`` (its main post)."""
    ids = set(
        Application.objects.filter(intention__cycle_id=post.cycle_id, teaching_post=post)
        .values_list("intention__staff_id", flat=True)
    )
    for app in (Application.objects.filter(intention__cycle_id=post.cycle_id,
                                           teaching_post__isnull=True, auxiliary_posts=post)
                .prefetch_related("auxiliary_posts")):
        if rules.main_post(app).pk == post.pk:
            ids.add(app.intention.staff_id)
    return list(Staff.objects.filter(pk__in=ids).select_related("school"))


def ranking_check(by, staff: Staff, decision: str, *, applicant_ids: set[int]) -> str | None:
    """Why the committee may not record this ranking: not an applicant for the post, the
    member's own application, or no valid decision."""
    if staff.pk not in applicant_ids:
        return _("%(name)s did not apply for this post.") % {"name": staff}
    if staff.user_id is not None and staff.user_id == by.pk:
        return _("Nobody ranks their own application; another committee member does.")
    if decision not in Decision.values:
        return _("Choose hire, not hire or not yet decided.")
    return None


@dataclass(frozen=True)
class RankingRow:
    """One applicant's line in a post's ranking form."""

    staff: Staff
    rank: int | None
    decision: str


def rankings_check(by, post: Post, rows: list[RankingRow]) -> list[str]:
    """Every refusal of a post's ranking form, one per refused row, naming the applicant:
    ``ranking_check`` on each row, and a rank given to two applicants."""
    applicant_ids = {s.pk for s in applicants_of(post)}
    refusals = []
    seen: dict[int, Staff] = {}
    for row in rows:
        refusal = ranking_check(by, row.staff, row.decision, applicant_ids=applicant_ids)
        if refusal is None and row.rank is not None:
            if row.rank in seen:
                refusal = _("rank %(rank)d is already given to %(other)s") % {
                    "rank": row.rank, "other": seen[row.rank].name}
            seen.setdefault(row.rank, row.staff)
        if refusal:
            refusals.append(_("%(name)s: %(reason)s") % {"name": row.staff.name,
                                                         "reason": refusal})
    return refusals


def layer_refusal(cycle: Cycle, school: School) -> str | None:
    """Two-step staffing: the first-step schools (the centres) select first; the other
    schools take nobody on — by their committee's confirm, the office's proposal
    (allocation, dispatch) or a trainee's placement — until the office has closed the
    first layer, or the selection (phase 6) has closed. Asked by ``hire_create``, so
    every way into a seat keeps the order with the same words."""
    first = PlanSchool.objects.filter(revision_id=cycle.adopted_revision_id,
                                      first_step=True).values_list("school_id", flat=True)
    if school.pk in set(first) or cycle.first_layer_closed_at is not None:
        return None
    if common_selectors.phase_of(cycle, SELECTION).state == PhaseState.CLOSED:
        return None
    return _("The township-wide centres select first; wait until the office closes "
             "their layer.")


def cadre_refusal(cycle: Cycle, school: School) -> str | None:
    """Within a school, middle-level cadres first: hires wait for the office's approval.

    Asked by ``_take``, so every way into a seat of the school waits alike: the
    committee's confirm, a school confirming the office's proposal (allocation or
    dispatch) and the placement of a trainee."""
    if CadreProposal.objects.filter(cycle=cycle, school=school,
                                    status=CadreProposal.Status.PROPOSED).exists():
        return _("The school's proposed middle-level cadres are waiting for the office's "
                 "approval.")
    return None


def single_title_check(cycle: Cycle, school: School, staff: Staff, title: str, *,
                       proposal: CadreProposal | None = None) -> str | None:
    """Why ``staff`` may not become ``school``'s ``title`` (``rules.SINGLE_TITLES``): someone
    else holds that open position there, or is proposed for it this cycle (approved, or
    — for a new proposal — awaiting the office). ``proposal``: the one the office is
    approving. Asked by ``cadre_propose`` and by ``cadre_decide`` when it approves."""
    if title not in rules.SINGLE_TITLES:
        return None
    holder = (Position.objects.filter(school=school, title=title, end_date__isnull=True)
              .exclude(staff=staff).select_related("staff").first())
    if holder is not None:
        name = holder.staff.name
    else:
        statuses = [CadreProposal.Status.APPROVED]
        if proposal is None:  # the office chooses among the proposals awaiting it
            statuses.append(CadreProposal.Status.PROPOSED)
        other = (CadreProposal.objects.filter(cycle=cycle, school=school, title=title,
                                              status__in=statuses)
                 .exclude(staff=staff)
            .select_related("staff").first())
        name = None
        if other is not None:
            name = (_("%(name)s (proposed)") if other.status == CadreProposal.Status.PROPOSED
                    else _("%(name)s (approved)")) % {"name": other.staff.name}
    return rules.single_title_refusal(school=school, title=title, holder=name)


def seats_taken(post: Post) -> int:
    return Hire.objects.filter(post=post).count() + post.extra_hires.count()


def application_for(cycle: Cycle, staff: Staff, post: Post) -> Application | None:
    return (Application.objects.filter(intention__cycle=cycle, intention__staff=staff,
                                       school=post.school)
            .prefetch_related("auxiliary_posts").first())


def duties_of(application: Application | None, post: Post) -> list[Post]:
    """The auxiliary duties (R2's "+X") a hire to ``post`` brings from the person's choice
    at the school, by number: its auxiliary posts other than ``post`` itself."""
    if application is None:
        return []
    return sorted((p for p in application.auxiliary_posts.all() if p.pk != post.pk),
                  key=lambda p: p.number)


@dataclass(frozen=True)
class HirePreview:
    """What comes with a hire to ``post`` (R2 "1+X"): the auxiliary duties of the
    person's choice that have a free seat (``duties``, attached with the hire) and those
    that are full (``full``, not attached)."""

    post: Post
    staff: Staff
    duties: list[Post]
    full: list[Post]
    refusal: str | None = None  # several at once: the post full after the picks before it


def hire_preview(post: Post, staff: Staff) -> HirePreview:
    """Before a hire is confirmed: which auxiliary duties come with it and which cannot,
    counted as ``services.selection.hire_create`` counts them (``rules.full_refusal``),
    in three queries. The single confirmation asks it; the bulk one ``hire_previews``."""
    duties = duties_of(application_for(post.cycle, staff, post), post)
    taken = seats_taken_by_post(Post.objects.filter(pk__in=[d.pk for d in duties]))
    free = [d for d in duties if rules.full_refusal(d, taken.get(d.pk, 0)) is None]
    return HirePreview(post, staff, free, [d for d in duties if d not in free])


def hire_previews(picked: list[tuple[Post, Applicant]]) -> list[HirePreview]:
    """Before several hires are confirmed at once (``services.selection.hires_confirm``
    confirms them in this order): which auxiliary duties come with each and which cannot,
    counted as ``hire_create`` counts them. Each pick that may be confirmed takes its
    post's seat and its duties' free seats before the next is counted, so two picks
    sharing a duty's last seat show it coming with the first only, and a pick beyond a
    post's last seat says the post is full (``refusal``). Two queries for the
    seats, however many picks (the choices' duties are the board's, prefetched)."""
    duties = {(post.pk, a.staff.pk): duties_of(a.application, post) for post, a in picked}
    taken = seats_taken_by_post(Post.objects.filter(
        pk__in={post.pk for post, _a in picked} | {d.pk for ds in duties.values() for d in ds}))
    previews = []
    for post, applicant in picked:
        mine = duties[(post.pk, applicant.staff.pk)]
        free = [d for d in mine if rules.full_refusal(d, taken.get(d.pk, 0)) is None]
        full = None if applicant.confirm_refusal else rules.full_refusal(post,
                                                                         taken.get(post.pk, 0))
        if applicant.confirm_refusal is None and full is None:
            for seat in (post, *free):
                taken[seat.pk] = taken.get(seat.pk, 0) + 1
        previews.append(HirePreview(post, applicant.staff, free,
                                    [d for d in mine if d not in free], refusal=full))
    return previews


def hire_outcome(hire: Hire) -> HirePreview:
    """After a hire: the duties of the person's choice that came with it, and those left
    out because they were full when it was confirmed."""
    attached = list(hire.extra_posts.order_by("number"))
    duties = duties_of(application_for(hire.cycle, hire.staff, hire.post), hire.post)
    return HirePreview(hire.post, hire.staff, attached,
                       [d for d in duties if d not in attached])


def hire_withdraw_check(hire: Hire) -> str | None:
    """May the office withdraw ``hire`` now? While phase 6 is open (R6: the selection's
    result is settled when it closes), and not from a middle-level cadre proposed or
    approved at the school (R3: their position stands on this post). The page and
    ``services.selection.hire_withdraw`` ask it."""
    refusal = workflow.acting_refusal(common_selectors.phase_of(hire.cycle, SELECTION))
    if refusal:
        return refusal
    if (CadreProposal.objects.filter(cycle_id=hire.cycle_id, staff_id=hire.staff_id,
                                     school_id=hire.post.school_id)
            .exclude(status=CadreProposal.Status.REJECTED).exists()):
        return _("%(name)s is proposed or approved as a middle-level cadre here: the position "
                 "stands on this hire (R3), which is not withdrawn.") % {"name": hire.staff}
    return None


@dataclass(frozen=True)
class WithdrawnHire:
    """A hire the office withdrew: who, to which post, by whom, when and why."""

    name: str
    post_number: int
    by: str
    when: datetime
    reason: str


def withdrawn_hires(cycle: Cycle, school: School) -> list[WithdrawnHire]:
    """The hires withdrawn at ``school`` this cycle, newest first, from their history
    (the deletion's record keeps the reason): one query."""
    records = (Hire.history.filter(cycle_id=cycle.pk, post__school_id=school.pk,
                                   history_type="-")
               .select_related("staff", "post", "history_user")
               .order_by("-history_date", "-history_id"))
    return [WithdrawnHire(r.staff.name, r.post.number, display_name(r.history_user),
                          r.history_date, r.history_change_reason or "") for r in records]


@dataclass
class ShareRow:
    school: School
    establishment: int
    hired: int
    own_staff: int
    needed: int  # own staff needed for the plan's share of the establishment

    @property
    def below(self) -> bool:
        return self.own_staff < self.needed


def own_staff_shares(cycle: Cycle) -> list[ShareRow]:
    """R5 live, per school: own original staff among the newly hired against
    own_share_num/own_share_den of the establishment (rounded up)."""
    plan = plan_selectors.adopted_plan(cycle)
    rows = []
    schools = School.objects.filter(township_id=cycle.township_id).annotate(
        hired=Count("posts__hires", filter=Q(posts__cycle=cycle), distinct=True),
        own=Count("posts__hires", filter=Q(posts__cycle=cycle,
                                           posts__hires__staff__school=F("pk")),
                  distinct=True),
    ).order_by("-remote", "name")
    for school in schools:
        needed = rules.own_staff_needed(school.establishment, plan.own_share_num,
                                        plan.own_share_den)
        rows.append(ShareRow(school, school.establishment, school.hired, school.own, needed))
    return rows


def vices_due(cycle: Cycle, school: School | None = None):
    """R4: vice principals whose full three-year term is over by the cycle's start."""
    limit = rules.vice_term_limit(common_selectors.phase_of(cycle, INTENTIONS).start_date)
    positions = Position.objects.filter(
        school__township_id=cycle.township_id, title__in=rules.VICE_TITLES, end_date__isnull=True,
        start_date__lte=limit,
    ).select_related("staff", "school")
    if school is not None:
        positions = positions.filter(school=school)
    return positions.exclude(pk__in=cycle.vice_assessments.values("position_id"))


def vice_assess_check(*, by, cycle: Cycle, school: School,
                      position: Position | None = None) -> str | None:
    """R4: why ``by`` may not assess the school's vice principal now
    (``rules.vice_assess_refusal``); without a position, the vices page's buttons for those
    due. ``selection_services.vice_assess`` asks the same."""
    return rules.vice_assess_refusal(
        principal=access.is_principal(by, school.pk),
        assessing_open=any(common_selectors.phase_of(cycle, n).state == PhaseState.OPEN
                           for n in (INTENTIONS, SELECTION)),
        due=position is None or vices_due(cycle, school).filter(pk=position.pk).exists())


CADRE_DECISIONS_SHOWN = 20
COMMITTEE_CHANGES_SHOWN = 30


def member_name(user) -> str:
    """A member as the committee knows them: the person's name (see
    ``staffing.history.display_name``)."""
    return display_name(user)


def member_refusal(school: School, user, role: str) -> str | None:
    """Why ``user`` cannot sit on ``school``'s committee as ``role``: a liaison or the
    principal by their membership of the school; the party secretary (who may hold the
    principal's membership) and backbone teachers from the school's staff."""
    if role not in CommitteeRole.values:
        return _("Choose the member's role on the committee.")
    roles = set(Membership.objects.filter(user=user, school=school)
                .values_list("role", flat=True))
    on_staff = Staff.objects.filter(user=user, school=school).exists()
    values = {"name": member_name(user), "school": school.name}
    if role == CommitteeRole.LIAISON and Role.LIAISON not in roles:
        return _("%(name)s is not a liaison of %(school)s.") % values
    if role == CommitteeRole.PRINCIPAL and Role.PRINCIPAL not in roles:
        return _("%(name)s is not the principal of %(school)s.") % values
    if role == CommitteeRole.SECRETARY and not (on_staff or Role.PRINCIPAL in roles):
        return _("%(name)s is not on the staff of %(school)s.") % values
    if role == CommitteeRole.BACKBONE and not on_staff:
        return _("%(name)s is not on the staff of %(school)s.") % values
    return None


@dataclass(frozen=True)
class Candidate:
    """A login who may be named to the committee, and why (liaison, principal, staff)."""

    user_id: int
    name: str
    note: str


def committee_candidates(school: School, *, excluding: set[int]) -> list[Candidate]:
    """The school's liaisons, its principal and its staff with a login, in two queries."""
    found: dict[int, Candidate] = {}
    notes = {Role.LIAISON: _("liaison"), Role.PRINCIPAL: _("principal")}
    for membership in (Membership.objects.filter(school=school, role__in=list(notes))
                       .select_related("user__staff_profile").order_by("role", "user_id")):
        user = membership.user
        found.setdefault(user.pk, Candidate(user.pk, member_name(user),
                                            str(notes[membership.role])))
    for staff in (Staff.objects.filter(school=school, user__isnull=False)
                  .order_by("name", "pk")):
        found.setdefault(staff.user_id, Candidate(staff.user_id, staff.name, _("staff")))
    return [c for c in found.values() if c.user_id not in excluding]


@dataclass(frozen=True)
class MemberRow:
    member: CommitteeMember
    name: str
    added_by: str
    added_at: datetime | None


@dataclass(frozen=True)
class MemberChange:
    when: datetime
    who: str
    name: str
    role: str
    added: bool


def committee_of(cycle: Cycle, school: School) -> tuple[list[MemberRow], list[MemberChange]]:
    """The committee's members with who named them and when, and the latest changes
    (named, removed), newest first: two queries."""
    members = list(CommitteeMember.objects.filter(cycle=cycle, school=school)
                   .select_related("user__staff_profile").order_by("role", "pk"))
    records = list(
        CommitteeMember.history.filter(cycle_id=cycle.pk, school_id=school.pk,
                                       history_type__in=["+", "-"])
        .select_related("history_user__staff_profile", "user__staff_profile")
        .order_by("-history_date", "-history_id")
    )
    added = {r.id: r for r in reversed(records) if r.history_type == "+"}
    roles = dict(CommitteeRole.choices)
    rows = []
    for member in members:
        record = added.get(member.pk)
        rows.append(MemberRow(
            member, member_name(member.user),
            member_name(record.history_user) if record and record.history_user else "",
            record.history_date if record else None))
    changes = [
        MemberChange(r.history_date, member_name(r.history_user) if r.history_user else "",
                     member_name(r.user), str(roles.get(r.role, r.role)), r.history_type == "+")
        for r in records[:COMMITTEE_CHANGES_SHOWN]
    ]
    return rows, changes


def confirm_refusal(*, principal: bool, refusal: str | None, first_step: bool, row: PostRow,
                    staff: Staff, by=None, office: bool = False,
                    principal_users: frozenset = frozenset()) -> str | None:
    """R6: why the principal's confirmation of a 'hire' decision would be refused, in
    ``selection.hire_confirm``'s order: who confirms, the phase, the layer and the cadres
    first (``refusal``, the same for the whole school), cross-school, a full post. Who
    confirms is ``access.may_confirm_hire``, asked with what the board read once."""
    if not principal and not (office and staff.user_id in principal_users):
        return _("Only the principal confirms hires.")
    return rules.hire_confirm_refusal(
        own_hire=by is not None and staff.user_id == by.pk, refusal=refusal, decided=True,
        staff=staff, post=row.post, first_step=first_step, taken=row.taken)


@dataclass
class Applicant:
    """One applicant for one post: their choice at the school, the committee's ranking,
    their hire in the cycle (wherever it is), and why the principal may not confirm."""

    staff: Staff
    application: Application
    ranking: Ranking | None
    hire: Hire | None
    confirm_refusal: str | None = None
    form_index: int | None = None  # the row in the post's ranking form (not hired yet)

    @property
    def own_staff(self) -> bool:
        return self.staff.school_id == self.application.school_id

    @property
    def other_choices(self) -> list[Application]:
        """The person's choices at other schools, in their order (prefetched as
        ``intention.choices`` by ``school_board``)."""
        return [a for a in getattr(self.application.intention, "choices", [])
                if a.pk != self.application.pk]

    @property
    def subject_match(self) -> bool | None:
        """Whether the applicant's subject is the teaching post's (None: nothing to
        compare, an auxiliary post or no subject on record)."""
        return rules.subject_match(self.staff, self.application.teaching_post)

    @property
    def decision(self) -> str:
        return self.ranking.decision if self.ranking else Decision.PENDING

    @property
    def awaiting_confirmation(self) -> bool:
        return self.decision == Decision.HIRE and self.hire is None

    def order(self) -> tuple:
        """The committee's order: by rank, the unranked after, then by name."""
        rank = self.ranking.rank if self.ranking else None
        return (rank is None, rank or 0, self.staff.name, self.staff.pk)


@dataclass(frozen=True)
class DutyApplicant:
    """Someone who chose an auxiliary post as an extra duty ("+X") of a choice whose main
    post is another: they compete for the main post, and hold the duty if their hire
    there brought it (``holds``)."""

    staff: Staff
    main_post: Post
    hire: Hire | None
    holds: bool


@dataclass
class PostRow:
    post: Post
    taken: int
    applicants: list[Applicant] = field(default_factory=list)
    duty_applicants: list[DutyApplicant] = field(default_factory=list)
    cutoff: int | None = None  # the last admitted rank: the worst rank of those hired here

    @property
    def free(self) -> int:
        return max(self.post.seats - self.taken, 0)

    @property
    def rankable(self) -> list[Applicant]:
        """The applicants the committee still ranks (not hired anywhere yet)."""
        return [a for a in self.applicants if a.hire is None]


@dataclass(frozen=True)
class PositionRow:
    """R3 live: a leadership position at the school, and its holder's hire here this
    cycle (hired elsewhere, the position has ended: ``selection._take``)."""

    position: Position
    hire: Hire | None


@dataclass
class SchoolBoard:
    cycle: Cycle
    school: School
    phase: Phase
    office: bool
    principal: bool
    liaison: bool
    committee: bool
    manager: bool
    first_step: bool
    layer_refusal: str | None
    cadre_refusal: str | None
    posts: list[PostRow]
    hires: list[Hire]
    proposals: list[CadreProposal]
    proposable: list[Staff]
    positions: list[PositionRow]
    share: ShareRow | None
    members: list[MemberRow]
    member_changes: list[MemberChange]
    candidates: list[Candidate]
    withdrawn: list[WithdrawnHire] = field(default_factory=list)

    @property
    def phase_refusal(self) -> str | None:
        return workflow.acting_refusal(self.phase)

    @property
    def withdraw_refusal(self) -> str | None:
        """Why this login may not withdraw hires now (the cadres' case is asked per hire
        on the confirmation page: ``hire_withdraw_check``)."""
        if not self.office:
            return _("Only the office withdraws a confirmed hire.")
        return self.phase_refusal

    @property
    def may_see_vices(self) -> bool:
        """As ``may_see_vices``, from what the board already knows."""
        return self.principal or self.liaison or self.office

    @property
    def rank_refusal(self) -> str | None:
        """Why this login may not record rankings now (the same for every applicant)."""
        if not self.committee:
            return _("Only the school's hiring committee ranks applicants.")
        return self.phase_refusal

    @property
    def propose_refusal(self) -> str | None:
        if not self.committee:
            return _("Only the school's hiring committee proposes middle-level cadres.")
        return self.phase_refusal or (
            None if self.proposable else _("Nobody hired here is left to propose: post "
                                           "before position (R3)."))

    @property
    def committee_refusal(self) -> str | None:
        if not self.manager:
            return _("Only the principal or the office forms the committee.")
        return rules.committee_change_refusal(self.phase)

    @property
    def awaiting_confirmation(self) -> int:
        return sum(a.awaiting_confirmation for row in self.posts for a in row.applicants)

    def picked(self, pairs: list[tuple[int, int]]) -> list[tuple[Post, Applicant]]:
        """The (post id, staff id) pairs the principal picked, as on this board: each
        post with its applicant, in the order picked; a pair that is no decision
        awaiting confirmation is left out."""
        found = {(row.post.pk, a.staff.pk): (row.post, a) for row in self.posts
                 for a in row.applicants if a.awaiting_confirmation}
        return [found[pair] for pair in pairs if pair in found]

    @property
    def confirmable(self) -> list[Applicant]:
        """Hire decisions the principal may confirm now (no refusal)."""
        return [a for row in self.posts for a in row.applicants
                if a.awaiting_confirmation and a.confirm_refusal is None]

    @property
    def applicants(self) -> int:
        return sum(len(row.applicants) for row in self.posts)


def seats_taken_by_post(posts: QuerySet[Post]) -> dict[int, int]:
    """Seats taken per post: its hires, and the hires holding it as an auxiliary duty."""
    taken: dict[int, int] = {}
    for post_id, n in (Hire.objects.filter(post__in=posts).order_by()
                       .values_list("post_id").annotate(n=Count("pk"))):
        taken[post_id] = taken.get(post_id, 0) + n
    for post_id, n in (Hire.extra_posts.through.objects.filter(post__in=posts).order_by()
                       .values_list("post_id").annotate(n=Count("pk"))):
        taken[post_id] = taken.get(post_id, 0) + n
    return taken


def first_step_ids(cycle: Cycle) -> set[int]:
    return set(PlanSchool.objects.filter(revision_id=cycle.adopted_revision_id, first_step=True)
               .values_list("school_id", flat=True))


def shares_by_school(cycle: Cycle) -> dict[int, ShareRow]:
    """R5 rows (``selection.own_staff_shares``) by school id; none before the plan is
    adopted."""
    if cycle.adopted_revision_id is None:
        return {}
    return {row.school.pk: row for row in own_staff_shares(cycle)}


def school_board(user, cycle: Cycle, school: School) -> SchoolBoard:
    """Everything one school's selection page shows, in a fixed number of queries."""
    phase = common_selectors.phase_of(cycle, SELECTION)
    office = access.is_cycle_office(user, cycle)
    principal = access.is_principal(user, school.pk)
    # The office confirms a principal's own hire (nobody confirms their own).
    principal_users = frozenset(Membership.objects.filter(
        school=school, role=Role.PRINCIPAL).values_list("user_id", flat=True))
    liaison = school.pk in school_access.scope_of(user).liaison_school_ids
    committee = access.is_committee(user, cycle, school)
    first_step = school.pk in first_step_ids(cycle)

    posts_qs = Post.objects.filter(cycle=cycle, school=school)
    posts = {post.pk: PostRow(post, 0) for post in posts_qs.select_related("school")
             .order_by("number")}
    for post_id, n in seats_taken_by_post(posts_qs).items():
        posts[post_id].taken = n

    applications = list(
        Application.objects.filter(intention__cycle=cycle, school=school)
        .select_related("intention__staff__school", "teaching_post")
        .prefetch_related("auxiliary_posts", Prefetch(
            "intention__applications", to_attr="choices",
            queryset=Application.objects.select_related("school", "teaching_post")
            .order_by("rank")))
    )
    rankings = {(r.post_id, r.staff_id): r for r in
                Ranking.objects.filter(post__in=posts_qs).select_related("decided_by")}
    applicant_ids = Application.objects.filter(intention__cycle=cycle, school=school).values(
        "intention__staff_id")
    hires = {h.staff_id: h for h in Hire.objects.filter(cycle=cycle, staff__in=applicant_ids)
             .select_related("post__school")}
    layer = layer_refusal(cycle, school)
    cadres = cadre_refusal(cycle, school)
    board_refusal = workflow.acting_refusal(phase) or layer or cadres
    duty_choices: list[tuple[PostRow, Staff, Post]] = []  # R2's "+X", listed on the duty
    for application in applications:
        main = rules.main_post(application)
        row = posts.get(main.pk)
        if row is None:  # a choice whose posts are another school's: not this page's
            continue
        staff = application.intention.staff
        duty_choices.extend((posts[duty.pk], staff, main)
                            for duty in duties_of(application, main) if duty.pk in posts)
        applicant = Applicant(staff, application, rankings.get((row.post.pk, staff.pk)),
                              hires.get(staff.pk))
        if applicant.awaiting_confirmation:
            applicant.confirm_refusal = confirm_refusal(
                principal=principal, refusal=board_refusal, first_step=first_step, row=row,
                staff=staff, by=user, office=office, principal_users=principal_users)
        row.applicants.append(applicant)
    for row in posts.values():
        row.applicants.sort(key=Applicant.order)
        for index, applicant in enumerate(a for a in row.applicants if a.hire is None):
            applicant.form_index = index

    school_hires = list(
        Hire.objects.filter(cycle=cycle, post__school=school)
        .select_related("staff__school", "post", "confirmed_by")
        .prefetch_related(Prefetch("extra_posts", queryset=Post.objects.order_by("number")))
        .order_by("post__number", "confirmed_at", "pk")
    )
    # A duty's holder is hired here: the school's hires (prefetched) say who holds which.
    held = {(h.staff_id, p.pk) for h in school_hires for p in h.extra_posts.all()}
    for row, staff, main in duty_choices:
        row.duty_applicants.append(DutyApplicant(staff, main, hires.get(staff.pk),
                                                 (staff.pk, row.post.pk) in held))
    for row in posts.values():
        row.duty_applicants.sort(key=lambda d: (not d.holds, d.main_post.number, d.staff.name))
    for hire in school_hires:
        ranking = rankings.get((hire.post_id, hire.staff_id))
        row = posts.get(hire.post_id)
        if row is not None and ranking is not None and ranking.rank is not None:
            row.cutoff = max(row.cutoff or 0, ranking.rank)
    proposals = list(
        CadreProposal.objects.filter(cycle=cycle, school=school)
        .select_related("staff", "proposed_by", "decided_by")
        .order_by("-proposed_at", "-pk")
    )
    proposed = {p.staff_id for p in proposals if p.status != CadreProposal.Status.REJECTED}
    proposable = sorted({h.staff.pk: h.staff for h in school_hires
                         if h.staff_id not in proposed}.values(), key=lambda s: s.name)

    positions = list(Position.objects.filter(school=school, end_date__isnull=True)
                     .select_related("staff").order_by("title", "staff__name"))
    holder_hires = {h.staff_id: h for h in Hire.objects.filter(
        cycle=cycle, post__school=school, staff__in=[p.staff_id for p in positions])
        .select_related("post")}

    members, changes = committee_of(cycle, school)
    manager = principal or office
    candidates = committee_candidates(
        school, excluding={m.member.user_id for m in members}) if manager else []
    return SchoolBoard(
        cycle=cycle, school=school, phase=phase, office=office, principal=principal,
        liaison=liaison, committee=committee, manager=manager, first_step=first_step,
        layer_refusal=layer, cadre_refusal=cadres, posts=list(posts.values()),
        hires=school_hires, proposals=proposals, proposable=proposable,
        positions=[PositionRow(p, holder_hires.get(p.staff_id)) for p in positions],
        share=shares_by_school(cycle).get(school.pk), members=members, member_changes=changes,
        candidates=candidates, withdrawn=withdrawn_hires(cycle, school),
    )


@dataclass
class SchoolRow:
    """One school's selection as the office follows it."""

    school: School
    first_step: bool
    posts: int = 0
    seats: int = 0
    hired: int = 0
    applicants: int = 0
    undecided: int = 0
    awaiting_confirmation: int = 0
    cadres_awaiting: int = 0
    share: ShareRow | None = None

    @property
    def below_share(self) -> bool:
        return self.share is not None and self.share.below


@dataclass
class Overview:
    cycle: Cycle
    phase: Phase
    schools: list[SchoolRow]
    proposals: list[CadreProposal]
    decided: list[CadreProposal]
    positions_to_end: int

    @property
    def below_share(self) -> list[SchoolRow]:
        return [row for row in self.schools if row.below_share]

    @property
    def centres(self) -> list[SchoolRow]:
        return [row for row in self.schools if row.first_step]

    @property
    def phase_refusal(self) -> str | None:
        return workflow.acting_refusal(self.phase)

    @property
    def first_layer_refusal(self) -> str | None:
        return rules.first_layer_close_refusal(self.cycle, self.phase)

    @property
    def positions_end_refusal(self) -> str | None:
        return rules.positions_end_refusal(self.phase, self.positions_to_end)


def _per_school(rows) -> dict[int, int]:
    return dict(rows.order_by().values_list("school_id").annotate(n=Count("pk")))


def appointed_heads(cycle: Cycle) -> QuerySet[Position]:
    """The township's open positions of heads the county bureau appoints
    (``rules.APPOINTED_TITLES``) whose holder is hired nowhere this cycle: they keep
    their post and position through it (the outcome's "appointed", 任命)."""
    return (Position.objects.filter(school__township_id=cycle.township_id,
                                    end_date__isnull=True, title__in=rules.APPOINTED_TITLES)
            .exclude(staff__in=Hire.objects.filter(cycle=cycle).values("staff_id"))
            .select_related("staff__school", "school"))


def positions_to_end(cycle: Cycle) -> QuerySet[Position]:
    """R3: open leadership positions of the township whose holder is not hired at that
    unit this cycle (what ``selection_services.positions_end`` ends), except the heads the
    county bureau appoints (``rules.APPOINTED_TITLES``), who keep theirs."""
    hired_here = Hire.objects.filter(cycle=cycle, staff=OuterRef("staff"),
                                     post__school=OuterRef("school"))
    return (Position.objects.filter(school__township_id=cycle.township_id,
                                    end_date__isnull=True)
            .exclude(title__in=rules.APPOINTED_TITLES)
            .exclude(Exists(hired_here)).select_related("staff__school", "school")
            .order_by("school__name", "title", "staff__name"))


def overview(cycle: Cycle) -> Overview:
    """Phase 6 across the township, per school, in a fixed number of queries: posts and
    seats, hires, applicants not yet decided, hire decisions awaiting the principal,
    cadres awaiting the office, and R5's own-staff share. The plan's two-step order
    first (the centres), then the other schools."""
    phase = common_selectors.phase_of(cycle, SELECTION)
    first = first_step_ids(cycle)
    rows = {s.pk: SchoolRow(s, s.pk in first) for s in sorted(
        School.objects.filter(township_id=cycle.township_id),
        key=lambda s: (s.pk not in first, s.name))}
    for school_id, n, seats in (Post.objects.filter(cycle=cycle).order_by()
                                .values_list("school_id").annotate(n=Count("pk"),
                                                                   seats=Sum("seats"))):
        rows[school_id].posts, rows[school_id].seats = n, seats
    hired_staff = Hire.objects.filter(cycle=cycle).values("staff_id")
    for school_id, n in (Hire.objects.filter(cycle=cycle).order_by()
                         .values_list("post__school_id").annotate(n=Count("pk"))):
        rows[school_id].hired = n
    applications = Application.objects.filter(intention__cycle=cycle)
    for school_id, n in _per_school(applications).items():
        rows[school_id].applicants = n
    decided = Ranking.objects.filter(post__cycle=cycle, post__school=OuterRef("school"),
                                     staff=OuterRef("intention__staff")).exclude(
        decision=Decision.PENDING)
    undecided = applications.exclude(Exists(decided)).exclude(
        intention__staff__in=hired_staff)
    for school_id, n in _per_school(undecided).items():
        rows[school_id].undecided = n
    for school_id, n in (Ranking.objects.filter(post__cycle=cycle, decision=Decision.HIRE)
                         .exclude(staff__in=hired_staff).order_by()
                         .values_list("post__school_id").annotate(n=Count("pk"))):
        rows[school_id].awaiting_confirmation = n
    proposals = list(
        CadreProposal.objects.filter(cycle=cycle, status=CadreProposal.Status.PROPOSED)
        .select_related("school", "proposed_by")
        .prefetch_related(Prefetch("staff", queryset=Staff.objects.select_related("school")
                                   .prefetch_related(
            Prefetch("positions", queryset=Position.objects.filter(end_date__isnull=True)
                     .select_related("school"), to_attr="open_positions"),
            Prefetch("hires", queryset=Hire.objects.filter(cycle=cycle).select_related("post"),
                     to_attr="cycle_hires"))))
        .order_by("proposed_at", "pk")
    )
    for proposal in proposals:
        rows[proposal.school_id].cadres_awaiting += 1
    decided_proposals = list(
        CadreProposal.objects.filter(cycle=cycle).exclude(status=CadreProposal.Status.PROPOSED)
        .select_related("school", "staff", "decided_by")
        .order_by("-decided_at", "-pk")[:CADRE_DECISIONS_SHOWN]
    )
    for school_id, share in shares_by_school(cycle).items():
        rows[school_id].share = share
    return Overview(cycle=cycle, phase=phase, schools=list(rows.values()), proposals=proposals,
                    decided=decided_proposals, positions_to_end=positions_to_end(cycle).count())


@dataclass(frozen=True)
class ViceBoard:
    due: list[Position]
    serving: list[Position]  # not yet due: their term is not over
    done: list[ViceAssessment]


def vice_board(cycle: Cycle, school: School) -> ViceBoard:
    """The school's vice principals: due for the term assessment (R4), not yet due, and
    the assessments done this cycle with any vacancy opened, in three queries."""
    due = list(vices_due(cycle, school).order_by("start_date", "staff__name"))
    serving = list(
        Position.objects.filter(school=school, title__in=rules.VICE_TITLES,
                                end_date__isnull=True)
        .exclude(pk__in=[p.pk for p in due])
        .exclude(pk__in=cycle.vice_assessments.values("position_id"))
        .select_related("staff").order_by("start_date", "staff__name")
    )
    done = list(
        ViceAssessment.objects.filter(cycle=cycle, position__school=school)
        .select_related("position__staff", "assessed_by", "vacancy")
        .order_by("-assessed_at", "-pk")
    )
    return ViceBoard(due, serving, done)


def rankings_sheet(board: SchoolBoard, *, full_ids: bool) -> wb.SheetSpec:
    """Sheet 排序: every post of the school with its applicants in the committee's order,
    their rank, decision, who decided and when, and their hire. Full resident IDs only
    when ``full_ids`` (the township's office, whose export the caller records)."""
    lines = []
    for row in board.posts:
        post = row.post
        label = post.subject and f"{post.grade_class} {post.subject}" or post.duties
        for a in row.applicants:
            staff, ranking = a.staff, a.ranking
            hire = ""
            if a.hire:
                hire = f"{a.hire.post.school.name} #{a.hire.post.number}"
            lines.append([
                post.number, label, staff.name,
                staff.resident_id if full_ids else mask(staff.resident_id),
                staff.school.name, staff.subject, staff.title, staff.age, a.application.rank,
                ranking.rank if ranking else None, sheets.DECISION_WORDS[a.decision],
                display_name(ranking.decided_by) if ranking and ranking.decided_by else "",
                timezone.localtime(ranking.decided_at).strftime("%Y-%m-%d %H:%M")
                if ranking and ranking.decided_at else "",
                hire,
            ])
    return wb.SheetSpec(sheets.RANKING_SHEET, sheets.RANKING_HEADERS,
                        lines[:sheets.EXPORT_MAX_ROWS], text_columns=frozenset({"身份证号"}))
