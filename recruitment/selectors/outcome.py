"""The cycle's outcome, a person's result, the outcome workbook, and the assignments the
outcome becomes when phase 7 closes (``outcome_assignments``, ``outcome_effect``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recruitment import rules, sheets
from recruitment.models import (
    Application,
    CadreProposal,
    Cycle,
    Decision,
    Hire,
    HireSource,
    Intention,
    Phase,
    PhaseState,
    Post,
    Proposal,
    Ranking,
    TrainingEnrolment,
    UnhiredReason,
)
from recruitment.phases import CONTRACTS, INTENTIONS, SELECTION
from recruitment.selectors import common as common_selectors
from recruitment.selectors import selection as selection_selectors
from schools.models import Assignment, AssignmentKind, NewAssignment, Position, School, Staff
from schools.resident_id import age_on, mask
from staffing.workbook import SheetSpec


def outcome_assignments(cycle: Cycle) -> list[NewAssignment]:
    """What the outcome becomes when phase 7 closes: for each of the township's staff
    their assignment — a hire's school, post and auxiliary duties, teaching or support
    staff (R2, ``rules.hire_is_support_staff``); an appointed head kept in post at their
    school; an explained status at their school, not in post. The unhired (R7 refuses
    the close while there are any) get none. Four queries, whatever the count."""
    plan = cycle.adopted_revision
    found: dict[int, NewAssignment] = {}
    reasons = dict(UnhiredReason.objects.filter(cycle=cycle).values_list("staff_id", "reason"))
    heads = dict(selection_selectors.appointed_heads(cycle).values_list("staff_id", "title"))
    for staff_id, school_id in Staff.objects.filter(
            school__township_id=cycle.township_id).values_list("pk", "school_id"):
        if staff_id in heads:
            found[staff_id] = NewAssignment(staff_id, school_id, AssignmentKind.APPOINTED,
                                            post=heads[staff_id])
        elif staff_id in reasons:
            found[staff_id] = NewAssignment(staff_id, school_id, AssignmentKind.NOT_IN_POST,
                                            note=reasons[staff_id].strip())
    for hire in (Hire.objects.filter(cycle=cycle).select_related("post")
                 .prefetch_related("extra_posts")):
        support = plan is not None and rules.hire_is_support_staff(plan, hire.post)
        found[hire.staff_id] = NewAssignment(
            hire.staff_id, hire.post.school_id,
            AssignmentKind.SUPPORT if support else AssignmentKind.TEACHING,
            post=sheets.post_words(hire.post), duties=sheets.duties_words(hire.extra_posts.all()))
    return list(found.values())


def term_start(cycle: Cycle) -> date:
    """The day the outcome's assignments start: the term's, phase 8's (contracts) start."""
    return common_selectors.phase_of(cycle, CONTRACTS).start_date


@dataclass(frozen=True)
class OutcomeEffect:
    """What closing phase 7 will do, for the office's confirmation: of ``total`` staff,
    ``moved`` change school, ``support`` become support staff, from ``start``."""

    total: int
    moved: int
    support: int
    appointed: int
    not_in_post: int
    start: date


def outcome_effect(cycle: Cycle) -> OutcomeEffect:
    """``outcome_assignments`` counted against the roster's schools (five queries)."""
    assignments = outcome_assignments(cycle)
    schools = dict(Staff.objects.filter(school__township_id=cycle.township_id)
                   .values_list("pk", "school_id"))
    kinds = Counter(a.kind for a in assignments)
    return OutcomeEffect(
        total=len(assignments),
        moved=sum(1 for a in assignments if schools.get(a.staff_id) != a.school_id),
        support=kinds[AssignmentKind.SUPPORT], appointed=kinds[AssignmentKind.APPOINTED],
        not_in_post=kinds[AssignmentKind.NOT_IN_POST], start=term_start(cycle))


def outcome_applied(cycle: Cycle) -> bool:
    """Has the cycle's outcome taken effect (phase 7 closed, ``outcome_services``)?"""
    return Assignment.objects.filter(school__township_id=cycle.township_id,
                                     school_year=cycle.school_year).exists()


