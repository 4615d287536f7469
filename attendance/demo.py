"""The demo township carried into September (seed_demo): contracts, two weeks of
attendance, leave requests."""

from attendance.models import Contract, CopyKind
from attendance.services import contracts as contract_services


def seed_contracts(cycle, office_user) -> dict[str, int]:
    """Phase 8 in the demo township: every hire's contract drawn up from the default
    template; at each school about two thirds signed in all three copies, and of those
    about three quarters filed in all three (recorded by ``office_user``), so the office's
    overview shows signed, filed and past-the-deadline contracts side by side. Needs
    phase 7 closed. Returns how many contracts it drew up and copies it
    recorded signed and filed."""
    drawn = contract_services.contracts_draw_up(by=office_user, cycle=cycle)
    contracts = list(Contract.objects.filter(cycle=cycle).order_by("school_id", "pk"))
    signed = [c for i, c in enumerate(contracts) if i % 3 != 2]
    filed = [c for i, c in enumerate(signed) if i % 4 != 3]
    done = {}
    for action, chosen in ((contract_services.SIGN, signed), (contract_services.FILE, filed)):
        done[action] = contract_services.copies_mark(
            by=office_user, contracts=chosen, kinds=CopyKind.values, action=action,
            office=True).done if chosen else 0
    # Copies recorded now (a second run records none).
    return {"drawn_up": drawn, "signed": done[contract_services.SIGN],
            "filed": done[contract_services.FILE]}
