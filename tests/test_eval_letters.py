"""Target-responsibility letters (R10) at the rule and service level: the tiers and their
targets, a school's standing in the latest exam, drafting in bulk and idempotently to the
principal in office, the template's placeholders, editing, sending, withdrawing and
redrafting, signing once, refusing as resigning, and each year-end outcome with the
honours it bars."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluation import rules
from evaluation.models import (
    Letter,
    LetterOutcome,
    LetterState,
    LetterTemplate,
    OutcomeResult,
    Resignation,
    Tier,
)
from evaluation.selectors import letters as letter_selectors
from evaluation.services import letters as letter_services
from schools.models import Position

from . import letters_world
from .factories import SchoolFactory, StaffFactory
from .letters_world import YEAR, exam_results

heads, exam, drafted, sent, signed = (letters_world.heads, letters_world.exam,
                                      letters_world.drafted, letters_world.sent,
                                      letters_world.signed)
pytestmark = pytest.mark.usefixtures("english")
RULE = rules.TierRule(margin=Decimal("5"), gap_share_percent=50)


# ---- the tiers (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(("difference", "tier"), [
    ("12", 1), ("5", 1), ("4.99", 2), ("0", 2), ("-0.01", 3), ("-20", 3)])
def test_the_tier_follows_the_difference_to_the_township_average(difference, tier):
    assert rules.letter_tier(Decimal(difference), RULE) == tier


def test_each_tier_has_its_target():
    first = rules.letter_target(Decimal("7.5"), RULE)
    second = rules.letter_target(Decimal("2"), RULE)
    third = rules.letter_target(Decimal("-7.2"), RULE)

    assert (first.tier, first.required) == (1, Decimal("5"))
    assert "保持高于全镇平均分5分以上" in first.words and "现高7.5分" in first.words
    assert (second.tier, second.required) == (2, Decimal("5"))
    assert "或进入全镇前三名" in second.words
    assert (third.tier, third.required) == (3, Decimal("-3.60"))
    assert "差距缩小50%" in third.words and "不超过3.6分" in third.words


def test_the_township_sets_the_thresholds():
    rule = rules.TierRule(margin=Decimal("8"), gap_share_percent=25)

    assert rules.letter_tier(Decimal("6"), rule) == 2
    assert rules.letter_target(Decimal("-8"), rule).required == Decimal("-6.00")


@pytest.mark.parametrize(("result", "vetoes", "accountable", "honours_lost"), [
    (OutcomeResult.MET, set(), False, False),
    (OutcomeResult.BELOW, {1}, True, True),
    (OutcomeResult.DECLINED, set(), True, False),
    (OutcomeResult.MET, {2}, True, True),
    (OutcomeResult.DECLINED, {4, 6}, True, True),
])
def test_the_consequences_of_each_outcome(result, vetoes, accountable, honours_lost):
    assert rules.letter_consequences(result, vetoes) == rules.Consequences(
        accountable, honours_lost)


def test_the_default_template_has_six_vetoes_the_first_teaching_quality():
    assert len(rules.VETO_FIELDS) == 6
    assert "教学质量未达到规定目标" in rules.DEFAULT_LETTER_TEXT["veto_1"]
    assert all(not rules.letter_unknown_placeholders(text)
               for text in rules.DEFAULT_LETTER_TEXT.values())


# ---- a school's standing -------------------------------------------------------------------


def test_the_baseline_is_the_weighted_difference_in_the_latest_exam(township, school,
                                                                   other_school, exam):
    baselines = letter_selectors.school_baselines(township.pk)

    assert baselines[school.pk].difference == Decimal("4.80")
    assert baselines[other_school.pk].difference == Decimal("-7.20")
    assert baselines[school.pk].takers == 60 and baselines[school.pk].exam == exam


def test_the_baseline_compares_each_grade_and_subject_with_its_own_average(township, school,
                                                                          other_school):
    exam_results(township, [
        (school, "三年级", "语文", "1班", 10, "80"),
        (other_school, "三年级", "语文", "1班", 10, "70"),
        (school, "五年级", "数学", "1班", 30, "60"),
        (other_school, "五年级", "数学", "1班", 30, "66"),
    ])

    baselines = letter_selectors.school_baselines(township.pk)

    # 语文 average 75: +5 for 10 pupils; 数学 average 63: −3 for 30 → (50 − 90) / 40 = −1.
    assert baselines[school.pk].difference == Decimal("-1.00")
    assert baselines[other_school.pk].difference == Decimal("1.00")


def test_only_the_latest_exam_counts(township, school, other_school, exam):
    exam_results(township, [(school, "四年级", "数学", "1班", 30, "70"),
                            (other_school, "四年级", "数学", "1班", 30, "80")],
                 name="2026秋季期中", when=date(2026, 11, 10))

    baselines = letter_selectors.school_baselines(township.pk)

    assert baselines[school.pk].difference == Decimal("-5.00")


def test_no_exam_no_baseline(township, school):
    assert letter_selectors.school_baselines(township.pk) == {}


# ---- drafting -----------------------------------------------------------------------------


def test_drafting_makes_one_letter_per_principal_with_the_tiered_target(drafted, school):
    here, there = drafted["here"], drafted["there"]

    assert here.principal.name == "校长甲" and here.state == LetterState.DRAFTED
    assert (here.tier, here.baseline) == (Tier.SECOND, Decimal("4.80"))
    assert "第二档" in here.target
    assert there.tier == Tier.THIRD and "不超过3.6分" in there.target
    assert "夏庄完小" in here.standard_operation and "校长甲" in here.safety
    assert "2026—2027" in here.title
    assert "{目标}" in here.quality
    assert here.target in letter_selectors.sections_of(here)[3].text


def test_drafting_again_changes_nothing(drafted, township, office_user):
    again = letter_services.letters_draft(by=office_user, township=township, school_year=YEAR)

    assert again.made == 0 and Letter.objects.count() == 2


def test_the_letter_goes_to_the_principal_in_office_only(township, school, heads, exam,
                                                        office_user, principal_user):
    heads["here"].end_date = date(2025, 8, 31)
    heads["here"].save()
    successor = StaffFactory(school=school, name="新校长")
    Position.objects.create(staff=successor, school=school, title="校长",
                            start_date=date(2025, 9, 1))
    StaffFactory(school=school, name="副校长某")  # no position: not the principal

    letter_services.letters_draft(by=office_user, township=township, school_year=YEAR)

    assert Letter.objects.get(school=school).principal == successor


def test_a_kindergarten_letter_goes_to_its_director(township, office_user):
    kindergarten = SchoolFactory(township=township, name="中心幼儿园")
    director = StaffFactory(school=kindergarten, name="园长某")
    Position.objects.create(staff=director, school=kindergarten, title="园长",
                            start_date=date(2020, 9, 1))

    letter_services.letters_draft(by=office_user, township=township, school_year=YEAR)

    letter = Letter.objects.get(school=kindergarten)
    assert letter.principal == director
    assert letter.tier is None and letter.target == ""  # no results: the office enters it


def test_a_school_without_principal_is_named_and_gets_no_letter(township, school,
                                                               office_user):
    drafted = letter_services.letters_draft(by=office_user, township=township,
                                            school_year=YEAR)

    assert drafted.made == 0 and drafted.without_principal == ("夏庄完小",)


# ---- the template -------------------------------------------------------------------------


def text_of(source, **changes):
    return {**{name: getattr(source, name) for name in rules.TEXT_FIELDS}, **changes}


def test_the_template_refuses_an_unknown_placeholder(township, office_user):
    template = letter_selectors.template_of(township)

    with pytest.raises(ValidationError, match=r"\{书记\}"):
        letter_services.template_save(by=office_user, township=township,
                                      text=text_of(template, safety="{书记}负责安全"),
                                      tier_margin=Decimal("5"), gap_share_percent=50)
    assert not LetterTemplate.objects.exists()


def test_letters_drafted_after_a_template_edit_use_it(township, heads, office_user):
    template = letter_selectors.template_of(township)
    letter_services.template_save(by=office_user, township=township,
                                  text=text_of(template, veto_6="{学校}弄虚作假的。"),
                                  tier_margin=Decimal("3"), gap_share_percent=40)

    letter_services.letters_draft(by=office_user, township=township, school_year=YEAR)

    assert Letter.objects.get(school=heads["here"].school).veto_6 == "夏庄完小弄虚作假的。"
    assert letter_selectors.template_of(township).history.count() == 1


# ---- editing, sending, withdrawing ---------------------------------------------------------


def test_the_office_edits_a_draft_then_it_is_frozen_once_sent(drafted, office_user):
    here = drafted["here"]
    letter_services.letter_edit(by=office_user, letter=here, text=text_of(here),
                                target="进入全镇前三名")
    letter_services.letters_send(by=office_user, letters=[here])

    with pytest.raises(ValidationError, match="Only a draft"):
        letter_services.letter_edit(by=office_user, letter=here, text=text_of(here),
                                    target="别的")
    here.refresh_from_db()
    assert here.target == "进入全镇前三名" and here.state == LetterState.SENT


def test_an_unknown_placeholder_in_a_letter_is_refused(drafted, office_user):
    with pytest.raises(ValidationError, match=r"\{主任\}"):
        letter_services.letter_edit(by=office_user, letter=drafted["here"],
                                    text=text_of(drafted["here"], curriculum="{主任}"),
                                    target="x")


def test_a_draft_without_target_is_not_sent(township, office_user, heads):
    letter_services.letters_draft(by=office_user, township=township, school_year=YEAR)

    sent = letter_services.letters_send(by=office_user, letters=list(Letter.objects.all()))

    assert (sent.done, sent.skipped) == (0, 2)
    assert "Enter the teaching-quality target" in sent.reasons[0]


def test_sending_twice_sends_once(drafted, office_user):
    letter_services.letters_send(by=office_user, letters=list(drafted.values()))

    again = letter_services.letters_send(by=office_user, letters=list(drafted.values()))

    assert (again.done, again.skipped) == (0, 2)


def test_withdraw_and_redraft_a_letter_not_yet_signed(sent, office_user, township):
    template = letter_selectors.template_of(township)
    letter_services.template_save(by=office_user, township=township,
                                  text=text_of(template, title="新责任书"),
                                  tier_margin=Decimal("4"), gap_share_percent=50)

    letter_services.letter_withdraw(by=office_user, letter=sent["here"])
    letter = letter_services.letter_redraft(by=office_user, letter=sent["here"])

    assert letter.state == LetterState.DRAFTED and letter.title == "新责任书"
    assert letter.tier == Tier.FIRST  # +4.8 ≥ the new margin 4


def test_a_signed_or_refused_letter_is_final(signed, sent, office_user, other_principal):
    letter_services.letter_refuse(by=other_principal, letter=sent["there"], reason="身体原因")

    for letter in (signed, sent["there"]):
        with pytest.raises(ValidationError):
            letter_services.letter_withdraw(by=office_user, letter=letter)
        with pytest.raises(ValidationError):
            letter_services.letter_redraft(by=office_user, letter=letter)


# ---- signing and refusing ------------------------------------------------------------------


def test_the_principal_signs_once(sent, principal_user):
    letter_services.letter_sign(by=principal_user, letter=sent["here"])

    with pytest.raises(ValidationError, match="already been answered"):
        letter_services.letter_sign(by=principal_user, letter=sent["here"])
    letter = Letter.objects.get(pk=sent["here"].pk)
    assert letter.state == LetterState.SIGNED and letter.answered_by == principal_user
    assert letter.history.filter(state=LetterState.SIGNED).count() == 1


def test_no_one_signs_another_principals_letter(sent, other_principal, office_user):
    for user in (other_principal, office_user):
        with pytest.raises(ValidationError, match="Only the principal"):
            letter_services.letter_sign(by=user, letter=sent["here"])


def test_a_draft_is_not_signed(drafted, principal_user):
    with pytest.raises(ValidationError, match="not sent"):
        letter_services.letter_sign(by=principal_user, letter=drafted["here"])


def test_refusing_is_recorded_as_resigning(sent, principal_user):
    resignation = letter_services.letter_refuse(by=principal_user, letter=sent["here"],
                                                reason="不同意质量目标")

    letter = Letter.objects.get(pk=sent["here"].pk)
    assert letter.state == LetterState.REFUSED and letter.refusal_reason == "不同意质量目标"
    assert (resignation.staff.name, resignation.reason, resignation.recorded_by) == (
        "校长甲", "不同意质量目标", principal_user)
    with pytest.raises(ValidationError):
        letter_services.letter_sign(by=principal_user, letter=letter)


def test_refusing_needs_a_reason(sent, principal_user):
    with pytest.raises(ValidationError, match="reason"):
        letter_services.letter_refuse(by=principal_user, letter=sent["here"], reason="  ")
    assert not Resignation.objects.exists()


# ---- the year-end outcome ------------------------------------------------------------------


def test_target_met_bars_nothing(signed, office_user, township):
    letter_services.outcome_record(by=office_user, letter=signed, result=OutcomeResult.MET,
                                   vetoes={})

    assert letter_selectors.honours_barred(township.pk, YEAR) == (set(), set())


def test_below_target_triggers_clause_one_and_bars_honours(signed, office_user, township):
    outcome = letter_services.outcome_record(by=office_user, letter=signed,
                                             result=OutcomeResult.BELOW, vetoes={})

    assert [veto.clause for veto in outcome.vetoes.all()] == [1]
    assert letter_selectors.honours_barred(township.pk, YEAR) == (
        {signed.school_id}, {signed.principal_id})


def test_declined_is_accountable_without_barring_honours(signed, office_user, township):
    outcome = letter_services.outcome_record(by=office_user, letter=signed,
                                             result=OutcomeResult.DECLINED, vetoes={})

    assert letter_selectors.consequences_of(outcome) == rules.Consequences(True, False)
    assert letter_selectors.honours_barred(township.pk, YEAR) == (set(), set())


def test_several_vetoes_each_with_its_reason(signed, office_user, township):
    outcome = letter_services.outcome_record(
        by=office_user, letter=signed, result=OutcomeResult.MET,
        vetoes={2: "3月校车事故", 5: "教师体罚学生"})

    assert {(v.clause, v.reason) for v in outcome.vetoes.all()} == {
        (2, "3月校车事故"), (5, "教师体罚学生")}
    assert letter_selectors.honours_barred(township.pk, YEAR)[0] == {signed.school_id}


def test_recording_again_replaces_the_vetoes_with_history(signed, office_user, township):
    letter_services.outcome_record(by=office_user, letter=signed, result=OutcomeResult.MET,
                                   vetoes={3: "乱收费"})

    outcome = letter_services.outcome_record(by=office_user, letter=signed,
                                             result=OutcomeResult.MET, vetoes={})

    assert not outcome.vetoes.exists() and LetterOutcome.objects.count() == 1
    assert outcome.history.count() == 2
    assert letter_selectors.honours_barred(township.pk, YEAR) == (set(), set())


@pytest.mark.parametrize(("result", "vetoes", "match"), [
    (OutcomeResult.MET, {1: "x"}, "clause 1"),
    (OutcomeResult.MET, {7: "x"}, "six veto"),
    (OutcomeResult.MET, {2: " "}, "reason"),
])
def test_wrong_vetoes_are_refused(signed, office_user, result, vetoes, match):
    with pytest.raises(ValidationError, match=match):
        letter_services.outcome_record(by=office_user, letter=signed, result=result,
                                       vetoes=vetoes)
    assert not LetterOutcome.objects.exists()


def test_an_unsigned_letter_has_no_outcome(sent, office_user):
    with pytest.raises(ValidationError, match="signed letter"):
        letter_services.outcome_record(by=office_user, letter=sent["there"],
                                       result=OutcomeResult.MET, vetoes={})


def test_honours_barred_is_per_township_and_year(signed, office_user, township):
    letter_services.outcome_record(by=office_user, letter=signed, result=OutcomeResult.BELOW,
                                   vetoes={})

    assert letter_selectors.honours_barred(township.pk, YEAR + 1) == (set(), set())
    assert letter_selectors.honours_barred(township.pk + 1000, YEAR) == (set(), set())


def test_a_refused_letter_is_redrafted_for_the_successor(sent, principal_user, office_user,
                                                        heads, school):
    letter_services.letter_refuse(by=principal_user, letter=sent["here"], reason="调离")
    heads["here"].end_date = date(2026, 9, 30)
    heads["here"].end_reason = "拒签目标责任书，视为辞职"
    heads["here"].save()
    successor = StaffFactory(school=school, name="继任校长")
    Position.objects.create(staff=successor, school=school, title="校长",
                            start_date=date(2026, 10, 1))

    letter = letter_services.letter_redraft(by=office_user, letter=sent["here"])

    assert letter.state == LetterState.DRAFTED and letter.principal == successor
    assert "继任校长" in letter.safety and letter.refusal_reason == ""
    assert Resignation.objects.get().staff.name == "校长甲"  # the refusal stays recorded
    assert letter.history.filter(state=LetterState.REFUSED).exists()
