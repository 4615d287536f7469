"""Which phase transitions, phase actions and status moves are allowed, and if not, why.

The one place that knows the rules of the cycle's order, and the status flows of what is
answered in it: proposals, cadre proposals, review comments and staff opinions. Services
call these before they change anything; pages call the same functions to show a disabled
button with its reason. Each function returns ``None`` when allowed, else the reason to
show. A status changes only through ``status_move``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import CadreProposal, Cycle, Phase, PhaseState, Proposal, ReviewComment, StaffOpinion
from .phases import DRAFT, INTENTIONS, OPINIONS, PHASES, REVIEW, SELECTION, UNHIRED, VOTE


def _label(number: int) -> str:
    return _("phase %(n)d (%(name)s)") % {"n": number, "name": PHASES[number].label}


def phase_open_refusal(phase: Phase, phases: dict[int, Phase], cycle: Cycle, *,
                       revisions: int, representatives: int) -> str | None:
    """May the office open ``phase`` now? ``phases`` are the cycle's, by number."""
    if phase.state == PhaseState.OPEN:
        return _("%(phase)s is already open.") % {"phase": _label(phase.number)}
    if phase.state == PhaseState.CLOSED:
        return _("%(phase)s is closed.") % {"phase": _label(phase.number)}
    after = PHASES[phase.number].after
    if after and phases[after].state != PhaseState.CLOSED:
        return _("%(before)s must be closed first.") % {"before": _label(after)}
    if phase.number in (REVIEW, OPINIONS, VOTE) and not revisions:
        return _("The plan has no draft yet.")
    if phase.number == VOTE and not representatives:
        return _("Name the congress representatives first.")
    if phase.number == INTENTIONS:
        return not_adopted_refusal(cycle)
    return None


def phase_close_refusal(phase: Phase, *, revisions: int, pending_comments: int,
                        undecided_opinions: int, pending_proposals: int = 0,
                        unhired: int = 0) -> str | None:
    """May the office close ``phase`` now?

    ``pending_proposals``: the office's proposals still awaiting a school's answer (the
    selection closes once every school has answered, R6). ``unhired``: staff with
    neither a post nor an explained status (R7: phase 7 closes when there are none).
    """
    if phase.state != PhaseState.OPEN:
        return _("%(phase)s is not open.") % {"phase": _label(phase.number)}
    if phase.number == DRAFT and not revisions:
        return _("Save a first draft of the plan before closing this phase.")
    if phase.number == REVIEW and pending_comments:
        return ngettext("%(n)d review comment is still waiting for an answer.",
                        "%(n)d review comments are still waiting for an answer.",
                        pending_comments) % {"n": pending_comments}
    if phase.number == OPINIONS and undecided_opinions:
        return ngettext("%(n)d reported opinion is still waiting for a decision.",
                        "%(n)d reported opinions are still waiting for a decision.",
                        undecided_opinions) % {"n": undecided_opinions}
    if phase.number == VOTE:
        return _("This phase closes when the office closes the congress vote.")
    if phase.number == SELECTION and pending_proposals:
        return ngettext("%(n)d proposal of the office is still waiting for a school's answer.",
                        "%(n)d proposals of the office are still waiting for a school's answer.",
                        pending_proposals) % {"n": pending_proposals}
    if phase.number == UNHIRED and unhired:
        return ngettext("%(n)d staff member is still without a post or an explained status "
                        "(R7).",
                        "%(n)d staff members are still without a post or an explained status "
                        "(R7).",
                        unhired) % {"n": unhired}
    return None


def phase_reopen_refusal(phase: Phase, phases: dict[int, Phase], *,
                         outcome_applied: bool = False) -> str | None:
    """May the office reopen ``phase``, closed by mistake? While no phase that follows it
    has started; never the congress vote, whose result stands once counted, nor phase 7
    once its close put the outcome into effect (``outcome_applied``: everyone holds their
    new assignment, R7; applying it twice is refused)."""
    if phase.state != PhaseState.CLOSED:
        return _("%(phase)s is not closed.") % {"phase": _label(phase.number)}
    if phase.number == VOTE:
        return _("The congress vote has been counted: its phase is not reopened.")
    if phase.number == UNHIRED and outcome_applied:
        return _("The outcome has taken effect: every staff member holds their new "
                 "assignment, so phase 7 is not reopened.")
    started = [n for n, info in PHASES.items()
               if info.after == phase.number and phases[n].state != PhaseState.NOT_STARTED]
    if started:
        return _("%(next)s has started: %(phase)s is no longer reopened.") % {
            "next": _label(started[0]), "phase": _label(phase.number)}


def not_adopted_refusal(cycle: Cycle) -> str | None:
    """Step 2 (posts, intentions, selection, allocation, the unhired) works from the plan
    the congress adopted in phase 4."""
    if cycle.adopted_revision_id is None:
        return _("The plan has not been adopted by the congress.")
    return None


def acting_refusal(phase: Phase) -> str | None:
    """May anyone act in ``phase`` (comment, send an opinion, vote …) now?"""
    if phase.state == PhaseState.OPEN:
        return None
    if phase.state == PhaseState.NOT_STARTED:
        return _("%(phase)s has not opened yet.") % {"phase": _label(phase.number)}
    return _("%(phase)s is closed.") % {"phase": _label(phase.number)}


