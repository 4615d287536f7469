"""Phase 8's services: drawing up the contracts from the township's template (idempotent,
after phase 7 closed), the school's edits before signing, each copy's signing and
filing (who, when), the office's figures, and bounded queries with hundreds of rows."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from attendance import rules
from attendance.models import AttendanceSettings, Contract, ContractCopy, CopyKind
from attendance.selectors import contracts as contract_selectors
from attendance.services import contracts as contract_services
from recruitment.models import PhaseState

from . import contracts_world
from .contracts_world import contracts_cycle, many_hires

cycle, hires = contracts_world.cycle, contracts_world.hires
pytestmark = pytest.mark.usefixtures("english")

TERM_START = date(2026, 9, 1)


def draw(cycle, by, **kwargs):
    return contract_services.contracts_draw_up(by=by, cycle=cycle, **kwargs)


def mark(by, contracts, action, kinds=CopyKind.values, office=True):
    return contract_services.copies_mark(by=by, contracts=contracts, kinds=kinds,
                                         action=action, office=office)


def test_no_contracts_before_phase_7_has_closed(office_user, township, school):
    early = contracts_cycle(office_user, township, phase7=PhaseState.OPEN,
                            phase8=PhaseState.NOT_STARTED)
    contracts_world.hire(early, school, "早到", number=1)

    with pytest.raises(ValidationError, match="phase 7"):
        draw(early, office_user)
    assert not Contract.objects.exists()


def test_no_contracts_drawn_up_once_phase_8_has_closed(office_user, township, school):
    late = contracts_cycle(office_user, township, phase8=PhaseState.CLOSED)
    contracts_world.hire(late, school, "晚到", number=1)

    with pytest.raises(ValidationError, match="closed"):
        draw(late, office_user)


def test_one_contract_per_hire_filled_from_the_template_hire_and_post(cycle, hires,
                                                                      office_user):
    assert draw(cycle, office_user) == 3

    contract = Contract.objects.get(hire=hires["teacher"])
    assert contract.staff.name == "教师乙" and contract.school.name == "夏庄完小"
    assert contract.title == rules.DEFAULT_TITLE
    assert "乙方（受聘方）：教师乙" in contract.clauses
    assert "甲方（聘方）：夏庄完小" in contract.clauses
    assert "1号教学岗 三年级 语文；2号辅助岗 实验室管理" in contract.clauses
    assert "担任三年级语文教学；兼实验室管理" in contract.clauses
    assert "2026年9月1日至2027年7月31日" in contract.clauses
    assert "{" not in contract.clauses
    assert (contract.term_start, contract.term_end) == (TERM_START, date(2027, 7, 31))
    assert contract.filing_deadline == TERM_START + timedelta(days=7)
    assert sorted(contract.copies.values_list("kind", flat=True)) == sorted(CopyKind.values)
    assert contract.history.get().history_user == office_user


def test_drawing_up_again_makes_nothing_new(cycle, hires, office_user):
    draw(cycle, office_user)

    assert draw(cycle, office_user) == 0
    assert Contract.objects.count() == 3
    assert ContractCopy.objects.count() == 9


def test_a_school_draws_up_only_its_own(cycle, hires, principal_user, school):
    assert draw(cycle, principal_user, schools=[school]) == 2

    assert set(Contract.objects.values_list("school__name", flat=True)) == {"夏庄完小"}


def test_the_filing_deadline_is_the_township_setting(cycle, hires, office_user, township):
    AttendanceSettings.objects.create(township=township, contract_filing_days=10)

    draw(cycle, office_user)

    assert Contract.objects.first().filing_deadline == TERM_START + timedelta(days=10)


def test_the_office_edits_the_template_and_later_contracts_use_it(cycle, hires,
                                                                 office_user, township,
                                                                 school, other_school):
    draw(cycle, office_user, schools=[school])
    template = contract_services.template_save(
        by=office_user, township=township, title="聘约书",
        clauses="{乡镇}{学校}聘{姓名}为{岗位}，聘期{聘期}。")

    draw(cycle, office_user, schools=[other_school])

    there = Contract.objects.get(hire=hires["there"])
    assert there.title == "聘约书"
    assert there.clauses == ("葛石镇东张完小聘东张教师为1号教学岗 三年级 语文，"
                             "聘期2026年9月1日至2027年7月31日。")
    assert Contract.objects.get(hire=hires["teacher"]).title == rules.DEFAULT_TITLE
    assert template.history.get().history_user == office_user


@pytest.mark.parametrize("clauses, words", [
    ("{姓名}与{校长}签约", "{校长}"),
    ("   ", "title and its clauses"),
])
def test_a_template_with_an_unknown_placeholder_or_empty_is_refused(office_user, township,
                                                                    clauses, words):
    with pytest.raises(ValidationError) as refused:
        contract_services.template_save(by=office_user, township=township, title="聘约",
                                        clauses=clauses)
    assert words in " ".join(refused.value.messages)


def test_a_stray_brace_is_text():
    assert rules.fill_clauses("{姓名}{ 不是 }{}", {"姓名": "甲"}) == "甲{ 不是 }{}"


def test_the_school_edits_before_signing_and_not_after(cycle, hires, office_user,
                                                       principal_user):
    draw(cycle, office_user)
    contract = hires["teacher"].contract

    contract_services.contract_edit(by=principal_user, contract=contract, title="聘约",
                                    clauses="另行约定：担任班主任。")
    contract.refresh_from_db()
    assert contract.clauses == "另行约定：担任班主任。"
    assert contract.edited_by == principal_user
    assert contract.history.latest().history_user == principal_user

    mark(principal_user, [contract], contract_services.SIGN, kinds=[CopyKind.TEACHER],
         office=False)
    with pytest.raises(ValidationError, match="frozen"):
        contract_services.contract_edit(by=principal_user, contract=contract, title="聘约",
                                        clauses="改了")
    contract.refresh_from_db()
    assert contract.clauses == "另行约定：担任班主任。"


def test_copies_are_signed_then_filed_with_who_and_when(cycle, hires, office_user,
                                                        principal_user):
    draw(cycle, office_user)
    contracts = list(Contract.objects.all())

    early = mark(principal_user, contracts, contract_services.FILE,
                 kinds=[CopyKind.SCHOOL], office=False)
    signed = mark(principal_user, contracts, contract_services.SIGN, office=False)
    again = mark(principal_user, contracts, contract_services.SIGN, office=False)
    filed = mark(principal_user, contracts, contract_services.FILE, office=False)
    office = mark(office_user, contracts, contract_services.FILE, kinds=[CopyKind.OFFICE])

    assert (early.done, early.skipped) == (0, 3)
    assert "after it is signed" in early.reasons[0]
    assert (signed.done, again.done, again.skipped) == (9, 0, 9)
    assert (filed.done, filed.skipped) == (6, 3)
    assert filed.reasons == ("The office records the filing of its own copy.",)
    assert office.done == 3
    copy = ContractCopy.objects.get(contract=hires["teacher"].contract, kind=CopyKind.OFFICE)
    assert (copy.signed_by, copy.filed_by) == (principal_user, office_user)
    assert copy.signed_at <= copy.filed_at
    assert copy.history.latest().history_user == office_user


def test_marking_needs_a_copy_and_a_known_action(cycle, hires, office_user):
    draw(cycle, office_user)
    contracts = list(Contract.objects.all())

    with pytest.raises(ValidationError, match="Tick"):
        mark(office_user, contracts, contract_services.SIGN, kinds=["nonsense"])
    with pytest.raises(ValidationError, match="signed or filed"):
        mark(office_user, contracts, "burn")


def test_the_overview_counts_signed_filed_and_past_the_deadline(cycle, hires, office_user):
    draw(cycle, office_user)
    teacher, colleague = hires["teacher"].contract, hires["colleague"].contract
    mark(office_user, [teacher, colleague], contract_services.SIGN)
    mark(office_user, [teacher], contract_services.FILE)
    after = TERM_START + timedelta(days=8)

    result = contract_selectors.overview(cycle, after)
    before = contract_selectors.overview(cycle, TERM_START + timedelta(days=7))

    here, there = result.schools[1], result.schools[0]  # by name: 东张完小, 夏庄完小
    assert here.school.name == "夏庄完小"
    assert (here.hires, here.drawn_up, here.signed, here.filed, here.overdue) == (2, 2, 2, 1, 1)
    assert (there.drawn_up, there.signed, there.overdue) == (1, 0, 1)
    assert result.total.overdue == 2
    assert {c.staff.name for c in result.overdue} == {"同事丁", "东张教师"}
    assert before.total.overdue == 0 and before.overdue == []


# --- bounded queries with hundreds of rows ---------------------------------------------------


def test_drawing_up_hundreds_is_a_bounded_number_of_queries(cycle, school, office_user,
                                                            django_assert_max_num_queries):
    many_hires(cycle, school, 300)

    # SQLite caps a statement's parameters, so bulk writes go in batches of some dozens
    # of rows: the count grows by a batch, never by a row.
    with django_assert_max_num_queries(45):
        assert draw(cycle, office_user) == 300
    assert ContractCopy.objects.count() == 900


def test_marking_hundreds_is_a_bounded_number_of_queries(cycle, school, office_user,
                                                         django_assert_max_num_queries):
    many_hires(cycle, school, 300)
    draw(cycle, office_user)
    contracts = list(Contract.objects.all())

    with django_assert_max_num_queries(25):
        assert mark(office_user, contracts, contract_services.SIGN).done == 900


def test_the_overview_and_export_of_hundreds_are_bounded(cycle, school, other_school,
                                                         office_user,
                                                         django_assert_max_num_queries):
    many_hires(cycle, school, 200)
    many_hires(cycle, other_school, 100, start=5000)
    draw(cycle, office_user)

    with django_assert_max_num_queries(6):
        result = contract_selectors.overview(cycle, date(2026, 12, 1))
    with django_assert_max_num_queries(6):
        sheet = contract_selectors.contracts_sheet(Contract.objects.filter(cycle=cycle),
                                                   date(2026, 12, 1))
    assert result.total.overdue == 300 and len(result.overdue) == 200
    assert len(sheet.rows) == 300 and sheet.rows[0][-1] == "是"