def home_schools(cycle: Cycle) -> dict[int, int]:
    """Each person's school before the cycle, once its outcome has taken effect (the
    roster then names the new one): staff id → the school their assignment came from.
    Empty before phase 7 closes, when the roster's school is the one before."""
    return dict(Assignment.objects.filter(school__township_id=cycle.township_id,
                                          school_year=cycle.school_year)
                .values_list("staff_id", "previous_school_id"))


def outcome_export_sheets(result: Outcome, *, full_ids: bool) -> list[SheetSpec]:
    """``outcome.outcome_sheets``, the resident IDs masked for all but the office that
    keeps the roster (STYLE.md)."""

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
    """What a staff member sees of their own outcome, and what comes next for them."""

    result: PersonResult
    waiting: Proposal | None  # a proposal awaiting a school's answer
    pass_mark: int | None
    intention: Intention | None = None  # with ``choices``: how many schools it ranks
    phases: dict[int, Phase] = field(default_factory=dict)  # the cycle's, by number
    unmet: list[UnmetChoice] = field(default_factory=list)  # choices not got, and why

    @property
    def passed(self) -> bool | None:
        training = self.result.training
        if training is None or training.score is None or self.pass_mark is None:
            return None
        return training.score >= self.pass_mark

    @property
    def stage(self) -> str:
        """Where the person stands, for the words of their next step: ``hired``,
        ``explained``, ``training`` (no score yet), ``passed``, ``failed``, ``proposed``,
        ``intention_due`` / ``intention_in`` (phase 5 open), ``selecting`` /
        ``selecting_without`` (phase 6 open, with or without an intention), ``unhired``
        (the selection over, no post), ``not_started`` (Step 2 not begun)."""
        result = self.result
        if result.hire is not None:
            return "hired"
        if result.explained is not None:
            return "explained"
        if result.training is not None:
            if result.training.score is None:
                return "training"
            return "passed" if self.passed else "failed"
        if self.waiting is not None:
            return "proposed"
        state = {n: phase.state for n, phase in self.phases.items()}
        if state.get(INTENTIONS) == PhaseState.OPEN:
            return "intention_in" if self.intention else "intention_due"
        if state.get(SELECTION) == PhaseState.OPEN:
            return "selecting" if self.intention else "selecting_without"
        if state.get(SELECTION) == PhaseState.CLOSED:
            return "unhired"
        return "not_started"


@dataclass
class UnmetChoice:
    """One of a staff member's ranked choices they did not get, and why, in plain words."""

    rank: int
    post: Post
    reason: str


def unmet_choices(cycle: Cycle, staff: Staff, hire: Hire | None) -> list[UnmetChoice]:
    """Each choice ``staff`` ranked above the post they hold (all of them without one),
    and why they did not get it: the committee did not accept them; the centres' layer
    came first and hired them; the post filled by applicants its committee ranked higher
    (how many); own staff first (R5) kept the seat; or the selection is still open. A
    published post is never withdrawn (``posts.post_delete``), so that reason does not
    arise. A handful of queries, whatever the number of choices."""
    applications = list(Application.objects.filter(intention__cycle=cycle,
                                                   intention__staff=staff)
                        .select_related("teaching_post__school", "school")
                        .prefetch_related("auxiliary_posts__school").order_by("rank"))
    mains = {app.pk: rules.main_post(app) for app in applications}
    post_ids = [post.pk for post in mains.values()]
    ranked = {(r.post_id, r.staff_id): r for r in Ranking.objects.filter(post_id__in=post_ids)}
    holders: dict[int, list[Hire]] = {}
    for held in Hire.objects.filter(post_id__in=post_ids).select_related("staff"):
        holders.setdefault(held.post_id, []).append(held)
    first_step = selection_selectors.first_step_ids(cycle)
    selecting = common_selectors.phase_of(cycle, SELECTION).state != PhaseState.CLOSED
    homes = home_schools(cycle)  # R5 compares the schools before the outcome took effect

    def home_of(person: Staff) -> int:
        return homes.get(person.pk) or person.school_id

    unmet = []
    for app in applications:
        post = mains[app.pk]
        if hire is not None and hire.post_id == post.pk:
            break
        mine = ranked.get((post.pk, staff.pk))
        held = holders.get(post.pk, [])
        if mine is not None and mine.decision == Decision.NOT_HIRE:
            reason = _("the committee of %(school)s did not accept you") % {
                "school": post.school.name}
        elif (hire is not None and hire.post.school_id in first_step
              and post.school_id not in first_step):
            reason = _("the centres select first: %(school)s hired you before the other "
                       "schools' selection") % {"school": hire.post.school.name}
        elif len(held) >= post.seats:
            own_kept = [h for h in held if home_of(h.staff) == post.school_id
                        and _worse(ranked.get((post.pk, h.staff_id)), mine)]
            if own_kept and home_of(staff) != post.school_id:
                reason = _("own staff first: the seat was kept for %(school)s's own staff") % {
                    "school": post.school.name}
            else:
                higher = sum(1 for h in held if not _worse(ranked.get((post.pk, h.staff_id)),
                                                           mine))
                reason = ngettext(
                    "filled by %(n)d applicant its committee ranked higher",
                    "filled by %(n)d applicants its committee ranked higher", higher) % {
                    "n": higher}
        elif selecting:
            reason = _("not decided yet: the selection is still open")
        else:
            reason = _("the committee of %(school)s did not accept you") % {
                "school": post.school.name}
        unmet.append(UnmetChoice(app.rank, post, reason))
    return unmet


