"""What every service shares: a refusal raised, a save or delete with its history user,
the cycle locked, a phase required open.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from recruitment import workflow
from recruitment.models import (
    Cycle,
    Phase,
)
from recruitment.selectors import common as common_selectors


def refuse(reason: str | None) -> None:
    if reason:
        raise ValidationError(reason)


def set_history_user(obj, by) -> None:
    # Outside a request (commands, demo data) simple-history has no user: name it.
    if by is not None:
        obj._history_user = by


def locked_cycle(cycle: Cycle) -> Cycle:
    """Lock the cycle row: phase transitions and votes of one cycle run one at a time."""
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


def save(obj, by, fields=None) -> None:
    set_history_user(obj, by)
    obj.save(update_fields=fields)


def require_open(cycle: Cycle, number: int) -> Phase:
    phase = common_selectors.phase_of(cycle, number)
    refuse(workflow.acting_refusal(phase))
    return phase


def require_submissions(cycle: Cycle, number: int) -> Phase:
    """Open, and its deadline not passed (``workflow.submission_refusal``)."""
    phase = common_selectors.phase_of(cycle, number)
    refuse(workflow.submission_refusal(phase))
    return phase


def require_phase(cycle: Cycle, number: int) -> None:
    refuse(workflow.acting_refusal(common_selectors.phase_of(cycle, number)))
