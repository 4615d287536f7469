"""Services of Step 2 (phases 5–7): posts, intentions, selection, allocation, R7.

Rules R1–R7 of DOMAIN.md live here, once; every page, import and command calls these.
Seats and the one-hire-per-person rule hold under concurrency: the post row is locked
(``select_for_update``) while its seats are counted, and the database refuses a second
hire of the same person in a cycle (``hire_once_per_cycle``).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from schools import access
from schools.models import Membership, Position, Role, School, Staff

from . import workflow
from .models import (
    Application,
    CadreProposal,
    Cycle,
    Decision,
    Hire,
    HireSource,
    Intention,
    PhaseState,
    PlanRevision,
    PlanSchool,
    Post,
    PostKind,
    Proposal,
    Ranking,
    TrainingEnrolment,
    UnhiredReason,
)
from .phases import INTENTIONS, SELECTION, UNHIRED
from .services import _refuse, _save, phase_of, require_cycle_office

R3_REASON = gettext_noop("not hired at own unit (R3)")
R4_REASON = gettext_noop("removed after the term assessment (R4)")


def adopted_plan(cycle: Cycle) -> PlanRevision:
    if cycle.adopted_revision_id is None:
        raise ValidationError(_("The plan has not been adopted by the congress."))
    return cycle.adopted_revision


def _require_phase(cycle: Cycle, number: int) -> None:
    _refuse(workflow.acting_refusal(phase_of(cycle, number)))


def _principal_of(user, school: School) -> None:
    scope = access.scope_of(user)
    if school.pk not in scope.principal_school_ids and not access.townships_managed(
        user
    ).filter(pk=school.township_id).exists():
        raise PermissionDenied


# --- R1: posts -----------------------------------------------------------------------


def post_quota(cycle: Cycle, school: School) -> int:
    """Seats the school may set: the adopted plan's figure, else its post-setting count."""
    plan_school = PlanSchool.objects.filter(
        revision_id=cycle.adopted_revision_id, school=school).first()
    return plan_school.post_count if plan_school else school.post_count


def seats_set(cycle: Cycle, school: School, *, excluding: Post | None = None) -> int:
    posts = Post.objects.filter(cycle=cycle, school=school)
    if excluding is not None and excluding.pk:
        posts = posts.exclude(pk=excluding.pk)
    return posts.aggregate(n=Sum("seats"))["n"] or 0


@dataclass
class PostFields:
    number: int
    kind: str
    grade_class: str = ""
    subject: str = ""
    weekly_lessons: int = 0
    duties: str = ""
    conditions: str = ""
    seats: int = 1


def post_problems(fields: PostFields) -> list[tuple[str, str]]:
    """(field, reason) for each rule a post breaks; shared by the form and the import."""
    problems = []
    if fields.kind not in PostKind.values:
        problems.append(("kind", _("choose a teaching or an auxiliary post")))
    if fields.kind == PostKind.TEACHING:
        if not fields.subject:
            problems.append(("subject", _("a teaching post needs its subject")))
        if not fields.grade_class:
            problems.append(("grade_class", _("a teaching post needs its grade or class")))
    if fields.kind == PostKind.AUXILIARY and not fields.duties:
        problems.append(("duties", _("an auxiliary post needs its duty")))
    if fields.number < 1:
        problems.append(("number", _("post numbers start at 1")))
    if fields.seats < 1:
        problems.append(("seats", _("a post has at least one seat")))
    return problems


def _posts_editable(cycle: Cycle) -> None:
    adopted_plan(cycle)
    if phase_of(cycle, INTENTIONS).state == PhaseState.CLOSED:
        raise ValidationError(_("Intentions have closed: posts can no longer change."))


@transaction.atomic
def post_save(*, by, cycle: Cycle, school: School, fields: PostFields,
              post: Post | None = None) -> Post:
    """Create or change one of a school's posts (R1), within its quota; a published post
    no longer changes."""
    _principal_of(by, school)
    if post is not None and (post.school_id != school.pk or post.cycle_id != cycle.pk):
        raise PermissionDenied
    _posts_editable(cycle)
    School.objects.select_for_update().filter(pk=school.pk).first()  # quota under a lock
    problems = post_problems(fields)
    if problems:
        raise ValidationError([reason for _f, reason in problems])
    if post is not None and post.published_at is not None:
        raise ValidationError(_("Post %(n)d is published and can no longer change.")
                              % {"n": post.number})
    quota = post_quota(cycle, school)
    if seats_set(cycle, school, excluding=post) + fields.seats > quota:
        raise ValidationError(_("%(school)s may set %(quota)d seats; this would make %(n)d.") % {
            "school": school, "quota": quota,
            "n": seats_set(cycle, school, excluding=post) + fields.seats})
    clash = Post.objects.filter(cycle=cycle, school=school, number=fields.number)
    if post is not None:
        clash = clash.exclude(pk=post.pk)
    if clash.exists():
        raise ValidationError(_("Post number %(n)d is already used.") % {"n": fields.number})
    post = post or Post(cycle=cycle, school=school)
    for name, value in vars(fields).items():
        setattr(post, name, value)
    if post.kind == PostKind.AUXILIARY:
        post.weekly_lessons = 0
    _save(post, by)
    return post


