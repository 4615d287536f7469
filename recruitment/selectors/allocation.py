"""The engine's input, free seats, short schools, runs and their review, proposals, and
the checks of sending a run and filling a post.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recruitment import allocation as engine
from recruitment import rules, workflow
from recruitment.models import (
    AllocationRun,
    Application,
    Cycle,
    Decision,
    Hire,
    Post,
    Proposal,
    Ranking,
    UnhiredReason,
)
from recruitment.phases import SELECTION
from recruitment.selectors import common as common_selectors
from recruitment.selectors import selection as selection_selectors
from schools import access as school_access
from schools.models import Membership, Role, School, Staff
from staffing.history import display_name


def allocation_input(cycle: Cycle, *, own_staff_first: bool) -> dict:
    """spec/matching.md's input built from the cycle: the posts with free seats (a
    proposal awaiting a school holds its seat), the applicants not yet hired (nor
    proposed), their ranked main posts, and the committees' rankings of those they
    would accept."""
    taken = dict(Hire.objects.filter(cycle=cycle).values_list("post").annotate(n=Count("pk")))
    extra = dict(Post.objects.filter(cycle=cycle).annotate(n=Count("extra_hires"))
                 .values_list("pk", "n"))
    claimed = dict(Proposal.objects.filter(cycle=cycle, status=Proposal.Status.PROPOSED)
                   .values_list("post").annotate(n=Count("pk")))
    posts = [p for p in Post.objects.filter(cycle=cycle, published_at__isnull=False)
             .select_related("school")]
    free = {p.pk: p.seats - taken.get(p.pk, 0) - extra.get(p.pk, 0) - claimed.get(p.pk, 0)
            for p in posts}
    busy = set(Hire.objects.filter(cycle=cycle).values_list("staff_id", flat=True)) | set(
        Proposal.objects.filter(cycle=cycle, status=Proposal.Status.PROPOSED)
        .values_list("staff_id", flat=True))
    applications = (Application.objects.filter(intention__cycle=cycle)
                    .exclude(intention__staff_id__in=busy)
                    .select_related("intention__staff__school", "teaching_post")
                    .prefetch_related("auxiliary_posts").order_by("intention", "rank"))
    preferences: dict[int, list[int]] = {}
    school_of: dict[int, int] = {}
    for app in applications:
        staff = app.intention.staff
        school_of[staff.pk] = staff.school_id
        post = rules.main_post(app)
        if free.get(post.pk, 0) > 0:
            preferences.setdefault(staff.pk, []).append(post.pk)
    priorities: dict[str, list[str]] = {}
    for ranking in (Ranking.objects.filter(post__cycle=cycle, staff_id__in=preferences)
                    .exclude(decision=Decision.NOT_HIRE)
                    .order_by("post", F("rank").asc(nulls_last=True), "pk")):
        priorities.setdefault(f"P{ranking.post_id}", []).append(f"T{ranking.staff_id}")
    return {
        "posts": [{"id": f"P{p.pk}", "school": f"S{p.school_id}", "seats": max(free[p.pk], 0)}
                  for p in posts if free[p.pk] > 0],
        "teachers": [{"id": f"T{sid}", "school": f"S{school_of[sid]}",
                      "preferences": [f"P{pid}" for pid in prefs]}
                     for sid, prefs in preferences.items()],
        "priorities": priorities,
        "own_staff_first": own_staff_first,
    }


def unranked_schools(cycle: Cycle) -> list[School]:
    """Schools with applicants this cycle whose committee has ranked none of them yet:
    the engine gives their posts nobody (a post no committee has ranked accepts no one)."""
    applied = Application.objects.filter(intention__cycle=cycle).values("school_id")
    ranked = Ranking.objects.filter(post__cycle=cycle).values("post__school_id")
    return list(School.objects.filter(pk__in=applied).exclude(pk__in=ranked).order_by("name"))


def _names(schools: list[School]) -> str:
    return _(", ").join(school.name for school in schools)


def allocation_run_check(cycle: Cycle, data: dict | None = None) -> str | None:
    """May the office run the engine now (R5, 统一调配)? Phase 6 open, and some committee
    has ranked an applicant of the posts the cross-school applicants wait for (of any
    post when none waits across schools): with no ranking the engine places nobody.
    ``data``: the engine's input when the caller built it (``allocation_input``)."""
    refusal = workflow.acting_refusal(common_selectors.phase_of(cycle, SELECTION))
    if refusal:
        return refusal
    data = allocation_input(cycle, own_staff_first=False) if data is None else data
    school_of_post = {p["id"]: p["school"] for p in data["posts"]}
    cross = {post for t in data["teachers"] for post in t["preferences"]
             if school_of_post.get(post) != t["school"]}
    waited_for = cross or {post for t in data["teachers"] for post in t["preferences"]}
    if not waited_for or any(data["priorities"].get(post) for post in waited_for):
        return None
    waiting = {engine_pk(school_of_post[post]) for post in waited_for}
    schools = [s for s in unranked_schools(cycle) if s.pk in waiting]
    return _("No committee has ranked the applicants waiting for allocation, so the engine "
             "would place nobody. Committees that have not ranked anyone yet: "
             "%(schools)s.") % {"schools": _names(schools) or "—"}


