"""The outcome takes effect (上岗): closing phase 7 turns each confirmed hire into the
person's current assignment through ``schools``' services, with history.
"""

from __future__ import annotations

from recruitment import access
from recruitment.models import Cycle
from recruitment.selectors import outcome as outcome_selectors
from schools import services as school_services


def outcome_apply(*, by, cycle: Cycle) -> school_services.AssignmentsApplied:
    """R7 (no one left without a post): each of the township's staff takes up the
    assignment the outcome gives them (``outcome_selectors.outcome_assignments``) from
    the term's start, and the roster's school becomes the new one; contracts,
    attendance and next year's cycle start from that state. Once per cycle: a second
    application is refused (``schools.services.assignments_apply``). Called by
    ``cycle.phase_close`` under the cycle's lock."""
    access.require_cycle_office(by, cycle)
    return school_services.assignments_apply(
        by=by, township=cycle.township, school_year=cycle.school_year,
        start_date=outcome_selectors.term_start(cycle),
        assignments=outcome_selectors.outcome_assignments(cycle))