@transaction.atomic
def posts_publish(*, by, cycle: Cycle, school: School) -> int:
    """The office reviews and publishes a school's posts to the whole township (R1)."""
    require_cycle_office(by, cycle)
    _posts_editable(cycle)
    from simple_history.utils import bulk_update_with_history

    posts = list(Post.objects.select_for_update().filter(cycle=cycle, school=school,
                                                         published_at__isnull=True))
    if not posts:
        raise ValidationError(_("%(school)s has no unpublished posts.") % {"school": school})
    now = timezone.now()
    for post in posts:
        post.published_at = now
    # One statement for the posts and one for their history, however many posts.
    bulk_update_with_history(posts, Post, ["published_at"], default_user=by)
    return len(posts)


# --- R2: intentions ------------------------------------------------------------------


@dataclass
class Choice:
    """One ranked application as a form or import gives it."""

    school: School
    teaching_post: Post | None
    auxiliary_posts: list[Post]


def intention_problems(cycle: Cycle, choices: list[Choice]) -> list[str]:
    """Every way ``choices`` break R2 or the plan; empty when they are fine."""
    plan = adopted_plan(cycle)
    problems = []
    if not choices:
        problems.append(_("Choose at least one school's posts."))
    if len(choices) > plan.max_applications:
        problems.append(_("The plan allows at most %(n)d schools in one intention.")
                        % {"n": plan.max_applications})
    ids = {p.pk for c in choices for p in (c.teaching_post, *c.auxiliary_posts) if p}
    published = set(Post.objects.filter(pk__in=ids, published_at__isnull=False)
                    .values_list("pk", flat=True))
    seen = set()
    for rank, choice in enumerate(choices, start=1):
        where = _("Choice %(rank)d (%(school)s)") % {"rank": rank, "school": choice.school}
        if choice.school.pk in seen:
            problems.append(_("%(where)s: that school is already chosen above.")
                            % {"where": where})
        seen.add(choice.school.pk)
        posts = [p for p in (choice.teaching_post, *choice.auxiliary_posts) if p is not None]
        for post in posts:
            if post.cycle_id != cycle.pk or post.school_id != choice.school.pk:
                problems.append(_("%(where)s: post %(n)d is not a post of that school.")
                                % {"where": where, "n": post.number})
            elif post.pk not in published:
                problems.append(_("%(where)s: post %(n)d is not published.")
                                % {"where": where, "n": post.number})
        if choice.teaching_post is not None and choice.teaching_post.kind != PostKind.TEACHING:
            problems.append(_("%(where)s: post %(n)d is not a teaching post.")
                            % {"where": where, "n": choice.teaching_post.number})
        if any(p.kind != PostKind.AUXILIARY for p in choice.auxiliary_posts):
            problems.append(_("%(where)s: only auxiliary posts go with the teaching post.")
                            % {"where": where})
        if not choice.auxiliary_posts:
            problems.append(_("%(where)s: choose one or more auxiliary posts (“1+X”).")
                            % {"where": where})
    return problems


def is_support_staff(plan: PlanRevision, choice: Choice) -> bool:
    """R2: no teaching post, or fewer lessons than the threshold: support staff."""
    post = choice.teaching_post
    return post is None or post.weekly_lessons < plan.teaching_load_threshold


def main_post(choice) -> Post:
    """The post a choice competes for: its teaching post, else its first auxiliary post."""
    if choice.teaching_post is not None:
        return choice.teaching_post
    posts = choice.auxiliary_posts
    if hasattr(posts, "all"):  # an Application: its (prefetched) related manager
        posts = posts.all()
    return min(posts, key=lambda p: p.number)