def unranked_warning(schools: list[School]) -> str | None:
    """The allocation page's warning (the run is allowed): which committees have ranked
    no applicant yet, whose posts the engine leaves empty."""
    if not schools:
        return None
    return ngettext(
        "%(n)d school's committee has not ranked any applicant yet, so the engine gives its "
        "posts nobody: %(schools)s.",
        "%(n)d schools' committees have not ranked any applicant yet, so the engine gives "
        "their posts nobody: %(schools)s.", len(schools)) % {
        "n": len(schools), "schools": _names(schools)}


def understaffed(cycle: Cycle) -> list[School]:
    """Schools with fewer hired than their establishment, remote ones first."""
    return list(
        School.objects.filter(township_id=cycle.township_id)
        .annotate(hired=Count("posts__hires", filter=Q(posts__cycle=cycle), distinct=True))
        .filter(hired__lt=F("establishment")).order_by("-remote", "name")
    )


RUNS_SHOWN = 30
PROPOSALS_PER_PAGE = 50


def engine_pk(engine_id: str) -> int:
    """The database id in one of ``selection.allocation_input``'s ids: "T17", "P34", "S3"."""
    return int(engine_id[1:])


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
    schools = understaffed(cycle)
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


def fill_check(cycle: Cycle, post: Post) -> str | None:
    """May the office fill ``post`` from the unhired now (a dispatch, R7's assignment)?
    Only a free seat of a published post at a school that is short; the reason if not."""
    post = Post.objects.select_related("school").get(pk=post.pk)
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


def allocation_send_check(run: AllocationRun) -> str | None:
    """May the office send ``run``'s placements to the schools now? The reason if not."""
    refusal = workflow.acting_refusal(common_selectors.phase_of(run.cycle, SELECTION))
    if refusal:
        return refusal
    sent = run.proposals.select_related("proposed_by").order_by("proposed_at", "pk").first()
    if sent is not None:
        return _("This run was sent to the schools on %(when)s by %(who)s; a run is sent "
                 "once. Run the engine again for the applicants still waiting.") % {
            "when": dateformat.format(timezone.localtime(sent.proposed_at), "Y-m-d H:i"),
            "who": display_name(sent.proposed_by)}
    return None


@dataclass
class SendPlan:
    """What sending ``run`` would do now: the placements still to send (staff still
    unhired and without a proposal, a seat still free), and the others counted."""

    placements: list[Placement]
    hired_since: int = 0  # placed, but hired by a school since the run
    proposed_since: int = 0  # placed, but paired with another post since
    full_since: int = 0  # placed, but the post's seats were taken since
    left_since: int = 0  # placed, but no longer on the township's staff

    @property
    def skipped(self) -> int:
        return self.hired_since + self.proposed_since + self.full_since + self.left_since


