"""The cycle and its phases: create, open, close (R3 at phase 6's close, R7 at phase 7's),
dates. Each check is ``selectors.cycle``'s, asked under the lock.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recruitment import access, rules
from recruitment.models import (
    Cycle,
    Phase,
    PhaseState,
    Vote,
)
from recruitment.phases import SELECTION, UNHIRED, VOTE, default_dates
from recruitment.selectors import cycle as cycle_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.services import common as common_services
from recruitment.services import outcome as outcome_services
from recruitment.services import selection as selection_services
from schools.models import Township


@transaction.atomic
def cycle_create(*, by, township: Township, school_year: int) -> Cycle:
    """A township's cycle for a school year, with its ten phases on the seeds' calendar."""
    if by is not None and not access.is_township_office(by, township.pk):
        raise PermissionDenied
    if Cycle.objects.filter(township=township, school_year=school_year).exists():
        raise ValidationError(_("This township already has a cycle for that school year."))
    cycle = Cycle(township=township, school_year=school_year, created_by=by)
    common_services.save(cycle, by)
    for number, (start, deadline) in default_dates(school_year).items():
        common_services.save(
            Phase(cycle=cycle, number=number, start_date=start, deadline=deadline), by
        )
    return cycle


@transaction.atomic
def phase_open(*, by, phase: Phase) -> Phase:
    """Open a phase once the one before it has closed (the cycle's order)."""
    access.require_cycle_office(by, phase.cycle)
    cycle = common_services.locked_cycle(phase.cycle)
    phase = Phase.objects.select_related("cycle").get(pk=phase.pk)
    common_services.refuse(cycle_selectors.phase_open_check(phase))
    phase.state = PhaseState.OPEN
    common_services.save(phase, by, ["state"])
    if phase.number == VOTE:
        latest = cycle.revisions.order_by("-number").first()
        Vote.objects.create(cycle=cycle, revision=latest, opened_by=by)
    return phase


@transaction.atomic
def phase_close(*, by, phase: Phase) -> Phase:
    """Close a phase once ``phase_close_check`` allows it. Phase 6's close ends R3's
    positions; phase 7's puts the outcome into effect (``outcome_services.outcome_apply``:
    everyone's assignment from the term's start), in the same transaction."""
    access.require_cycle_office(by, phase.cycle)
    common_services.locked_cycle(phase.cycle)
    phase = Phase.objects.select_related("cycle").get(pk=phase.pk)
    common_services.refuse(cycle_selectors.phase_close_check(phase))
    phase.state = PhaseState.CLOSED
    common_services.save(phase, by, ["state"])
    # R3: a cadre not hired at their own unit loses the position from this day.
    if phase.number == SELECTION and selection_selectors.positions_to_end(phase.cycle).exists():
        selection_services.positions_end(by=by, cycle=phase.cycle)
    if phase.number == UNHIRED:
        outcome_services.outcome_apply(by=by, cycle=phase.cycle)
    return phase


@transaction.atomic
def phase_reopen(*, by, phase: Phase, reason: str) -> Phase:
    """The office reopens a phase closed by mistake, while the next one has not started
    (``workflow.phase_reopen_refusal``); the reason is the history record's change reason.
    What the close did stays done (R3's positions ended at phase 6's close); phase 7 is
    not reopened once its outcome has taken effect."""
    access.require_cycle_office(by, phase.cycle)
    common_services.locked_cycle(phase.cycle)
    phase = Phase.objects.select_related("cycle").get(pk=phase.pk)
    common_services.refuse(cycle_selectors.phase_reopen_check(phase))
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the phase."))
    phase.state = PhaseState.OPEN
    phase._change_reason = reason.strip()[:rules.HISTORY_REASON_MAX_LENGTH]
    common_services.save(phase, by, ["state"])
    return phase


@transaction.atomic
def phase_dates_set(*, by, phase: Phase, start_date, deadline) -> Phase:
    access.require_cycle_office(by, phase.cycle)
    if deadline < start_date:
        raise ValidationError(_("The deadline cannot be before the start."))
    phase.start_date, phase.deadline = start_date, deadline
    common_services.save(phase, by, ["start_date", "deadline"])
    return phase