@transaction.atomic
def intention_submit(*, by, cycle: Cycle, choices: list[Choice]) -> Intention:
    """A staff member submits or changes their intention until the deadline, the day
    included, while phase 5 is open (R2)."""
    staff = Staff.objects.select_related("school").filter(user=by).first()
    if staff is None or staff.school.township_id != cycle.township_id:
        raise PermissionDenied
    _refuse(workflow.submission_refusal(phase_of(cycle, INTENTIONS)))
    problems = intention_problems(cycle, choices)
    if problems:
        raise ValidationError(problems)
    plan = cycle.adopted_revision
    intention = (Intention.objects.select_for_update().filter(cycle=cycle, staff=staff).first()
                 or Intention(cycle=cycle, staff=staff))
    intention.support_staff = is_support_staff(plan, choices[0])
    intention.summary = "\n".join(
        f"{rank}. {c.school}: "
        + (f"#{c.teaching_post.number} {c.teaching_post.subject}" if c.teaching_post else "—")
        + " + " + ", ".join(f"#{p.number} {p.duties[:20]}" for p in c.auxiliary_posts)
        for rank, c in enumerate(choices, start=1)
    )
    _save(intention, by)  # one history record per submission
    intention.applications.all().delete()
    for rank, choice in enumerate(choices, start=1):
        application = Application.objects.create(
            intention=intention, rank=rank, school=choice.school,
            teaching_post=choice.teaching_post)
        application.auxiliary_posts.set(choice.auxiliary_posts)
    return intention


# --- R3–R6: selection and hires ------------------------------------------------------


def applicants_of(post: Post) -> list[Staff]:
    """Staff whose application competes for ``post`` (its main post)."""
    ids = set(
        Application.objects.filter(intention__cycle_id=post.cycle_id, teaching_post=post)
        .values_list("intention__staff_id", flat=True)
    )
    for app in (Application.objects.filter(intention__cycle_id=post.cycle_id,
                                           teaching_post__isnull=True, auxiliary_posts=post)
                .prefetch_related("auxiliary_posts")):
        if main_post(app).pk == post.pk:
            ids.add(app.intention.staff_id)
    return list(Staff.objects.filter(pk__in=ids).select_related("school"))


def is_committee(user, cycle: Cycle, school: School) -> bool:
    scope = access.scope_of(user)
    return (school.pk in scope.principal_school_ids
            or school.pk in scope.liaison_school_ids
            or cycle.committee_members.filter(school=school, user=user).exists())


@transaction.atomic
def ranking_record(*, by, post: Post, staff: Staff, rank: int | None,
                   decision: str) -> Ranking:
    """The committee ranks an applicant for a post and records hire / not hire."""
    cycle = post.cycle
    if not is_committee(by, cycle, post.school):
        raise PermissionDenied
    _require_phase(cycle, SELECTION)
    if staff.pk not in {s.pk for s in applicants_of(post)}:
        raise ValidationError(_("%(name)s did not apply for this post.") % {"name": staff})
    if staff.user_id is not None and staff.user_id == by.pk:
        raise ValidationError(_("Nobody ranks their own application; another committee "
                                "member does."))
    if decision not in Decision.values:
        raise ValidationError(_("Choose hire, not hire or not yet decided."))
    ranking = (Ranking.objects.select_for_update().filter(post=post, staff=staff).first()
               or Ranking(post=post, staff=staff))  # saved once: one history record
    ranking.rank, ranking.decision = rank, decision
    ranking.decided_by, ranking.decided_at = by, timezone.now()
    _save(ranking, by)
    return ranking


def layer_refusal(cycle: Cycle, school: School) -> str | None:
    """Two-step staffing: the first-step schools (the centres) select first; the other
    schools confirm hires once the office has closed the first layer."""
    first = PlanSchool.objects.filter(revision_id=cycle.adopted_revision_id,
                                      first_step=True).values_list("school_id", flat=True)
    if school.pk in set(first) or cycle.first_layer_closed_at is not None:
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


def cross_school_refusal(staff: Staff, post: Post, *, first_step: bool) -> str | None:
    """Another school's staff member goes to the office for unified allocation, except
    at a first-step school (the centres) or a township-wide post."""
    if staff.school_id != post.school_id and not (first_step or post.township_wide):
        return _("%(name)s is another school's staff member: cross-school applicants are "
                 "allocated by the office.") % {"name": staff}
    return None


def full_refusal(post: Post, taken: int) -> str | None:
    """A post never holds more people than its seats."""
    if taken >= post.seats:
        return _("Post %(n)d at %(school)s is full.") % {"n": post.number, "school": post.school}
    return None


def _seats_taken(post: Post) -> int:
    return Hire.objects.filter(post=post).count() + post.extra_hires.count()


