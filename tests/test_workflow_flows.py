"""The status flows of recruitment.workflow (issue 9): proposals, cadre proposals, review
comments and staff opinions change status only through one transition table each, as the
phases do, and the services that answer them ask that table."""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from recruitment import workflow
from recruitment.models import CadreProposal, Proposal, ReviewComment, StaffOpinion
from recruitment.services import allocation as allocation_services
from recruitment.services import consultation as consultation_services
from recruitment.services import plan as plan_services
from recruitment.services import selection as selection_services
from recruitment.workflow import (
    CADRE_PROPOSAL_FLOW,
    PROPOSAL_FLOW,
    REVIEW_COMMENT_FLOW,
    STAFF_OPINION_FLOW,
    StatusFlow,
    status_move,
)

from .factories import CadreProposalFactory, ProposalFactory, adopted_cycle
from .helpers import person, published, teaching, to_selection

pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).resolve().parent.parent

P, CA = Proposal.Status, CadreProposal.Status
RC, SO = ReviewComment.Status, StaffOpinion.Status

ANSWERED = "This proposal was already answered."
DECIDED = "This proposal was already decided."


# --- the tables ------------------------------------------------------------------------


@pytest.mark.parametrize(("flow", "current", "target"), [
    (PROPOSAL_FLOW, P.PROPOSED, P.CONFIRMED),
    (PROPOSAL_FLOW, P.PROPOSED, P.DECLINED),
    (CADRE_PROPOSAL_FLOW, CA.PROPOSED, CA.APPROVED),
    (CADRE_PROPOSAL_FLOW, CA.PROPOSED, CA.REJECTED),
    *[(REVIEW_COMMENT_FLOW, current, target)
      for current in RC for target in (RC.ADOPTED, RC.NOT_ADOPTED)],
    *[(STAFF_OPINION_FLOW, current, target)
      for current in SO for target in (SO.ADOPTED, SO.DECLINED)],
])
def test_an_allowed_move_has_no_refusal(flow, current, target):
    assert flow.refusal(current, target) is None
    assert flow.is_open(current)


@pytest.mark.parametrize(("flow", "current", "target", "refusal"), [
    # answered once: whatever the second answer
    (PROPOSAL_FLOW, P.CONFIRMED, P.DECLINED, ANSWERED),
    (PROPOSAL_FLOW, P.DECLINED, P.CONFIRMED, ANSWERED),
    (PROPOSAL_FLOW, P.CONFIRMED, P.CONFIRMED, ANSWERED),
    (PROPOSAL_FLOW, P.DECLINED, P.PROPOSED, ANSWERED),
    (CADRE_PROPOSAL_FLOW, CA.APPROVED, CA.REJECTED, DECIDED),
    (CADRE_PROPOSAL_FLOW, CA.REJECTED, CA.APPROVED, DECIDED),
    (CADRE_PROPOSAL_FLOW, CA.REJECTED, CA.PROPOSED, DECIDED),
    # nothing goes back to waiting
    (PROPOSAL_FLOW, P.PROPOSED, P.PROPOSED,
     "“awaiting the school” cannot move to “awaiting the school”."),
    (CADRE_PROPOSAL_FLOW, CA.PROPOSED, CA.PROPOSED,
     "“awaiting the office” cannot move to “awaiting the office”."),
    (REVIEW_COMMENT_FLOW, RC.ADOPTED, RC.PENDING,
     "“adopted” cannot move to “awaiting an answer”."),
    (REVIEW_COMMENT_FLOW, RC.NOT_ADOPTED, RC.PENDING,
     "“not adopted” cannot move to “awaiting an answer”."),
    (STAFF_OPINION_FLOW, SO.DECLINED, SO.PENDING,
     "“declined” cannot move to “not yet decided”."),
    (STAFF_OPINION_FLOW, SO.PENDING, SO.PENDING,
     "“not yet decided” cannot move to “not yet decided”."),
])
def test_a_refused_move_says_why(flow, current, target, refusal):
    assert flow.refusal(current, target) == refusal


