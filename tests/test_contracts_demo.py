"""seed_contracts: the demo's phase 8, for seed_demo to call once phase 7 has closed."""

from attendance.demo import seed_contracts
from attendance.models import Contract, ContractCopy
from attendance.selectors import contracts as contract_selectors

from . import contracts_world
from .contracts_world import many_hires

cycle = contracts_world.cycle


def test_seed_contracts_draws_up_all_and_signs_and_files_part(cycle, school, other_school,
                                                              office_user):
    many_hires(cycle, school, 12)
    many_hires(cycle, other_school, 6, start=5000)

    counts = seed_contracts(cycle, office_user)

    again = seed_contracts(cycle, office_user)

    assert counts == {"drawn_up": 18, "signed": 36, "filed": 27}
    assert again == {"drawn_up": 0, "signed": 0, "filed": 0}
    assert Contract.objects.count() == 18
    assert ContractCopy.objects.filter(signed_by=office_user).count() == 36
    assert ContractCopy.objects.filter(filed_by=office_user).count() == 27
    late = contract_selectors.overview(cycle, cycle.phases.get(number=8).start_date.replace(
        month=10))
    assert late.total.signed == 12 and late.total.filed == 9 and late.total.overdue == 9