def send_plan(run: AllocationRun) -> SendPlan:
    """The placements of ``run`` that would be sent now, as ``allocation_send`` sends
    them (it asks this under the cycle's lock), in four queries."""
    cycle = run.cycle
    placed = {engine_pk(t): engine_pk(p) for t, p in run.result["assignment"].items() if p}
    hired = set(Hire.objects.filter(cycle=cycle, staff_id__in=placed)
                .values_list("staff_id", flat=True))
    proposed = set(Proposal.objects.filter(cycle=cycle, staff_id__in=placed,
                                           status=Proposal.Status.PROPOSED)
                   .values_list("staff_id", flat=True))
    posts = {p.pk: p for p in posts_with_free_seats(cycle).filter(pk__in=placed.values())}
    free = {pk: post.free for pk, post in posts.items()}
    staff = (Staff.objects.filter(school__township_id=cycle.township_id)
             .select_related("school").in_bulk(list(placed)))
    plan = SendPlan(placements=[])
    for staff_id, post_id in placed.items():
        if staff_id in hired:
            plan.hired_since += 1
        elif staff_id in proposed:
            plan.proposed_since += 1
        elif staff_id not in staff:
            plan.left_since += 1
        elif free.get(post_id, 0) <= 0:
            plan.full_since += 1
        else:
            free[post_id] -= 1
            plan.placements.append(Placement(staff[staff_id], posts[post_id]))
    return plan


@dataclass(frozen=True)
class SendSchool:
    """One school that would receive proposals, and the logins whose inbox shows them."""

    school: School
    placements: list[Placement]
    notified: list[str]


def send_preview(run: AllocationRun) -> tuple[SendPlan, list[SendSchool]]:
    """Before sending: the plan, and per school (by name) its proposals and the
    principals and liaisons who answer them in their proposals page."""
    plan = send_plan(run)
    by_school: dict[int, list[Placement]] = {}
    for placement in plan.placements:
        by_school.setdefault(placement.post.school_id, []).append(placement)
    notified: dict[int, list[str]] = {}
    for membership in (Membership.objects.filter(school_id__in=by_school,
                                                 role__in=[Role.PRINCIPAL, Role.LIAISON])
                       .select_related("user").order_by("role", "user__username")):
        notified.setdefault(membership.school_id, []).append(
            f"{display_name(membership.user)} ({membership.get_role_display()})")
    schools = [SendSchool(placements[0].post.school,
                          sorted(placements, key=lambda p: (p.post.number, p.staff.name)),
                          notified.get(school_id, []))
               for school_id, placements in by_school.items()]
    return plan, sorted(schools, key=lambda s: s.school.name)


def runs_of(cycle: Cycle) -> list[AllocationRun]:
    """The latest runs, each with ``placed``, ``applicants`` and ``sent`` (proposals)."""
    runs = list(cycle.allocation_runs.select_related("run_by")
                .annotate(sent=Count("proposals")).order_by("-run_at", "-pk")[:RUNS_SHOWN])
    for run in runs:
        assignment = run.result["assignment"]
        run.applicants = len(assignment)
        run.placed = sum(1 for post in assignment.values() if post)
    return runs


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
    share: selection_selectors.ShareRow
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
class UnmetPreference:
    """A preference the run did not meet, and why, in plain words."""

    staff: Staff
    post: Post
    reason: str


def unmet_reason(unmet: engine.Unmet) -> str:
    """An engine reason (``allocation.unmet_preferences``) in plain words."""
    if unmet.reason == engine.NOT_LISTED:
        return _("its committee did not rank them, or decided not to hire them")
    if unmet.reason == engine.NO_SEATS:
        return _("it had no free seat left")
    if unmet.reason == engine.OWN_STAFF_FIRST:
        return _("own staff first: the seat went to the school's own staff")
    return ngettext("filled by %(n)d applicant its committee ranked higher",
                    "filled by %(n)d applicants its committee ranked higher",
                    unmet.held) % {"n": unmet.held}


