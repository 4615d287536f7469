"""What every service shares: a refusal raised, a save or delete with its history user,
the cycle locked, a phase required open.
"""

from __future__ import annotations

from recruitment import workflow
from recruitment.models import (
    Cycle,
    Phase,
)
from recruitment.selectors import common as common_selectors
from staffing import changes

# The project's shared ones (staffing/changes.py), under the names recruitment uses.
refuse = changes.refuse
set_history_user = changes.set_history_user
save = changes.save


def locked_cycle(cycle: Cycle) -> Cycle:
    """Lock the cycle row: phase transitions and votes of one cycle run one at a time."""
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


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