def today() -> date:
    """The day deadlines are read against: the date in settings.TIME_ZONE (the
    township's), not the server's."""
    return timezone.localdate()


def submission_refusal(phase: Phase) -> str | None:
    """May participants hand something in to ``phase`` now — a principal's review
    comment, a staff opinion, a school's opinion report, a ballot, an intention?

    While the phase is open and until its deadline, the deadline day included. After
    it they are refused; the office extends the deadline (the phase's dates) to let
    them in again. The office's and the committees' own work in the phase (answers,
    decisions, posts, selection, closing the vote or the phase) asks ``acting_refusal``
    and goes on until the office closes the phase.
    """
    refusal = acting_refusal(phase)
    if refusal is None and today() > phase.deadline:
        return _("The deadline of %(phase)s was %(deadline)s; the office can extend it.") % {
            "phase": _label(phase.number), "deadline": phase.deadline.isoformat()}
    return refusal


def revise_refusal(phases: dict[int, Phase], cycle: Cycle) -> str | None:
    """The office drafts in phase 1 and revises in phases 2 and 3; never after adoption."""
    if cycle.adopted_revision_id is not None:
        return _("The plan has been adopted and is frozen.")
    if any(phases[n].state == PhaseState.OPEN for n in (DRAFT, REVIEW, OPINIONS)):
        return None
    return _("The plan can be written only while phase 1, 2 or 3 is open.")


def adopted(*, representatives: int, ballots: int, votes_for: int, cycle: Cycle) -> bool:
    """The congress's rule: turnout of at least turnout_num/turnout_den of all
    representatives, and votes for more than majority_num/majority_den of all."""
    if representatives == 0:
        return False
    turnout_ok = ballots * cycle.turnout_den >= cycle.turnout_num * representatives
    majority_ok = votes_for * cycle.majority_den > cycle.majority_num * representatives
    return turnout_ok and majority_ok


# --- status flows ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatusFlow:
    """The moves a status may make: ``moves`` maps a state to the states it may move to.

    A state absent from ``moves`` is final: nothing more happens to the object, and
    ``final_refusal`` says so. A flow whose every state has moves needs no such text.
    """

    states: type[TextChoices]
    moves: Mapping[str, frozenset[str]]
    final_refusal: str | Promise = ""

    def __post_init__(self):
        known = set(self.states.values)
        named = set(self.moves).union(*self.moves.values())
        if not named <= known:
            raise ValueError(f"not states of {self.states.__name__}: {sorted(named - known)}")
        if set(self.moves) != known and not self.final_refusal:
            raise ValueError(f"{self.states.__name__} has a final state: say why it is final")

    def refusal(self, current: str, target: str) -> str | None:
        """May an object in ``current`` move to ``target``? ``None``, else why not."""
        allowed = self.moves.get(current)
        if not allowed:
            return str(self.final_refusal)
        if target not in allowed:
            return _("“%(current)s” cannot move to “%(target)s”.") % {
                "current": self.states(current).label, "target": self.states(target).label}
        return None

    def is_open(self, current: str) -> bool:
        """May an object in ``current`` still be answered (a page's button)?"""
        return bool(self.moves.get(current))


def _to(*states: str) -> frozenset[str]:
    return frozenset(states)


# The office's proposal (allocation, dispatch) is answered once by the school (R6).
PROPOSAL_FLOW = StatusFlow(
    Proposal.Status,
    {Proposal.Status.PROPOSED: _to(Proposal.Status.CONFIRMED, Proposal.Status.DECLINED)},
    gettext_lazy("This proposal was already answered."))

# A principal's cadre proposal is decided once by the office.
CADRE_PROPOSAL_FLOW = StatusFlow(
    CadreProposal.Status,
    {CadreProposal.Status.PROPOSED: _to(CadreProposal.Status.APPROVED,
                                        CadreProposal.Status.REJECTED)},
    gettext_lazy("This proposal was already decided."))

# The office's answer to a review comment may be revised while phase 2 is open: the review
# board shows each answer given.
REVIEW_COMMENT_FLOW = StatusFlow(
    ReviewComment.Status,
    {state: _to(ReviewComment.Status.ADOPTED, ReviewComment.Status.NOT_ADOPTED)
     for state in ReviewComment.Status})

# The office's decision on a reported opinion may be revised while phase 3 is open.
STAFF_OPINION_FLOW = StatusFlow(
    StaffOpinion.Status,
    {state: _to(StaffOpinion.Status.ADOPTED, StaffOpinion.Status.DECLINED)
     for state in StaffOpinion.Status})


def status_move(obj, flow: StatusFlow, target: str) -> None:
    """Move ``obj.status`` to ``target`` if ``flow`` allows it, else raise the refusal as a
    ``ValidationError`` and leave it unchanged. The calling service saves ``obj`` with its
    history, under the lock it took."""
    refusal = flow.refusal(obj.status, target)
    if refusal:
        raise ValidationError(refusal)
    obj.status = target