def _take(*, by, cycle: Cycle, staff: Staff, post: Post, source: str,
          extra: list[Post]) -> Hire:
    """Hire ``staff`` to ``post``: the post's seats counted under a row lock, the person
    once per cycle (database constraint); auxiliary duties added where seats are free.
    Nobody is hired at a school whose cadre proposals await the office (R3)."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    _refuse(cadre_refusal(cycle, post.school))
    if Hire.objects.filter(cycle=cycle, staff=staff).exists():
        raise ValidationError(_("%(name)s is already hired in this cycle.") % {"name": staff})
    _refuse(full_refusal(locked, _seats_taken(locked)))
    try:
        with transaction.atomic():
            hire = Hire(cycle=cycle, staff=staff, post=post, source=source, confirmed_by=by)
            _save(hire, by)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already hired in this cycle.")
                              % {"name": staff}) from None
    free = []
    for duty in Post.objects.select_for_update().filter(pk__in=[p.pk for p in extra]):
        if duty.pk != post.pk and _seats_taken(duty) < duty.seats:
            free.append(duty)
    hire.extra_posts.set(free)
    _end_position_elsewhere(by=by, staff=staff, school=post.school)
    return hire


def _end_position_elsewhere(*, by, staff: Staff, school: School) -> None:
    """R3: a cadre hired at another unit (or not at their own) loses the position today."""
    for position in Position.objects.select_for_update().filter(
        staff=staff, end_date__isnull=True
    ).exclude(school=school):
        position.end_date = max(timezone.localdate(), position.start_date)
        position.end_reason = R3_REASON
        _save(position, by, ["end_date", "end_reason"])


def _application_for(cycle: Cycle, staff: Staff, post: Post) -> Application | None:
    return (Application.objects.filter(intention__cycle=cycle, intention__staff=staff,
                                       school=post.school)
            .prefetch_related("auxiliary_posts").first())


@transaction.atomic
def hire_confirm(*, by, post: Post, staff: Staff) -> Hire:
    """The principal confirms the committee's decision to hire (R6).

    Own staff, and anyone at a township-wide (first-step) school, are hired directly;
    other schools' staff go to the office for unified allocation (R5, 统一调配).
    """
    cycle = Cycle.objects.get(pk=post.cycle_id)  # fresh: the layer may have just closed
    if post.school_id not in access.scope_of(by).principal_school_ids:
        # The office confirms only where the principal would confirm their own hire.
        own_principal = Membership.objects.filter(
            user_id=staff.user_id, role=Role.PRINCIPAL, school_id=post.school_id).exists()
        if not (own_principal and access.townships_managed(by).filter(
                pk=post.school.township_id).exists()):
            raise PermissionDenied
    elif staff.user_id is not None and staff.user_id == by.pk:
        raise ValidationError(_("Nobody confirms their own hire: the office confirms the "
                                "principal's."))
    _require_phase(cycle, SELECTION)
    _refuse(layer_refusal(cycle, post.school) or cadre_refusal(cycle, post.school))
    ranking = Ranking.objects.filter(post=post, staff=staff).first()
    if ranking is None or ranking.decision != Decision.HIRE:
        raise ValidationError(_("The committee has not decided to hire %(name)s.")
                              % {"name": staff})
    first_step = PlanSchool.objects.filter(revision_id=cycle.adopted_revision_id,
                                           school=post.school, first_step=True).exists()
    _refuse(cross_school_refusal(staff, post, first_step=first_step))
    application = _application_for(cycle, staff, post)
    extra = list(application.auxiliary_posts.all()) if application else []
    return _take(by=by, cycle=cycle, staff=staff, post=post, source=HireSource.SELECTION,
                 extra=extra)


# --- R5: the own-staff share -----------------------------------------------------------


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
    plan = adopted_plan(cycle)
    rows = []
    schools = School.objects.filter(township_id=cycle.township_id).annotate(
        hired=Count("posts__hires", filter=Q(posts__cycle=cycle), distinct=True),
        own=Count("posts__hires", filter=Q(posts__cycle=cycle,
                                           posts__hires__staff__school=F("pk")),
                  distinct=True),
    ).order_by("-remote", "name")
    for school in schools:
        needed = -(-school.establishment * plan.own_share_num // plan.own_share_den)
        rows.append(ShareRow(school, school.establishment, school.hired, school.own, needed))
    return rows


# --- proposals: allocation and dispatch ---------------------------------------------


@transaction.atomic
def proposal_decide(*, by, proposal: Proposal, confirm: bool, reason: str = "") -> Proposal:
    """The school confirms (a hire follows) or declines the office's proposal (R6)."""
    proposal = Proposal.objects.select_for_update().select_related("post__school",
                                                                   "cycle").get(pk=proposal.pk)
    if proposal.post.school_id not in access.scope_of(by).principal_school_ids:
        raise PermissionDenied
    workflow.status_move(proposal, workflow.PROPOSAL_FLOW,
                         Proposal.Status.CONFIRMED if confirm else Proposal.Status.DECLINED)
    cycle = proposal.cycle
    _require_phase(cycle, SELECTION)
    if confirm:
        application = _application_for(cycle, proposal.staff, proposal.post)
        extra = list(application.auxiliary_posts.all()) if application else []
        _take(by=by, cycle=cycle, staff=proposal.staff, post=proposal.post,
              source=proposal.source, extra=extra)
    elif not reason.strip():
        raise ValidationError(_("Give a reason for declining."))
    proposal.decided_by, proposal.decided_at, proposal.reason = by, timezone.now(), reason
    _save(proposal, by)
    return proposal