def test_an_answered_proposal_is_no_longer_open_and_a_comment_or_opinion_always_is():
    assert not PROPOSAL_FLOW.is_open(P.CONFIRMED) and not PROPOSAL_FLOW.is_open(P.DECLINED)
    assert not CADRE_PROPOSAL_FLOW.is_open(CA.APPROVED)
    assert not CADRE_PROPOSAL_FLOW.is_open(CA.REJECTED)
    assert all(REVIEW_COMMENT_FLOW.is_open(state) for state in RC)
    assert all(STAFF_OPINION_FLOW.is_open(state) for state in SO)


def test_the_refusals_are_translated():
    with translation.override("zh-hans"):
        assert PROPOSAL_FLOW.refusal(P.DECLINED, P.CONFIRMED) == "该调配建议已答复。"
        assert CADRE_PROPOSAL_FLOW.refusal(CA.APPROVED, CA.REJECTED) == "该提名已处理。"
        refusal = REVIEW_COMMENT_FLOW.refusal(RC.ADOPTED, RC.PENDING)
    assert refusal == f"“{_zh(RC.ADOPTED.label)}”不能改为“{_zh(RC.PENDING.label)}”。"


def _zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def test_status_move_sets_the_status_only_when_allowed():
    proposal = SimpleNamespace(status=P.PROPOSED)

    status_move(proposal, PROPOSAL_FLOW, P.DECLINED)
    with pytest.raises(ValidationError) as refused:
        status_move(proposal, PROPOSAL_FLOW, P.CONFIRMED)

    assert proposal.status == P.DECLINED
    assert refused.value.messages == [ANSWERED]


def test_a_flow_names_only_its_own_states_and_says_why_a_state_is_final():
    with pytest.raises(ValueError, match="not states of"):
        StatusFlow(P, {P.PROPOSED: frozenset({"hired"})}, "x")
    with pytest.raises(ValueError, match="final"):
        StatusFlow(P, {P.PROPOSED: frozenset({P.CONFIRMED})})


# --- the services ask the tables ----------------------------------------------------------


def test_a_comment_may_be_answered_again(reviewing, principal_user, office_user):
    comment = plan_services.review_comment_add(
        by=principal_user, revision=reviewing.revisions.get(), section=2, body="岗位数偏少"
    )

    plan_services.review_comment_answer(
        by=office_user, comment=comment, adopted=True, reason="可以"
    )
    plan_services.review_comment_answer(by=office_user, comment=comment, adopted=False,
                                   reason="编制不足")

    comment.refresh_from_db()
    assert (comment.status, comment.reason) == (RC.NOT_ADOPTED, "编制不足")
    assert [h.status for h in comment.history.order_by("history_date")] == [
        RC.PENDING, RC.ADOPTED, RC.NOT_ADOPTED]


def test_an_opinion_may_be_decided_again(consulting, teacher_user, principal_user, office_user,
                                         school):
    opinion = consultation_services.opinion_submit(
        by=teacher_user, cycle=consulting, body="请增加英语岗"
    )
    consultation_services.opinions_report(by=principal_user, cycle=consulting, school=school)

    consultation_services.opinion_decide(
        by=office_user, opinion=opinion, adopted=False, reason="编制不足"
    )
    consultation_services.opinion_decide(
        by=office_user, opinion=opinion, adopted=True, reason="已调整"
    )

    opinion.refresh_from_db()
    assert (opinion.status, opinion.reason) == (SO.ADOPTED, "已调整")


