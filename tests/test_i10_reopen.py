"""Issue 10, item 7 (phases): the office reopens a phase closed by mistake while the next
one has not started, with its reason kept in the phase history; refused otherwise, and the
cycle page says why."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recruitment.models import Phase, PhaseState
from recruitment.phases import DRAFT, REVIEW, VOTE
from recruitment.services import cycle as cycle_services

from .helpers import messages_of, open_phase, phase, run, section, url

pytestmark = pytest.mark.usefixtures("english_pages", "english")


@pytest.fixture
def closed_draft(drafted, office_user):
    """Phase 1 closed (by mistake, say), phase 2 not started."""
    run(drafted, office_user, DRAFT)
    return drafted


def test_the_office_reopens_a_phase_closed_by_mistake(closed_draft, office_user):
    cycle_services.phase_reopen(by=office_user, phase=phase(closed_draft, DRAFT),
                                reason="误关，方案未定稿")

    assert phase(closed_draft, DRAFT).state == PhaseState.OPEN
    record = Phase.history.filter(id=phase(closed_draft, DRAFT).pk).latest("history_date")
    assert (record.state, record.history_user, record.history_change_reason) == (
        PhaseState.OPEN, office_user, "误关，方案未定稿")


def test_not_once_the_next_phase_has_started(closed_draft, office_user):
    open_phase(closed_draft, office_user, REVIEW)

    with pytest.raises(ValidationError, match=r"phase 2 \(Collective review\) has started"):
        cycle_services.phase_reopen(by=office_user, phase=phase(closed_draft, DRAFT),
                                    reason="误关")
    assert phase(closed_draft, DRAFT).state == PhaseState.CLOSED


def test_not_without_a_reason_nor_by_others_nor_an_open_phase(closed_draft, office_user,
                                                               principal_user):
    with pytest.raises(ValidationError, match="Give the reason"):
        cycle_services.phase_reopen(by=office_user, phase=phase(closed_draft, DRAFT),
                                    reason=" ")
    with pytest.raises(PermissionDenied):
        cycle_services.phase_reopen(by=principal_user, phase=phase(closed_draft, DRAFT),
                                    reason="误关")
    with pytest.raises(ValidationError, match="is not closed"):
        cycle_services.phase_reopen(by=office_user, phase=phase(closed_draft, REVIEW),
                                    reason="误关")
    assert phase(closed_draft, DRAFT).state == PhaseState.CLOSED


def test_the_counted_vote_is_not_reopened(voting, office_user):
    vote_phase = phase(voting, VOTE)
    vote_phase.state = PhaseState.CLOSED  # as closing the vote leaves it
    vote_phase.save()

    with pytest.raises(ValidationError, match="congress vote has been counted"):
        cycle_services.phase_reopen(by=office_user, phase=vote_phase, reason="误关")


def test_the_cycle_page_reopens_with_a_reason_and_shows_it(login, closed_draft, office_user):
    client = login(office_user)

    page = client.get(url("dashboard", closed_draft))
    response = client.post(url("phase_reopen", closed_draft, DRAFT), {"reason": "误关"},
                           follow=True)

    row = section(page, "phase-1").split("</tr>")[0]
    assert url("phase_reopen", closed_draft, DRAFT) in row
    assert "Why the phase is reopened" in row
    assert messages_of(response) == [
        "Phase 1 (Draft the plan) is open again; the reason is kept in the phase history."]
    assert "Reason: 误关" in section(response, "phase-history")


def test_the_button_is_disabled_with_its_reason_once_the_next_has_started(
        login, closed_draft, office_user):
    open_phase(closed_draft, office_user, REVIEW)

    page = login(office_user).get(url("dashboard", closed_draft))

    row = section(page, "phase-1").split("</tr>")[0]
    assert 'disabled aria-describedby="reopen-reason-1"' in row
    assert "phase 2 (Collective review) has started" in row
    assert url("phase_reopen", closed_draft, DRAFT) not in row
