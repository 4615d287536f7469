"""The demo township carried into September (seed_demo): contracts, two weeks of
attendance, leave requests."""

from attendance.models import Contract, CopyKind
from attendance.services import contracts as contract_services


def seed_contracts(cycle, office_user) -> dict[str, int]:
    """Phase 8 in the demo township: every hire's contract drawn up from the default
    template; at each school about two thirds signed in all three copies, and of those
    about three quarters filed in all three (recorded by ``office_user``), so the office's
    overview shows signed, filed and past-the-deadline contracts side by side. Needs
    phase 7 closed. Returns the counts."""
    drawn = contract_services.contracts_draw_up(by=office_user, cycle=cycle)
    contracts = list(Contract.objects.filter(cycle=cycle).order_by("school_id", "pk"))
    signed = [c for i, c in enumerate(contracts) if i % 3 != 2]
    filed = [c for i, c in enumerate(signed) if i % 4 != 3]
    if signed:
        contract_services.copies_mark(by=office_user, contracts=signed, kinds=CopyKind.values,
                                      action=contract_services.SIGN, office=True)
    if filed:
        contract_services.copies_mark(by=office_user, contracts=filed, kinds=CopyKind.values,
                                      action=contract_services.FILE, office=True)
    return {"drawn_up": drawn, "signed": len(signed), "filed": len(filed)}