# --- R7: no one left without a post ----------------------------------------------------


def unhired(cycle: Cycle):
    """The township's staff with no hire, no explained status, this cycle."""
    return (Staff.objects.filter(school__township_id=cycle.township_id)
            .exclude(pk__in=Hire.objects.filter(cycle=cycle).values("staff_id"))
            .exclude(pk__in=UnhiredReason.objects.filter(cycle=cycle).values("staff_id"))
            .select_related("school").order_by("school__name", "name"))


@transaction.atomic
def training_enrol(*, by, cycle: Cycle, staff: Staff) -> TrainingEnrolment:
    require_cycle_office(by, cycle)
    _require_phase(cycle, UNHIRED)
    if not unhired(cycle).filter(pk=staff.pk).exists():
        raise ValidationError(_("%(name)s is not among the unhired.") % {"name": staff})
    enrolment, created = TrainingEnrolment.objects.get_or_create(
        cycle=cycle, staff=staff, defaults={"enrolled_by": by})
    if not created:
        raise ValidationError(_("%(name)s is already enrolled.") % {"name": staff})
    return enrolment


@transaction.atomic
def training_score(*, by, enrolment: TrainingEnrolment, score: int) -> TrainingEnrolment:
    require_cycle_office(by, enrolment.cycle)
    _require_phase(enrolment.cycle, UNHIRED)
    if not 0 <= score <= 100:
        raise ValidationError(_("A score is between 0 and 100."))
    enrolment.score, enrolment.scored_by, enrolment.scored_at = score, by, timezone.now()
    _save(enrolment, by)
    return enrolment


@transaction.atomic
def trainee_assign(*, by, enrolment: TrainingEnrolment, post: Post) -> Hire:
    """R7: the office assigns a trainee who passed the test to a school that is short."""
    cycle = enrolment.cycle
    require_cycle_office(by, cycle)
    _require_phase(cycle, UNHIRED)
    plan = adopted_plan(cycle)
    if enrolment.score is None or enrolment.score < plan.training_pass_mark:
        raise ValidationError(_("Only trainees who passed the test (%(mark)d) are assigned.")
                              % {"mark": plan.training_pass_mark})
    _refuse(_fill_refusal(cycle, post))
    return _take(by=by, cycle=cycle, staff=enrolment.staff, post=post,
                 source=HireSource.TRAINING, extra=[])


def _fill_refusal(cycle: Cycle, post: Post) -> str | None:
    """The office fills only a free seat of a published post at a school that is short
    (dispatch, R7); the reads live with the pages' in ``dispatching``."""
    from .dispatching import post_refusal

    return post_refusal(cycle, Post.objects.select_related("school").get(pk=post.pk))


# --- layers, cadres (R3) and vice principals (R4) ------------------------------------


@transaction.atomic
def first_layer_close(*, by, cycle: Cycle) -> Cycle:
    """The office closes the centres' township-wide layer; the other schools go on."""
    require_cycle_office(by, cycle)
    _require_phase(cycle, SELECTION)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.first_layer_closed_at is not None:
        raise ValidationError(_("The centres' layer is already closed."))
    cycle.first_layer_closed_at = timezone.now()
    _save(cycle, by, ["first_layer_closed_at"])
    return cycle