def _worse(theirs: Ranking | None, mine: Ranking | None) -> bool:
    """Did the committee rank ``theirs`` below ``mine`` (unranked counts as last)?"""
    if mine is None or mine.rank is None:
        return False
    return theirs is None or theirs.rank is None or theirs.rank > mine.rank


def own_result(cycle: Cycle, staff: Staff) -> OwnResult:
    plan = cycle.adopted_revision
    result = result_of(cycle, staff)
    return OwnResult(
        result=result,
        waiting=Proposal.objects.filter(cycle=cycle, staff=staff,
                                        status=Proposal.Status.PROPOSED)
        .select_related("post__school").first(),
        pass_mark=plan.training_pass_mark if plan else None,
        intention=Intention.objects.filter(cycle=cycle, staff=staff)
        .annotate(choices=Count("applications")).first(),
        phases={phase.number: phase for phase in cycle.phases.all()},
        unmet=unmet_choices(cycle, staff, result.hire) if cycle.adopted_revision_id else [],
    )


AGE_BANDS = ("<30", "30–39", "40–49", "50+")


def age_band(born: date, on: date) -> str:
    age = age_on(born, on)
    if age < 30:
        return AGE_BANDS[0]
    if age < 40:
        return AGE_BANDS[1]
    if age < 50:
        return AGE_BANDS[2]
    return AGE_BANDS[3]


# SchoolOutcome's counted fields, in the page's and the 结果 sheet's column order.
COUNTED = ("staff", "seats", "filled", "trained", "own_kept", "moved_in", "moved_out",
           "new_cadres", "cadres_lost", "appointed", "explained", "unhired")


@dataclass
class SchoolOutcome:
    """One school's figures: ``staff`` (its roster before) = ``own_kept`` + ``moved_out`` +
    ``appointed`` + ``explained`` + ``unhired``; ``filled`` (hires into it) =
    ``own_kept`` + ``moved_in``, of which ``trained`` were placed after training (R7)."""

    school: School | None  # None: the township's totals
    staff: int = 0
    seats: int = 0
    filled: int = 0
    trained: int = 0
    own_kept: int = 0
    moved_in: int = 0
    moved_out: int = 0
    new_cadres: int = 0
    cadres_lost: int = 0
    explained: int = 0
    unhired: int = 0
    appointed: int = 0  # heads appointed by the county bureau, kept in post (任命)
    ages_before: Counter = field(default_factory=Counter)
    ages_after: Counter = field(default_factory=Counter)
    subjects_before: Counter = field(default_factory=Counter)
    subjects_after: Counter = field(default_factory=Counter)

    def add(self, other: SchoolOutcome) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("ages_before", "ages_after", "subjects_before", "subjects_after"):
            getattr(self, name).update(getattr(other, name))