def test_a_proposal_answered_twice_is_refused(office_user, township, principal_user, school,
                                              other_school):
    selecting = adopted_cycle(office=office_user, township=township)
    post = published(selecting, office_user, principal_user, school, teaching(1))[0]
    to_selection(selecting, office_user)
    mover = person(other_school, "青年丙")
    proposal = ProposalFactory(post=post, staff=mover, proposed_by=office_user)
    allocation_services.proposal_decide(
        by=principal_user, proposal=proposal, confirm=False, reason="已满"
    )

    with pytest.raises(ValidationError) as refused:
        allocation_services.proposal_decide(by=principal_user, proposal=proposal, confirm=True)

    assert refused.value.messages == [ANSWERED]
    proposal.refresh_from_db()
    assert proposal.status == P.DECLINED
    assert not mover.hires.exists()


def test_a_cadre_proposal_decided_twice_is_refused(cycle, office_user, school, teacher):
    proposal = CadreProposalFactory(cycle=cycle, school=school, staff=teacher)
    selection_services.cadre_decide(by=office_user, proposal=proposal, approve=False)

    with pytest.raises(ValidationError) as refused:
        selection_services.cadre_decide(by=office_user, proposal=proposal, approve=True)

    assert refused.value.messages == [DECIDED]
    proposal.refresh_from_db()
    assert proposal.status == CA.REJECTED
    assert not teacher.positions.exists()


def test_the_comment_service_answers_by_the_table(monkeypatch, reviewing, principal_user,
                                                  office_user):
    """Were a comment answered once only, the table alone would say so."""
    monkeypatch.setattr(workflow, "REVIEW_COMMENT_FLOW", StatusFlow(
        RC, {RC.PENDING: frozenset({RC.ADOPTED, RC.NOT_ADOPTED})}, "Answered once."))
    comment = plan_services.review_comment_add(
        by=principal_user, revision=reviewing.revisions.get(), section=2, body="岗位数偏少"
    )
    plan_services.review_comment_answer(
        by=office_user, comment=comment, adopted=True, reason="可以"
    )
    with pytest.raises(ValidationError, match="Answered once."):
        plan_services.review_comment_answer(by=office_user, comment=comment, adopted=False,
                                       reason="不行")
    comment.refresh_from_db()
    assert comment.status == RC.ADOPTED


def test_the_opinion_service_answers_by_the_table(monkeypatch, consulting, teacher_user,
                                                  principal_user, office_user, school):
    monkeypatch.setattr(workflow, "STAFF_OPINION_FLOW", StatusFlow(
        SO, {SO.PENDING: frozenset({SO.ADOPTED, SO.DECLINED})}, "Decided once."))
    opinion = consultation_services.opinion_submit(
        by=teacher_user, cycle=consulting, body="请增加英语岗"
    )
    consultation_services.opinions_report(by=principal_user, cycle=consulting, school=school)
    consultation_services.opinion_decide(
        by=office_user, opinion=opinion, adopted=False, reason="编制不足"
    )

    with pytest.raises(ValidationError, match="Decided once."):
        consultation_services.opinion_decide(
            by=office_user, opinion=opinion, adopted=True, reason="已调整"
        )
    opinion.refresh_from_db()
    assert opinion.status == SO.DECLINED


def _status_writes(path: Path) -> list[int]:
    """Lines of ``path`` that assign a ``status`` attribute or update a queryset's."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            names = target.elts if isinstance(target, ast.Tuple) else [target]
            lines += [node.lineno for name in names
                      if isinstance(name, ast.Attribute) and name.attr == "status"]
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "setattr" and any(
                    isinstance(a, ast.Constant) and a.value == "status" for a in node.args):
                lines.append(node.lineno)
            if isinstance(func, ast.Attribute) and func.attr == "update" and any(
                    k.arg == "status" for k in node.keywords):
                lines.append(node.lineno)
    return lines


def test_nothing_but_status_move_writes_a_status():
    writes = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "recruitment").rglob("*.py"))
        if "migrations" not in path.parts and path.name != "workflow.py"
        and (found := _status_writes(path))
    }
    assert writes == {}