@transaction.atomic
def cadre_propose(*, by, cycle: Cycle, staff: Staff, title: str) -> CadreProposal:
    """The committee proposes a middle-level cadre: R3, only someone hired to a basic
    post at the school."""
    hire = Hire.objects.select_related("post__school").filter(cycle=cycle, staff=staff).first()
    if hire is None:
        raise ValidationError(_("%(name)s is not hired to a post yet: post before position "
                                "(R3).") % {"name": staff})
    school = hire.post.school
    if not is_committee(by, cycle, school):
        raise PermissionDenied
    _require_phase(cycle, SELECTION)
    if not title.strip():
        raise ValidationError(_("Name the position."))
    try:
        with transaction.atomic():
            proposal = CadreProposal(cycle=cycle, school=school, staff=staff,
                                     title=title.strip()[:30], proposed_by=by)
            _save(proposal, by)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already proposed.") % {"name": staff}) from None
    return proposal


def _open_position(*, by, staff: Staff, school: School, title: str, reason: str) -> Position:
    current = Position.objects.select_for_update().filter(staff=staff,
                                                          end_date__isnull=True).first()
    if current and current.school_id == school.pk and current.title == title:
        return current
    today = timezone.localdate()
    if current:
        current.end_date, current.end_reason = max(today, current.start_date), reason
        _save(current, by, ["end_date", "end_reason"])
    position = Position(staff=staff, school=school, title=title, start_date=today)
    _save(position, by)
    return position


@transaction.atomic
def cadre_decide(*, by, proposal: CadreProposal, approve: bool) -> CadreProposal:
    """The office approves (the position starts today) or rejects a proposed cadre."""
    require_cycle_office(by, proposal.cycle)
    proposal = CadreProposal.objects.select_for_update().get(pk=proposal.pk)
    workflow.status_move(proposal, workflow.CADRE_PROPOSAL_FLOW,
                         CadreProposal.Status.APPROVED if approve
                         else CadreProposal.Status.REJECTED)
    proposal.decided_by, proposal.decided_at = by, timezone.now()
    _save(proposal, by)
    if approve:
        _open_position(by=by, staff=proposal.staff, school=proposal.school,
                       title=proposal.title, reason=gettext_noop("appointed to a new position"))
    return proposal


VICE_TITLES = ("副校长", "副园长")
TERM_YEARS = 3


def vices_due(cycle: Cycle, school: School | None = None):
    """R4: vice principals whose full three-year term is over by the cycle's start."""
    start = phase_of(cycle, INTENTIONS).start_date
    try:
        limit = start.replace(year=start.year - TERM_YEARS)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year - TERM_YEARS, day=28)
    positions = Position.objects.filter(
        school__township_id=cycle.township_id, title__in=VICE_TITLES, end_date__isnull=True,
        start_date__lte=limit,
    ).select_related("staff", "school")
    if school is not None:
        positions = positions.filter(school=school)
    return positions.exclude(pk__in=cycle.vice_assessments.values("position_id"))


@transaction.atomic
def vice_assess(*, by, cycle: Cycle, position: Position, keep: bool, reason: str = ""):
    """R4: pass → stays one more year; fail or unfit → removed, and the vacancy opened to
    the whole township as a leadership post."""
    from .models import ViceAssessment

    if position.school_id not in access.scope_of(by).principal_school_ids:
        raise PermissionDenied
    if not any(phase_of(cycle, n).state == PhaseState.OPEN for n in (INTENTIONS, SELECTION)):
        raise ValidationError(_("Vice principals are assessed while phase 5 or 6 is open."))
    if not vices_due(cycle, position.school).filter(pk=position.pk).exists():
        raise ValidationError(_("This vice principal is not due for the term assessment."))
    if not keep and not reason.strip():
        raise ValidationError(_("Give the reason for the removal."))
    assessment = ViceAssessment(
        cycle=cycle, position=position, assessed_by=by, reason=reason.strip(),
        result=ViceAssessment.Result.KEEP if keep else ViceAssessment.Result.REMOVE)
    if not keep:
        position.end_date = max(timezone.localdate(), position.start_date)
        position.end_reason = R4_REASON
        _save(position, by, ["end_date", "end_reason"])
        number = (Post.objects.filter(cycle=cycle, school=position.school)
                  .order_by("-number").values_list("number", flat=True).first() or 0) + 1
        vacancy = Post(cycle=cycle, school=position.school, number=number,
                       kind=PostKind.LEADERSHIP, duties=position.title, township_wide=True,
                       published_at=timezone.now())
        _save(vacancy, by)
        assessment.vacancy = vacancy
    assessment.save()
    return assessment


# --- allocation (统一调配) and dispatch ------------------------------------------------


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
        post = main_post(app)
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