@dataclass
class Headcount:
    """One line of the township's headcount: a way staff ended the cycle and how many."""

    label: str  # on the page, translated
    word: str  # in the 人数 sheet: the label's Chinese translation, whatever the language
    count: int
    kind: str  # "hire" (one per HireSource), "appointed", "explained" (one per reason), "unhired"


@dataclass
class Outcome:
    cycle: Cycle
    schools: list[SchoolOutcome]
    township: SchoolOutcome
    # Everyone on the township's roster, once: hires by how they came about, each
    # explained status by its reason, the unhired; the counts add up to ``township.staff``.
    headcount: list[Headcount] = field(default_factory=list)
    # Once the outcome took effect: staff id → the school before (``home_schools``).
    homes: dict[int, int] = field(default_factory=dict)


def headcount_of(hires, reasons, unhired: int, appointed: int = 0) -> list[Headcount]:
    """The township's headcount (``Outcome.headcount``) from the rows ``outcome`` loaded:
    ``hires`` by source, the heads ``appointed`` by the county bureau (kept in post, not
    hired), the explained statuses' ``reasons`` grouped as recorded (stripped), the
    ``unhired``."""
    by_source = Counter(hire.source for hire in hires)
    lines = [Headcount(label, sheets.SOURCE_WORDS[source], by_source[source], "hire")
             for source, label in HireSource.choices]
    lines.append(Headcount(_("Appointed"), sheets.APPOINTED_WORD, appointed, "appointed"))
    grouped = Counter(reason.strip() for reason in reasons)
    lines += [Headcount(_("Explained status: %(reason)s") % {"reason": reason},
                        sheets.EXPLAINED_WORD % {"reason": reason}, n, "explained")
              for reason, n in sorted(grouped.items(), key=lambda item: (-item[1], item[0]))]
    lines.append(Headcount(_("Unhired"), sheets.UNHIRED_WORD, unhired, "unhired"))
    return lines


def outcome(cycle: Cycle, *, schools=None) -> Outcome:
    """The outcome per school (``schools``: a queryset to restrict to, e.g. a
    principal's own) and for the township."""
    on = cycle.phases.get(number=INTENTIONS).start_date
    all_schools = list(School.objects.filter(township_id=cycle.township_id).order_by("name"))
    rows = {s.pk: SchoolOutcome(s) for s in all_schools}
    seats = dict(Post.objects.filter(cycle=cycle).values_list("school").annotate(n=Sum("seats")))
    hires = {h.staff_id: h for h in Hire.objects.filter(cycle=cycle).select_related("post")}
    explained = dict(UnhiredReason.objects.filter(cycle=cycle).values_list("staff_id", "reason"))
    # One query: the positions ended by this cycle (R3, R4) and the appointed heads' open
    # ones (``selection_selectors.appointed_heads``: hired nowhere, kept in post).
    lost, appointed = [], set()
    for school_id, staff_id, end_date in Position.objects.filter(
        Q(end_reason__in=(rules.R3_REASON, rules.R4_REASON),
          end_date__gte=cycle.created_at.date())
        | Q(end_date__isnull=True, title__in=rules.APPOINTED_TITLES),
        school__township_id=cycle.township_id,
    ).values_list("school_id", "staff_id", "end_date"):
        if end_date is not None:
            lost.append(school_id)
        elif staff_id not in hires:
            appointed.add(staff_id)
    homes = home_schools(cycle)
    for staff in Staff.objects.filter(school__township_id=cycle.township_id).only(
        "pk", "school_id", "birth_date", "subject"
    ):
        home_id = homes.get(staff.pk) or staff.school_id
        band, subject = age_band(staff.birth_date, on), staff.subject or "—"
        home = rows[home_id]
        home.staff += 1
        home.ages_before[band] += 1
        home.subjects_before[subject] += 1
        hire = hires.get(staff.pk)
        if hire is None:
            if staff.pk in appointed:
                home.appointed += 1
            elif staff.pk in explained:
                home.explained += 1
            else:
                home.unhired += 1
            continue
        target = rows[hire.post.school_id]
        target.filled += 1
        target.trained += hire.source == HireSource.TRAINING
        target.ages_after[band] += 1
        target.subjects_after[subject] += 1
        if hire.post.school_id == home_id:
            target.own_kept += 1
        else:
            target.moved_in += 1
            home.moved_out += 1
    for school_id, n in CadreProposal.objects.filter(
        cycle=cycle, status=CadreProposal.Status.APPROVED
    ).values_list("school").annotate(n=Count("pk")):
        rows[school_id].new_cadres = n
    for school_id in lost:
        rows[school_id].cadres_lost += 1
    for school_id, row in rows.items():
        row.seats = seats.get(school_id, 0)
    township = SchoolOutcome(None)
    for row in rows.values():
        township.add(row)
    shown = set(schools.values_list("pk", flat=True)) if schools is not None else None
    return Outcome(cycle=cycle, township=township, headcount=headcount_of(
                       hires.values(), explained.values(), township.unhired,
                       township.appointed),
                   schools=[r for r in rows.values() if shown is None or r.school.pk in shown],
                   homes=homes)


