"""The office's unified allocation (统一调配, R5): engine runs previewed and sent, the
schools' answers to proposals, the dispatch meeting's pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from recruitment import access, workflow
from recruitment.allocation import allocate, parse
from recruitment.models import (
    AllocationRun,
    Cycle,
    HireSource,
    Post,
    Proposal,
)
from recruitment.phases import SELECTION
from recruitment.selectors import allocation as allocation_selectors
from recruitment.selectors import common as common_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.services import common as common_services
from recruitment.services import selection as selection_services
from schools.models import Staff


@transaction.atomic
def proposal_decide(*, by, proposal: Proposal, confirm: bool, reason: str = "") -> Proposal:
    """The school confirms (a hire follows) or declines the office's proposal (R6)."""
    proposal = Proposal.objects.select_for_update().select_related("post__school",
                                                                   "cycle").get(pk=proposal.pk)
    if not access.may_decide_proposal(by, proposal):
        raise PermissionDenied
    workflow.status_move(proposal, workflow.PROPOSAL_FLOW,
                         Proposal.Status.CONFIRMED if confirm else Proposal.Status.DECLINED)
    cycle = proposal.cycle
    common_services.require_phase(cycle, SELECTION)
    if confirm:
        application = selection_selectors.application_for(cycle, proposal.staff, proposal.post)
        extra = list(application.auxiliary_posts.all()) if application else []
        selection_services.hire_create(by=by, cycle=cycle, staff=proposal.staff, post=proposal.post,
              source=proposal.source, extra=extra)
    elif not reason.strip():
        raise ValidationError(_("Give a reason for declining."))
    proposal.decided_by, proposal.decided_at, proposal.reason = by, timezone.now(), reason
    common_services.save(proposal, by)
    return proposal


SENT_REASON = gettext_noop("sent from an allocation run")


@transaction.atomic
def allocation_preview(*, by, cycle: Cycle, own_staff_first: bool) -> AllocationRun:
    """Run the engine on the cycle's intentions and committee rankings (own staff first
    or not: R5, 大稳小调) and store the run for the office to review. Nothing is sent."""
    access.require_cycle_office(by, cycle)
    Cycle.objects.select_for_update().get(pk=cycle.pk)  # one run or send at a time
    common_services.refuse(workflow.acting_refusal(common_selectors.phase_of(cycle, SELECTION)))
    data = allocation_selectors.allocation_input(cycle, own_staff_first=own_staff_first)
    if not data["teachers"]:
        raise ValidationError(_(
            "No applicant is waiting for allocation: everyone who applied is hired or has "
            "a proposal waiting, or no post they chose has a free seat."))
    common_services.refuse(allocation_selectors.allocation_run_check(cycle, data))
    result = allocate(parse(data)).as_json()
    return AllocationRun.objects.create(cycle=cycle, own_staff_first=own_staff_first,
                                        input=data, result=result, run_by=by)


@dataclass
class SendResult(allocation_selectors.SendPlan):
    """What ``allocation_send`` did: the plan it sent, with the proposals it created."""

    proposals: list[Proposal] = field(default_factory=list)

    @property
    def schools(self) -> int:
        return len({p.post.school_id for p in self.proposals})


@transaction.atomic
def allocation_send(*, by, run: AllocationRun) -> SendResult:
    """Send a reviewed run's placements to the schools as proposals, which each school
    confirms or declines (R6). Once per run; only staff still unhired and without a
    proposal, and only seats still free — the rest are counted, not sent."""
    cycle = run.cycle
    access.require_cycle_office(by, cycle)
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    run = AllocationRun.objects.select_for_update().select_related("cycle").get(pk=run.pk)
    common_services.refuse(allocation_selectors.allocation_send_check(run))
    plan = allocation_selectors.send_plan(run)
    result = SendResult(
        **vars(plan),
        proposals=[Proposal(cycle=cycle, run=run, source=HireSource.ALLOCATION,
                            staff=placement.staff, post=placement.post, proposed_by=by)
                   for placement in plan.placements])
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


@transaction.atomic
def dispatch_propose(*, by, cycle: Cycle, staff: Staff, post: Post) -> Proposal:
    """The dispatch meeting (调度会) pairs a staff member still unhired with a free post of
    a school that is short; the school confirms or declines (R6). The one entry point:
    the office, the cycle's lock (it orders pairings with sends and with the phase's close,
    which counts the proposals awaiting an answer), then ``dispatch_check``."""
    access.require_cycle_office(by, cycle)
    cycle = common_services.locked_cycle(cycle)  # fresh: the layer may have just closed
    common_services.refuse(allocation_selectors.dispatch_check(cycle, staff, post))
    try:
        with transaction.atomic():
            proposal = Proposal(cycle=cycle, source=HireSource.DISPATCH, staff=staff,
                                post=post, proposed_by=by)
            common_services.save(proposal, by)
    except IntegrityError:
        raise ValidationError(_("%(name)s already has a proposal waiting for a school.")
                              % {"name": staff}) from None
    return proposal
