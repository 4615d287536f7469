"""Services of the cycle and Step 1 (phases 1–4): every change goes through here.

Each checks who acts and whether the phase allows it (``workflow``), writes, and
leaves history (django-simple-history records the acting user from the request; the
services also name it explicitly where a row carries its author).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from schools import access
from schools.models import School, Staff, Township

from . import workflow
from .models import (
    Ballot,
    Cycle,
    OpinionReport,
    Phase,
    PhaseState,
    PlanRevision,
    PlanSchool,
    Proposal,
    Representative,
    ReviewComment,
    StaffOpinion,
    Vote,
)
from .phases import DRAFT, OPINIONS, REVIEW, SELECTION, UNHIRED, VOTE, default_dates
from .sections import plan_sections


def _refuse(reason: str | None) -> None:
    if reason:
        raise ValidationError(reason)


def _set_history_user(obj, by) -> None:
    # Outside a request (commands, demo data) simple-history has no user: name it.
    if by is not None:
        obj._history_user = by


def require_cycle_office(user, cycle: Cycle) -> None:
    if not access.townships_managed(user).filter(pk=cycle.township_id).exists():
        raise PermissionDenied


def _locked_cycle(cycle: Cycle) -> Cycle:
    """Lock the cycle row: phase transitions and votes of one cycle run one at a time."""
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


def _phases(cycle: Cycle) -> dict[int, Phase]:
    return {p.number: p for p in Phase.objects.filter(cycle=cycle)}


def _save(obj, by, fields=None) -> None:
    _set_history_user(obj, by)
    obj.save(update_fields=fields)


# --- cycle and phases ----------------------------------------------------------------


@transaction.atomic
def cycle_create(*, by, township: Township, school_year: int) -> Cycle:
    """A township's cycle for a school year, with its ten phases on the seeds' calendar."""
    if by is not None and not access.townships_managed(by).filter(pk=township.pk).exists():
        raise PermissionDenied
    if Cycle.objects.filter(township=township, school_year=school_year).exists():
        raise ValidationError(_("This township already has a cycle for that school year."))
    cycle = Cycle(township=township, school_year=school_year, created_by=by)
    _save(cycle, by)
    for number, (start, deadline) in default_dates(school_year).items():
        _save(Phase(cycle=cycle, number=number, start_date=start, deadline=deadline), by)
    return cycle


def phase_open_check(phase: Phase) -> str | None:
    cycle = phase.cycle
    return workflow.phase_open_refusal(
        phase, _phases(cycle), cycle,
        revisions=cycle.revisions.count(),
        representatives=cycle.representatives.count(),
    )


def phase_close_check(phase: Phase) -> str | None:
    cycle = phase.cycle
    return workflow.phase_close_refusal(
        phase,
        revisions=cycle.revisions.count(),
        pending_comments=ReviewComment.objects.filter(
            revision__cycle=cycle, status=ReviewComment.Status.PENDING
        ).count(),
        undecided_opinions=StaffOpinion.objects.filter(
            cycle=cycle, report__isnull=False, status=StaffOpinion.Status.PENDING
        ).count(),
        **close_blockers(phase),
    )


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
        from .selection import unhired  # selection builds on this module

        return {"unhired": unhired(phase.cycle).count()}
    return {}


@transaction.atomic
def phase_open(*, by, phase: Phase) -> Phase:
    """Open a phase once the one before it has closed (the cycle's order)."""
    require_cycle_office(by, phase.cycle)
    cycle = _locked_cycle(phase.cycle)
    phase = Phase.objects.select_related("cycle").get(pk=phase.pk)
    _refuse(phase_open_check(phase))
    phase.state = PhaseState.OPEN
    _save(phase, by, ["state"])
    if phase.number == VOTE:
        latest = cycle.revisions.order_by("-number").first()
        Vote.objects.create(cycle=cycle, revision=latest, opened_by=by)
    return phase


@transaction.atomic
def phase_close(*, by, phase: Phase) -> Phase:
    require_cycle_office(by, phase.cycle)
    _locked_cycle(phase.cycle)
    phase = Phase.objects.select_related("cycle").get(pk=phase.pk)
    _refuse(phase_close_check(phase))
    phase.state = PhaseState.CLOSED
    _save(phase, by, ["state"])
    if phase.number == SELECTION:
        # R3: a cadre not hired at their own unit loses the position from this day.
        from .selection import selection_close_positions  # selection builds on this module

        selection_close_positions(by=by, cycle=phase.cycle)
    return phase


@transaction.atomic
def phase_dates_set(*, by, phase: Phase, start_date, deadline) -> Phase:
    require_cycle_office(by, phase.cycle)
    if deadline < start_date:
        raise ValidationError(_("The deadline cannot be before the start."))
    phase.start_date, phase.deadline = start_date, deadline
    _save(phase, by, ["start_date", "deadline"])
    return phase


def phase_of(cycle: Cycle, number: int) -> Phase:
    return Phase.objects.select_related("cycle").get(cycle=cycle, number=number)


def _require_open(cycle: Cycle, number: int) -> Phase:
    phase = phase_of(cycle, number)
    _refuse(workflow.acting_refusal(phase))
    return phase


def _require_submissions(cycle: Cycle, number: int) -> Phase:
    """Open, and its deadline not passed (``workflow.submission_refusal``)."""
    phase = phase_of(cycle, number)
    _refuse(workflow.submission_refusal(phase))
    return phase


# --- phase 1: the plan ---------------------------------------------------------------


PLAN_CHANGED = "plan_changed"  # the ValidationError code of a stale ``based_on``


def plan_revise_check(cycle: Cycle) -> str | None:
    """May the office save a revision of the plan now? (For pages: the reason not.)"""
    return workflow.revise_refusal(_phases(cycle), cycle)


@transaction.atomic
def plan_revise(*, by, cycle: Cycle, text: str, note: str = "", settings: dict | None = None,
                schools: list[tuple[School, int, bool]] | None = None,
                based_on: int | None = None) -> PlanRevision:
    """Save a new revision of the plan: text, settings, and each school's posts.

    Drafted in phase 1, revised in phases 2 and 3; the adopted revision is frozen.
    ``schools`` lists (school, posts it may set, recruits township-wide first); when
    omitted the previous revision's are kept (or, for a first draft, each school's
    post-setting count, the centres first).

    ``based_on`` is the revision number the editor started from (0 for the first
    draft). When another revision has been saved since — a second click of the same
    form, or a colleague's edit — nothing is saved (ValidationError, code
    ``PLAN_CHANGED``), so no one's revision is silently replaced.
    """
    require_cycle_office(by, cycle)
    cycle = _locked_cycle(cycle)
    _refuse(plan_revise_check(cycle))
    if not text.strip():
        raise ValidationError(_("The plan's text is empty."))
    previous = cycle.revisions.select_related("created_by").order_by("-number").first()
    latest_number = previous.number if previous else 0
    if based_on is not None and based_on != latest_number:
        who = previous.created_by if previous else None
        raise ValidationError(
            _("Nothing was saved: this form was opened on revision %(based)d, and revision "
              "%(latest)d has been saved since (by %(who)s).")
            % {"based": based_on, "latest": latest_number,
               "who": (who.get_full_name() or who.get_username()) if who else "—"},
            code=PLAN_CHANGED,
        )
    values = {
        "teaching_load_threshold": previous.teaching_load_threshold if previous else 8,
        "own_share_num": previous.own_share_num if previous else 2,
        "own_share_den": previous.own_share_den if previous else 3,
        "max_applications": previous.max_applications if previous else 3,
        "training_pass_mark": previous.training_pass_mark if previous else 60,
    }
    values.update(settings or {})
    if not 0 < values["own_share_num"] <= values["own_share_den"]:
        raise ValidationError(_("The own-staff share must be a fraction between 0 and 1."))
    if not 0 <= values["training_pass_mark"] <= 100:
        raise ValidationError(_("The pass mark must be between 0 and 100."))
    revision = PlanRevision.objects.create(
        cycle=cycle, number=(previous.number + 1) if previous else 1, text=text.strip(),
        note=note, created_by=by, **values,
    )
    if schools is None:
        if previous:
            schools = [(s.school, s.post_count, s.first_step) for s in previous.schools.all()]
        else:
            schools = [
                (s, s.post_count, s.is_centre)
                for s in School.objects.filter(township=cycle.township)
            ]
    foreign = [s for s, _n, _f in schools if s.township_id != cycle.township_id]
    if foreign:
        raise ValidationError(_("%(school)s is not a school of this township.")
                              % {"school": foreign[0]})
    PlanSchool.objects.bulk_create(
        PlanSchool(revision=revision, school=s, post_count=n, first_step=f) for s, n, f in schools
    )
    return revision


# --- phase 2: collective review ------------------------------------------------------


def _principal_school(user, township_id: int) -> School:
    scope = access.scope_of(user)
    school = School.objects.filter(pk__in=scope.principal_school_ids,
                                   township_id=township_id).first()
    if school is None:
        raise PermissionDenied
    return school


@transaction.atomic
def review_comment_add(*, by, revision: PlanRevision, section: int, body: str) -> ReviewComment:
    """A principal or kindergarten head comments on one section of the current draft."""
    cycle = revision.cycle
    school = _principal_school(by, cycle.township_id)
    _require_submissions(cycle, REVIEW)
    if cycle.revisions.order_by("-number").values_list("pk", flat=True).first() != revision.pk:
        raise ValidationError(_("Comment on the current draft; this revision was replaced."))
    sections = plan_sections(revision.text)
    if not 0 <= section < len(sections):
        raise ValidationError(_("No such section."))
    if not body.strip():
        raise ValidationError(_("The comment is empty."))
    comment = ReviewComment(revision=revision, section=section,
                            section_title=sections[section].title[:200], author=by,
                            school=school, body=body.strip())
    _save(comment, by)
    return comment


@transaction.atomic
def review_comment_answer(*, by, comment: ReviewComment, adopted: bool,
                          reason: str) -> ReviewComment:
    """The office answers a comment: adopted or not, with a reason."""
    cycle = comment.revision.cycle
    require_cycle_office(by, cycle)
    _require_open(cycle, REVIEW)
    if not reason.strip():
        raise ValidationError(_("Give a reason with the answer."))
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    workflow.status_move(comment, workflow.REVIEW_COMMENT_FLOW,
                         ReviewComment.Status.ADOPTED if adopted
                         else ReviewComment.Status.NOT_ADOPTED)
    comment.reason = reason.strip()
    comment.answered_by = by
    comment.answered_at = timezone.now()
    _save(comment, by, ["status", "reason", "answered_by", "answered_at"])
    return comment


# --- phase 3: staff opinions ---------------------------------------------------------


def _own_staff(user, cycle: Cycle) -> Staff:
    staff = Staff.objects.select_related("school").filter(user=user).first()
    if staff is None or staff.school.township_id != cycle.township_id:
        raise PermissionDenied
    return staff


@transaction.atomic
def opinion_submit(*, by, cycle: Cycle, body: str) -> StaffOpinion:
    """Any staff member of the township sends an opinion on the current draft."""
    staff = _own_staff(by, cycle)
    _require_submissions(cycle, OPINIONS)
    if not body.strip():
        raise ValidationError(_("The opinion is empty."))
    revision = cycle.revisions.order_by("-number").first()
    opinion = StaffOpinion(cycle=cycle, revision=revision, staff=staff, school=staff.school,
                           body=body.strip())
    _save(opinion, by)
    return opinion


@transaction.atomic
def opinions_report(*, by, cycle: Cycle, school: School) -> OpinionReport:
    """A principal reports their school's new opinions to the office in one step.

    A school with no opinions reports that too (count 0), once; a second report with
    nothing new is refused (a double submit).
    """
    if school.pk not in access.scope_of(by).principal_school_ids:
        raise PermissionDenied
    _require_submissions(cycle, OPINIONS)
    School.objects.select_for_update().filter(pk=school.pk).first()  # one report at a time
    new = list(
        StaffOpinion.objects.select_for_update()
        .filter(cycle=cycle, school=school, report__isnull=True)
        .values_list("pk", flat=True)
    )
    if not new and OpinionReport.objects.filter(cycle=cycle, school=school).exists():
        raise ValidationError(_("Already reported: there are no new opinions since."))
    report = OpinionReport.objects.create(cycle=cycle, school=school, reported_by=by,
                                          count=len(new))
    for opinion in StaffOpinion.objects.filter(pk__in=new):
        opinion.report = report
        _save(opinion, by, ["report"])
    return report


def opinions_report_check(cycle: Cycle, school: School) -> str | None:
    """May ``school``'s opinions be reported now? (For pages: why not.) ``opinions_report``
    decides again under its lock."""
    refusal = workflow.submission_refusal(phase_of(cycle, OPINIONS))
    if refusal:
        return refusal
    new = StaffOpinion.objects.filter(cycle=cycle, school=school, report__isnull=True)
    if not new.exists() and OpinionReport.objects.filter(cycle=cycle, school=school).exists():
        return _("Already reported: there are no new opinions since.")
    return None


@transaction.atomic
def opinion_decide(*, by, opinion: StaffOpinion, adopted: bool, reason: str) -> StaffOpinion:
    """The office adopts or declines a reported opinion, with a reason the author sees."""
    require_cycle_office(by, opinion.cycle)
    _require_open(opinion.cycle, OPINIONS)
    opinion = StaffOpinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.report_id is None:
        raise ValidationError(_("The school has not reported this opinion yet."))
    if not reason.strip():
        raise ValidationError(_("Give a reason with the decision."))
    workflow.status_move(opinion, workflow.STAFF_OPINION_FLOW,
                         StaffOpinion.Status.ADOPTED if adopted else StaffOpinion.Status.DECLINED)
    opinion.reason = reason.strip()
    opinion.decided_by = by
    opinion.decided_at = timezone.now()
    _save(opinion, by, ["status", "reason", "decided_by", "decided_at"])
    return opinion


# --- phase 4: the congress vote ------------------------------------------------------


@transaction.atomic
def representative_add(*, by, cycle: Cycle, staff: Staff) -> Representative:
    """Name a representative; allowed until the vote opens."""
    require_cycle_office(by, cycle)
    cycle = _locked_cycle(cycle)
    if staff.school.township_id != cycle.township_id:
        raise ValidationError(_("%(name)s is not on this township's staff.") % {"name": staff})
    if open_vote(cycle):
        raise ValidationError(_("The representatives cannot change while a vote is open."))
    rep, created = Representative.objects.get_or_create(
        cycle=cycle, staff=staff, defaults={"named_by": by}
    )
    if not created:
        raise ValidationError(_("%(name)s is already a representative.") % {"name": staff})
    return rep


def representatives_change_check(cycle: Cycle) -> str | None:
    """May the office name or remove representatives now? (For pages: why not.)"""
    if open_vote(cycle):
        return _("The representatives cannot change while a vote is open.")
    return None


@transaction.atomic
def representative_remove(*, by, representative: Representative) -> None:
    require_cycle_office(by, representative.cycle)
    cycle = _locked_cycle(representative.cycle)
    if open_vote(cycle):
        raise ValidationError(_("The representatives cannot change while a vote is open."))
    # Their ballots in past votes are the record of how those votes were counted.
    if representative.ballots.exists():
        raise ValidationError(
            _("%(name)s voted in a past vote of this cycle and stays on the list.")
            % {"name": representative.staff}
        )
    _set_history_user(representative, by)
    representative.delete()


def open_vote(cycle: Cycle) -> Vote | None:
    return cycle.votes.filter(closed_at__isnull=True).select_related("revision").first()


def vote_cast_check(user, cycle: Cycle) -> str | None:
    """May ``user`` vote now? (For pages: the reason a ballot cannot be cast.)"""
    refusal = workflow.submission_refusal(phase_of(cycle, VOTE))
    if refusal:
        return refusal
    vote = open_vote(cycle)
    if vote is None:
        return _("No vote is open.")
    rep = Representative.objects.filter(cycle=cycle, staff__user=user).first()
    if rep is None:
        return _("Only the congress representatives vote.")
    if Ballot.objects.filter(vote=vote, representative=rep).exists():
        return _("You have voted.")
    return None


def vote_cast(*, by, cycle: Cycle, choice: str) -> Ballot:
    """A representative votes once on the final revision; never after the close."""
    if choice not in Ballot.Choice.values:
        raise ValidationError(_("Choose for, against or abstain."))
    try:
        with transaction.atomic():
            _locked_cycle(cycle)  # the close takes the same lock: no ballot slips past it
            _refuse(vote_cast_check(by, cycle))
            vote = open_vote(cycle)
            rep = Representative.objects.get(cycle=cycle, staff__user=by)
            return Ballot.objects.create(vote=vote, representative=rep, choice=choice)
    except IntegrityError:
        raise ValidationError(_("You have voted.")) from None


@transaction.atomic
def vote_close(*, by, cycle: Cycle) -> Vote:
    """Close the vote, count, and announce. Adopted: the revision is frozen as the
    official plan and phase 4 closes. Rejected: back to phase 1, history kept."""
    require_cycle_office(by, cycle)
    cycle = _locked_cycle(cycle)
    vote = open_vote(cycle)
    if vote is None:
        raise ValidationError(_("No vote is open."))
    tally = vote.ballots.aggregate(
        votes_for=Count("pk", filter=Q(choice=Ballot.Choice.FOR)),
        votes_against=Count("pk", filter=Q(choice=Ballot.Choice.AGAINST)),
        abstentions=Count("pk", filter=Q(choice=Ballot.Choice.ABSTAIN)),
    )
    vote.representatives = cycle.representatives.count()
    vote.votes_for = tally["votes_for"]
    vote.votes_against = tally["votes_against"]
    vote.abstentions = tally["abstentions"]
    passed = workflow.adopted(representatives=vote.representatives, ballots=vote.turnout,
                              votes_for=vote.votes_for, cycle=cycle)
    vote.result = Vote.Result.ADOPTED if passed else Vote.Result.REJECTED
    vote.closed_by = by
    vote.closed_at = timezone.now()
    _save(vote, by)
    phases = _phases(cycle)
    if passed:
        cycle.adopted_revision = vote.revision
        _save(cycle, by, ["adopted_revision"])
        phases[VOTE].state = PhaseState.CLOSED
        _save(phases[VOTE], by, ["state"])
    else:
        phases[DRAFT].state = PhaseState.OPEN
        _save(phases[DRAFT], by, ["state"])
        for number in (REVIEW, OPINIONS, VOTE):
            phases[number].state = PhaseState.NOT_STARTED
            _save(phases[number], by, ["state"])
    return vote
