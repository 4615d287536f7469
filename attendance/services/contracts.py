"""Writing phase 8 (签订聘约、明确责权): the township's template, drawing up the contracts
in bulk from the hires, a school's edits before signing, and each copy's signing and
filing (who, when), in bulk. Every change is in the history with who made it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from attendance import rules, workflow
from attendance.models import Contract, ContractCopy, ContractTemplate, CopyKind
from attendance.selectors import contracts as contract_selectors
from recruitment.models import Cycle
from recruitment.selectors import outcome as outcome_selectors
from schools.models import School, Township

SIGN, FILE = "sign", "file"


def _check_clauses(title: str, clauses: str) -> None:
    if not title.strip() or not clauses.strip():
        raise ValidationError(_("A contract needs a title and its clauses."))
    unknown = rules.unknown_placeholders(clauses)
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s. The placeholders are: %(known)s.") % {
                "names": "、".join(f"{{{name}}}" for name in unknown),
                "known": "、".join(f"{{{name}}}" for name in rules.PLACEHOLDERS)})


@transaction.atomic
def template_save(*, by, township: Township, title: str, clauses: str) -> ContractTemplate:
    """The office edits its township's template (phase 8); contracts drawn up before keep
    their text, those drawn up after use the new one."""
    _check_clauses(title, clauses)
    template = (ContractTemplate.objects.select_for_update().filter(township=township).first()
                or ContractTemplate(township=township))
    template.title, template.clauses, template.updated_by = title.strip(), clauses, by
    template._history_user = by
    template.save()
    return template


@transaction.atomic
def contracts_draw_up(*, by, cycle: Cycle, schools: Sequence[School] | None = None) -> int:
    """One contract per confirmed hire of ``cycle`` (of ``schools``' posts, or all) that has
    none yet, filled from the township's template, the hire and its post, with its three
    copies unsigned. Idempotent; a handful of queries however many hires. Phase 8:
    after phase 7 closed (the outcome took effect)."""
    cycle = Cycle.objects.select_for_update().select_related("township").get(pk=cycle.pk)
    refusal = contract_selectors.draw_refusal(cycle)
    if refusal:
        raise ValidationError(refusal)
    school_ids = None if schools is None else [school.pk for school in schools]
    hires = list(outcome_selectors.contract_hires(cycle, school_ids=school_ids)
                 .filter(contract__isnull=True))
    if not hires:
        return 0
    template = contract_selectors.template_of(cycle.township)
    term = contract_selectors.term_of(cycle)
    now = timezone.now()
    contracts = [Contract(
        hire=hire, cycle=cycle, school_id=hire.post.school_id, staff=hire.staff,
        title=template.title,
        clauses=rules.fill_clauses(template.clauses,
                                   contract_selectors.contract_values(hire, term.start,
                                                                      term.end)),
        term_start=term.start, term_end=term.end, filing_deadline=term.deadline,
        drawn_up_by=by, drawn_up_at=now) for hire in hires]
    bulk_create_with_history(contracts, Contract, batch_size=500, default_user=by,
                             default_date=now)
    made = {c.hire_id: c.pk for c in Contract.objects.filter(
        hire_id__in=[hire.pk for hire in hires]).only("pk", "hire_id")}
    copies = [ContractCopy(contract_id=made[hire.pk], kind=kind)
              for hire in hires for kind in CopyKind.values]
    bulk_create_with_history(copies, ContractCopy, batch_size=1000, default_user=by,
                             default_date=now)
    return len(contracts)


@transaction.atomic
def contract_edit(*, by, contract: Contract, title: str, clauses: str) -> Contract:
    """The school (or the office) edits a contract's clauses before its first copy is
    signed; after that it stays as signed."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    refusal = workflow.contract_edit_refusal(
        ContractCopy.objects.filter(contract=contract, signed_at__isnull=False).exists())
    if refusal:
        raise ValidationError(refusal)
    _check_clauses(title, clauses)
    contract.title, contract.clauses = title.strip(), clauses
    contract.edited_by, contract.edited_at = by, timezone.now()
    contract._history_user = by
    contract.save()
    return contract


@dataclass(frozen=True)
class Marked:
    done: int  # copies recorded now
    skipped: int  # copies already recorded, or not allowed (their reasons in ``reasons``)
    reasons: tuple[str, ...] = ()


@transaction.atomic
def copies_mark(*, by, contracts: Sequence[Contract], kinds: Sequence[str], action: str,
                office: bool) -> Marked:
    """Record that the chosen copies (``kinds``) of ``contracts`` were signed (``SIGN``) or
    filed (``FILE``), by ``by`` now. A copy already recorded, or one this login may not
    record (the office files its own copy), is skipped with its reason; a filing needs a
    signing first. Two queries and the history's, however many."""
    if action not in (SIGN, FILE):
        raise ValidationError(_("Choose signed or filed."))
    kinds = [kind for kind in CopyKind.values if kind in set(kinds)]
    if not kinds or not contracts:
        raise ValidationError(_("Tick at least one contract and one copy."))
    copies = list(ContractCopy.objects.select_for_update().filter(
        contract_id__in=[c.pk for c in contracts], kind__in=kinds))
    now, changed, reasons = timezone.now(), [], []
    for copy in copies:
        if action == SIGN:
            refusal = workflow.copy_sign_refusal(copy)
        else:
            refusal = workflow.copy_file_refusal(copy, office=office)
        if refusal:
            if refusal not in reasons:
                reasons.append(refusal)
            continue
        if action == SIGN:
            copy.signed_by, copy.signed_at = by, now
        else:
            copy.filed_by, copy.filed_at = by, now
        changed.append(copy)
    fields = ["signed_by", "signed_at"] if action == SIGN else ["filed_by", "filed_at"]
    if changed:
        bulk_update_with_history(changed, ContractCopy, fields, batch_size=1000,
                                 default_user=by, default_date=now)
    return Marked(len(changed), len(copies) - len(changed), tuple(reasons))