@dataclass
class PersonResult:
    """What a staff member sees of their own outcome."""

    hire: Hire | None
    training: TrainingEnrolment | None
    explained: UnhiredReason | None
    appointed: Position | None = None  # a head kept in post by the bureau's appointment


def result_of(cycle: Cycle, staff: Staff) -> PersonResult:
    return PersonResult(
        hire=Hire.objects.filter(cycle=cycle, staff=staff)
        .select_related("post__school").prefetch_related("extra_posts").first(),
        training=TrainingEnrolment.objects.filter(cycle=cycle, staff=staff).first(),
        explained=UnhiredReason.objects.filter(cycle=cycle, staff=staff).first(),
        appointed=selection_selectors.appointed_heads(cycle).filter(staff=staff).first(),
    )


def outcome_sheets(result: Outcome) -> list[SheetSpec]:
    """Sheets 结果 (per school, then the township), 人数 (the township's headcount, adding
    up to its staff) and 人员 (one row per hire)."""
    def line(name, r):
        return [name, *(getattr(r, counted) for counted in COUNTED)]

    rows = [line(r.school.name, r) for r in result.schools]
    rows.append(line("合计", result.township))
    school_ids = [r.school.pk for r in result.schools]
    hires = (Hire.objects.filter(cycle=result.cycle, post__school_id__in=school_ids)
             .select_related("staff__school", "post__school")
             .order_by("post__school__name", "post__number", "staff__name"))
    homes = result.homes
    names = (dict(School.objects.filter(township_id=result.cycle.township_id)
                  .values_list("pk", "name")) if homes else {})

    def home(staff):
        return names[homes[staff.pk]] if staff.pk in homes else staff.school.name

    people = [[h.staff.name, h.staff.resident_id, home(h.staff), h.post.school.name,
               h.post.number, h.post.subject or h.post.duties, sheets.SOURCE_WORDS[h.source]]
              for h in hires]
    people += [[p.staff.name, p.staff.resident_id, home(p.staff), p.school.name, "—",
                p.title, sheets.APPOINTED_WORD]
               for p in selection_selectors.appointed_heads(result.cycle)
               .filter(school_id__in=school_ids).order_by("school__name", "title", "staff__name")]
    return [
        SheetSpec("结果", sheets.OUTCOME_HEADERS, rows),
        SheetSpec("人数", sheets.HEADCOUNT_HEADERS,
                  [[h.word, h.count] for h in result.headcount]
                  + [["合计", result.township.staff]]),
        SheetSpec("人员", sheets.PEOPLE_HEADERS, people, text_columns=frozenset({"身份证号"})),
    ]


def contract_hires(cycle: Cycle, *, school_ids=None):
    """The cycle's confirmed hires as a contract is drawn up from them (phase 8): the
    person, the post and its school, the auxiliary duties; ``school_ids`` restricts them
    to the posts of those schools. Three queries however many."""
    hires = (Hire.objects.filter(cycle=cycle)
             .select_related("staff", "post__school", "cycle__township")
             .prefetch_related("extra_posts").order_by("post__school__name", "staff__name"))
    if school_ids is not None:
        hires = hires.filter(post__school_id__in=school_ids)
    return hires
