"""attendance's status flows (leave, contract copies, publications' attendance side): each
flow's transitions in one place; a page asks the same function whether an action is
allowed, to show a disabled button with its reason."""

from django.utils.translation import gettext as _

from attendance.models import ContractCopy, CopyKind
from recruitment.models import PhaseState

# ---- contracts (phase 8) ------------------------------------------------------------------
# Drawn up once phase 7 has closed (the outcome took effect) and until phase 8 closes;
# editable until the first copy is signed; a copy is signed, then filed. Each function
# returns None when allowed, else the reason a page shows beside the disabled button.


def contracts_draw_refusal(unhired_state: str, contracts_state: str) -> str | None:
    if unhired_state != PhaseState.CLOSED:
        return _("Contracts are drawn up once phase 7 (the training and assignment of the "
                 "unhired) has closed and the outcome has taken effect.")
    if contracts_state == PhaseState.CLOSED:
        return _("Phase 8 (contracts) is closed.")
    return None


def contract_edit_refusal(any_signed: bool) -> str | None:
    if any_signed:
        return _("A copy has been signed: the contract is frozen as signed.")
    return None


def copy_sign_refusal(copy: ContractCopy) -> str | None:
    if copy.signed_at is not None:
        return _("This copy is already signed.")
    return None


def copy_file_refusal(copy: ContractCopy, *, office: bool) -> str | None:
    """The office's copy is filed with the office, so only the office records it."""
    if copy.signed_at is None:
        return _("A copy is filed after it is signed.")
    if copy.filed_at is not None:
        return _("This copy is already filed.")
    if copy.kind == CopyKind.OFFICE and not office:
        return _("The office records the filing of its own copy.")
    return None