@dataclass
class RunReview:
    run: AllocationRun
    schools: list[RunSchool]
    unplaced: list[Unplaced]
    send_refusal: str | None
    unmet: list[UnmetPreference] = field(default_factory=list)

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
    choices = {engine_pk(t["id"]): [engine_pk(p) for p in t["preferences"]]
               for t in run.input["teachers"]}
    post_ids = {pid for ids in choices.values() for pid in ids}
    posts = Post.objects.select_related("school").in_bulk(list(post_ids))
    staff = Staff.objects.select_related("school").in_bulk([engine_pk(t) for t in assignment])
    proposals = {p.staff_id: p for p in run.proposals.select_related("decided_by")}
    shares = {row.school.pk: row for row in selection_selectors.own_staff_shares(cycle)}
    rows: dict[int, RunSchool] = {}
    for school_key, figures in run.result["schools"].items():
        school_id = engine_pk(school_key)
        if school_id in shares:
            rows[school_id] = RunSchool(shares[school_id].school, figures["seats"],
                                        figures["filled"], figures["own_staff"],
                                        shares[school_id])
    unplaced = []
    for teacher, post in assignment.items():
        person = staff.get(engine_pk(teacher))
        if person is None:
            continue  # removed from the roster since the run
        if post is None:
            unplaced.append(Unplaced(person, [posts[p] for p in choices.get(person.pk, [])
                                              if p in posts]))
            continue
        target = posts.get(engine_pk(post))
        if target is not None and target.school_id in rows:
            rows[target.school_id].placements.append(
                Placement(person, target, proposals.get(person.pk)))
    for row in rows.values():
        row.placements.sort(key=lambda p: (p.post.number, p.staff.name))
    unplaced.sort(key=lambda u: (u.staff.school.name, u.staff.name))
    unmet = [UnmetPreference(staff[engine_pk(u.teacher)], posts[engine_pk(u.post)],
                             unmet_reason(u))
             for u in engine.unmet_preferences(engine.parse(run.input),
                                               engine.Result(assignment))
             if engine_pk(u.teacher) in staff and engine_pk(u.post) in posts]
    unmet.sort(key=lambda u: (u.staff.school.name, u.staff.name))  # stable: their order kept
    order = {school_id: i for i, school_id in enumerate(shares)}  # remote first, by name
    return RunReview(run, sorted(rows.values(), key=lambda r: order[r.school.pk]),
                     unplaced, allocation_send_check(run), unmet)


def proposals_of(cycle: Cycle, *, school_ids: set[int] | None = None,
                 status: str = "", source: str = "", query: str = "",
                 user=None) -> QuerySet[Proposal]:
    """The cycle's proposals (of ``school_ids``' posts when given; of a ``status``, a
    ``source``; a ``query`` on the person's name or the ID's last four, as ``user`` may
    search), those awaiting an answer first, then the latest answered."""
    proposals = Proposal.objects.filter(cycle=cycle).select_related(
        "staff__school", "post__school", "run", "proposed_by", "decided_by")
    if school_ids is not None:
        proposals = proposals.filter(post__school_id__in=school_ids)
    if status:
        proposals = proposals.filter(status=status)
    if source:
        proposals = proposals.filter(source=source)
    query = query.strip()
    if query:
        proposals = proposals.filter(
            Q(staff__name__icontains=query) | Q(post__school__name__icontains=query)
            | school_access.id_search_q(user, query, prefix="staff__"))
    return proposals.order_by(F("decided_at").desc(nulls_first=True), "post__school__name",
                              "post__number", "staff__name", "pk")


def dispatch_check(cycle: Cycle, staff: Staff, post: Post) -> str | None:
    """Why the office may not pair this staff member with this post now: phase 6 not
    open, not the township's staff, an explained status, already hired, the post
    cannot take them (``fill_refusal``) or its school waits for the centres' layer. The
    page and ``dispatch_propose`` ask it."""
    refusal = (workflow.acting_refusal(common_selectors.phase_of(cycle, SELECTION))
               or rules.township_staff_refusal(cycle, staff))
    if refusal:
        return refusal
    if UnhiredReason.objects.filter(cycle=cycle, staff=staff).exists():
        return _("%(name)s has an explained status and needs no post.") % {"name": staff}
    refusal = fill_check(cycle, post) or selection_selectors.layer_refusal(cycle, post.school)
    if refusal:
        return refusal
    if Hire.objects.filter(cycle=cycle, staff=staff).exists():
        return _("%(name)s is already hired in this cycle.") % {"name": staff}
    return None