def allocation_run(*, by, cycle: Cycle, own_staff_first: bool):
    """Run the engine and send its proposals to the schools at once, with no review in
    between (tests and scripts; the office's pages review first: ``dispatching``)."""
    from .dispatching import allocation_preview, allocation_send  # built on this module

    with transaction.atomic():
        run = allocation_preview(by=by, cycle=cycle, own_staff_first=own_staff_first)
        allocation_send(by=by, run=run)
    return run


def understaffed(cycle: Cycle) -> list[School]:
    """Schools with fewer hired than their establishment, remote ones first."""
    return list(
        School.objects.filter(township_id=cycle.township_id)
        .annotate(hired=Count("posts__hires", filter=Q(posts__cycle=cycle), distinct=True))
        .filter(hired__lt=F("establishment")).order_by("-remote", "name")
    )


@transaction.atomic
def dispatch_pair(*, by, cycle: Cycle, staff: Staff, post: Post) -> Proposal:
    """At the dispatch meeting the office pairs an unhired staff member with a post of a
    school that is short; the school confirms or declines (R6)."""
    require_cycle_office(by, cycle)
    _require_phase(cycle, SELECTION)
    _refuse(_fill_refusal(cycle, post))
    if Hire.objects.filter(cycle=cycle, staff=staff).exists():
        raise ValidationError(_("%(name)s is already hired in this cycle.") % {"name": staff})
    try:
        with transaction.atomic():
            proposal = Proposal(cycle=cycle, source=HireSource.DISPATCH, staff=staff,
                                post=post, proposed_by=by)
            _save(proposal, by)
    except IntegrityError:
        raise ValidationError(_("%(name)s already has a proposal waiting for a school.")
                              % {"name": staff}) from None
    return proposal


@transaction.atomic
def unhired_explain(*, by, cycle: Cycle, staff: Staff, reason: str) -> UnhiredReason:
    """R7: record why an unhired person needs no post (retiring, long sick leave, …)."""
    require_cycle_office(by, cycle)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    if Hire.objects.filter(cycle=cycle, staff=staff).exists():
        raise ValidationError(_("%(name)s is hired in this cycle.") % {"name": staff})
    explained, created = UnhiredReason.objects.get_or_create(
        cycle=cycle, staff=staff, defaults={"reason": reason.strip(), "recorded_by": by})
    if not created:
        raise ValidationError(_("%(name)s already has an explained status.") % {"name": staff})
    return explained


# --- the 岗位 sheet --------------------------------------------------------------------

POST_SHEET = "岗位"
POST_COLUMNS = {
    "number": "岗位序号",
    "kind": "类别",
    "grade_class": "年级班级",
    "subject": "学科",
    "weekly_lessons": "周课时",
    "duties": "职责",
    "conditions": "任职条件",
    "seats": "岗位数",
}
POST_REQUIRED = ("number", "kind")
# The same bounds as the post form: (smallest, largest) of each number column.
MAX_POST_NUMBER = 9999
MAX_WEEKLY_LESSONS = 60
MAX_SEATS = 200
POST_NUMBER_RANGES = {
    "number": (1, MAX_POST_NUMBER),
    "weekly_lessons": (0, MAX_WEEKLY_LESSONS),
    "seats": (1, MAX_SEATS),
}
KIND_WORDS = {"教学岗": PostKind.TEACHING, "辅助岗": PostKind.AUXILIARY}
FIELD_HEADERS = {key: header for key, header in POST_COLUMNS.items()}


@dataclass
class PostImport:
    rows: list[tuple[int, PostFields]]
    errors: list
    sheet: object  # staffing.workbook.SheetRows, for the error workbook
    created: int = 0
    updated: int = 0
    stopped: str = ""  # the notice when checking stopped at the error cap


