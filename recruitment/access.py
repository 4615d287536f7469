"""Who may see what of a cycle. Every recruitment page asks here (built on schools.access).

- The township's office (and the county above it) sees and runs everything.
- Liaisons and principals of the township's schools see the cycle and every draft.
- Every staff member of the township reads the current draft once staff opinions
  open (phase 3), and the adopted plan afterwards; before that only the office and
  school leaders see drafts.
"""

from django.http import Http404

from schools import access
from schools.models import Staff

from .models import Cycle, PhaseState
from .phases import OPINIONS
from .selectors import cycles_visible


def cycle_get(user, pk: int) -> Cycle:
    """A cycle this login may see, or 404."""
    cycle = cycles_visible(user).select_related("township", "adopted_revision").filter(
        pk=pk).first()
    if cycle is None:
        raise Http404
    return cycle


def is_cycle_office(user, cycle: Cycle) -> bool:
    return access.townships_managed(user).filter(pk=cycle.township_id).exists()


def is_school_leader(user, cycle: Cycle) -> bool:
    """A liaison or principal of one of the cycle's township's schools."""
    scope = access.scope_of(user)
    ids = scope.liaison_school_ids | scope.principal_school_ids
    return bool(ids) and cycle.township.schools.filter(pk__in=ids).exists()


def own_staff(user, cycle: Cycle) -> Staff | None:
    """The login's staff record, when it is on this township's staff."""
    staff_id = access.scope_of(user).staff_id
    if staff_id is None:
        return None
    return Staff.objects.select_related("school").filter(
        pk=staff_id, school__township_id=cycle.township_id).first()


def may_read_drafts(user, cycle: Cycle) -> bool:
    if is_cycle_office(user, cycle) or is_school_leader(user, cycle):
        return True
    if own_staff(user, cycle) is None:
        return False
    state = cycle.phases.filter(number=OPINIONS).values_list("state", flat=True).first()
    return state != PhaseState.NOT_STARTED or cycle.adopted_revision_id is not None
