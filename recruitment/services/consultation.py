"""Opinions, their school reports and the office's decisions, the representatives, and
the congress vote (phases 3–4).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment import access, rules, workflow
from recruitment.models import (
    Ballot,
    Cycle,
    OpinionReport,
    PhaseState,
    Representative,
    StaffOpinion,
    Vote,
)
from recruitment.phases import DRAFT, OPINIONS, REVIEW, VOTE
from recruitment.selectors import common as common_selectors
from recruitment.selectors import consultation as consultation_selectors
from recruitment.services import common as common_services
from schools.models import School, Staff


@transaction.atomic
def opinion_submit(*, by, cycle: Cycle, body: str) -> StaffOpinion:
    """Any staff member of the township sends an opinion on the current draft."""
    staff = access.require_own_staff(by, cycle)
    common_services.require_submissions(cycle, OPINIONS)
    if not body.strip():
        raise ValidationError(_("The opinion is empty."))
    revision = cycle.revisions.order_by("-number").first()
    opinion = StaffOpinion(cycle=cycle, revision=revision, staff=staff, school=staff.school,
                           body=body.strip())
    common_services.save(opinion, by)
    return opinion


@transaction.atomic
def opinions_report(*, by, cycle: Cycle, school: School) -> OpinionReport:
    """A principal reports their school's new opinions to the office in one step.

    A school with no opinions reports that too (count 0), once; a second report with
    nothing new is refused (a double submit).
    """
    if not access.is_principal(by, school.pk):
        raise PermissionDenied
    common_services.require_submissions(cycle, OPINIONS)
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
        common_services.save(opinion, by, ["report"])
    return report


@transaction.atomic
def opinion_decide(*, by, opinion: StaffOpinion, adopted: bool, reason: str) -> StaffOpinion:
    """The office adopts or declines a reported opinion, with a reason the author sees."""
    access.require_cycle_office(by, opinion.cycle)
    common_services.require_open(opinion.cycle, OPINIONS)
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
    common_services.save(opinion, by, ["status", "reason", "decided_by", "decided_at"])
    return opinion


@transaction.atomic
def representative_add(*, by, cycle: Cycle, staff: Staff) -> Representative:
    """Name a representative; allowed until the vote opens."""
    access.require_cycle_office(by, cycle)
    cycle = common_services.locked_cycle(cycle)
    common_services.refuse(rules.township_staff_refusal(cycle, staff))
    if consultation_selectors.open_vote(cycle):
        raise ValidationError(_("The representatives cannot change while a vote is open."))
    rep, created = Representative.objects.get_or_create(
        cycle=cycle, staff=staff, defaults={"named_by": by}
    )
    if not created:
        raise ValidationError(_("%(name)s is already a representative.") % {"name": staff})
    return rep


@transaction.atomic
def representative_remove(*, by, representative: Representative) -> None:
    access.require_cycle_office(by, representative.cycle)
    cycle = common_services.locked_cycle(representative.cycle)
    if consultation_selectors.open_vote(cycle):
        raise ValidationError(_("The representatives cannot change while a vote is open."))
    # Their ballots in past votes are the record of how those votes were counted.
    if representative.ballots.exists():
        raise ValidationError(
            _("%(name)s voted in a past vote of this cycle and stays on the list.")
            % {"name": representative.staff}
        )
    common_services.set_history_user(representative, by)
    representative.delete()


def vote_cast(*, by, cycle: Cycle, choice: str) -> Ballot:
    """A representative votes once on the final revision; never after the close."""
    if choice not in Ballot.Choice.values:
        raise ValidationError(_("Choose for, against or abstain."))
    try:
        with transaction.atomic():
            common_services.locked_cycle(
                cycle
            )  # the close takes the same lock: no ballot slips past it
            common_services.refuse(consultation_selectors.vote_cast_check(by, cycle))
            vote = consultation_selectors.open_vote(cycle)
            rep = Representative.objects.get(cycle=cycle, staff__user=by)
            return Ballot.objects.create(vote=vote, representative=rep, choice=choice)
    except IntegrityError:
        raise ValidationError(_("You have voted.")) from None


@transaction.atomic
def vote_close(*, by, cycle: Cycle) -> Vote:
    """Close the vote, count, and announce. Adopted: the revision is frozen as the
    official plan and phase 4 closes. Rejected: back to phase 1, history kept."""
    access.require_cycle_office(by, cycle)
    cycle = common_services.locked_cycle(cycle)
    vote = consultation_selectors.open_vote(cycle)
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
    common_services.save(vote, by)
    phases = common_selectors.phases_by_number(cycle)
    if passed:
        cycle.adopted_revision = vote.revision
        common_services.save(cycle, by, ["adopted_revision"])
        phases[VOTE].state = PhaseState.CLOSED
        common_services.save(phases[VOTE], by, ["state"])
    else:
        phases[DRAFT].state = PhaseState.OPEN
        common_services.save(phases[DRAFT], by, ["state"])
        for number in (REVIEW, OPINIONS, VOTE):
            phases[number].state = PhaseState.NOT_STARTED
            common_services.save(phases[number], by, ["state"])
    return vote