def posts_import(*, by, cycle: Cycle, school: School, data: bytes,
                 dry_run: bool = False) -> PostImport:
    """A school's posts from sheet 岗位 (岗位序号, 类别 教学岗/辅助岗, 年级班级, 学科,
    周课时, 职责, 任职条件, and optionally 岗位数 — seats, default 1): all or nothing,
    matched by 岗位序号; the same rules and quota as the form."""
    from staffing import workbook as wb

    _principal_of(by, school)
    _posts_editable(cycle)
    book = wb.open_workbook(data, kind=_("posts sheet"))
    try:
        sheet = wb.read_sheet(book, POST_SHEET, POST_COLUMNS, POST_REQUIRED)
    finally:
        book.close()
    errors = list(sheet.errors)
    rows: list[tuple[int, PostFields]] = []
    seen: dict[int, int] = {}
    cap = wb.ErrorCap()
    for line, values in sheet.rows:
        if cap.full(POST_SHEET, line):
            break
        problems: list[tuple[str, str]] = []
        numbers = {}
        for key, (smallest, largest) in POST_NUMBER_RANGES.items():
            raw = values.get(key)
            if key != "number" and wb.clean_text(raw) == "":
                numbers[key] = 1 if key == "seats" else 0
                continue
            try:
                numbers[key] = wb.parse_whole_number(raw, minimum=smallest, maximum=largest)
            except wb.ValueProblem as exc:
                problems.append((key, str(exc) if wb.clean_text(raw) else _("required")))
        kind_word = wb.clean_text(values.get("kind"))
        kind = KIND_WORDS.get(kind_word)
        if kind is None:
            problems.append(("kind", _("write 教学岗 or 辅助岗, not “%(value)s”")
                             % {"value": wb.quoted(kind_word)}))
        if "number" in numbers:
            if numbers["number"] in seen:
                problems.append(("number", _("the same number already appears in row %(row)d")
                                 % {"row": seen[numbers["number"]]}))
            seen.setdefault(numbers["number"], line)
        if not problems:
            fields = PostFields(
                number=numbers["number"], kind=kind,
                grade_class=wb.clean_text(values.get("grade_class"))[:50],
                subject=wb.clean_text(values.get("subject"))[:30],
                weekly_lessons=numbers["weekly_lessons"],
                duties=wb.clean_text(values.get("duties")),
                conditions=wb.clean_text(values.get("conditions")),
                seats=numbers["seats"],
            )
            problems = post_problems(fields)
            if not problems:
                rows.append((line, fields))
        cap.count(problems)
        errors.extend(wb.RowError(POST_SHEET, line, FIELD_HEADERS.get(f, f), r)
                      for f, r in problems)
    with transaction.atomic():
        if not dry_run:
            # Checked against the posts as they are when written: the school is locked
            # before they are read, as post_save does, so a post saved meanwhile cannot
            # take the quota or the number.
            School.objects.select_for_update().filter(pk=school.pk).first()
        existing = {p.number: p for p in Post.objects.filter(cycle=cycle, school=school)}
        if not errors:
            kept = sum(p.seats for n, p in existing.items()
                       if n not in {f.number for _l, f in rows})
            total = kept + sum(f.seats for _l, f in rows)
            quota = post_quota(cycle, school)
            if total > quota:
                errors.append(wb.RowError(POST_SHEET, 1, POST_COLUMNS["seats"],
                                          _("%(school)s may set %(quota)d seats; this would "
                                            "make %(n)d.") % {"school": school, "quota": quota,
                                                              "n": total}))
            for line, fields in rows:
                post = existing.get(fields.number)
                if post is not None and post.published_at is not None:
                    errors.append(wb.RowError(POST_SHEET, line, POST_COLUMNS["number"],
                                              _("post %(n)d is published and can no longer "
                                                "change") % {"n": fields.number}))
        sheet.errors = errors
        result = PostImport(rows=rows, errors=errors, sheet=sheet, stopped=cap.notice())
        result.created = sum(1 for _l, f in rows if f.number not in existing)
        result.updated = len(rows) - result.created
        if errors or dry_run:
            return result
        new, changed = [], []
        for _line, fields in rows:
            post = existing.get(fields.number) or Post(cycle=cycle, school=school)
            for name, value in vars(fields).items():
                setattr(post, name, value)
            (changed if post.pk else new).append(post)
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        history = {"default_user": by, "default_change_reason": gettext_noop("post import")}
        if new:
            bulk_create_with_history(new, Post, **history)
        if changed:
            bulk_update_with_history(changed, Post, list(vars(rows[0][1])), **history)
    return result


@transaction.atomic
def selection_close_positions(*, by, cycle: Cycle) -> int:
    """R3 at the selection's close: every cadre not hired at their own unit loses the
    position from that day. Returns how many positions ended; running again ends none."""
    hired_at = dict(Hire.objects.filter(cycle=cycle).values_list("staff_id", "post__school_id"))
    ended = 0
    for position in Position.objects.select_for_update().filter(
        school__township_id=cycle.township_id, end_date__isnull=True
    ):
        if hired_at.get(position.staff_id) != position.school_id:
            position.end_date = max(timezone.localdate(), position.start_date)
            position.end_reason = R3_REASON
            _save(position, by, ["end_date", "end_reason"])
            ended += 1
    return ended
