"""Services of target-responsibility letters (目标责任书, R10): the township's template, the
letters drafted in bulk (one per school's principal, the target tiered from the school's
latest results), the office's edits, sending, withdrawing and redrafting, the principal's
signature or refusal (recorded as resigning), and the year-end outcome. Every change is
in the history with who made it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluation import access, rules
from evaluation.models import (
    Letter,
    LetterOutcome,
    LetterState,
    LetterTemplate,
    OutcomeResult,
    Resignation,
    VetoTriggered,
)
from evaluation.selectors import letters as letter_selectors
from schools.models import School, Township
from staffing.changes import refuse, save

TARGET_MAX = 500


def _check_text(text: Mapping[str, str]) -> dict[str, str]:
    """Every part of a letter written, and no unknown placeholder (the text is kept)."""
    cleaned = {name: (text.get(name) or "").replace("\r\n", "\n") for name in rules.TEXT_FIELDS}
    if any(not value.strip() for value in cleaned.values()):
        raise ValidationError(_("A letter needs its title, its four sections and its six "
                                "veto clauses."))
    unknown: list[str] = []
    for value in cleaned.values():
        unknown += [n for n in rules.letter_unknown_placeholders(value) if n not in unknown]
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s. The placeholders are: %(known)s.") % {
                "names": "、".join(f"{{{name}}}" for name in unknown),
                "known": "、".join(f"{{{name}}}" for name in rules.LETTER_PLACEHOLDERS)})
    cleaned["title"] = cleaned["title"].strip()
    return cleaned


@transaction.atomic
def template_save(*, by, township: Township, text: Mapping[str, str], tier_margin: Decimal,
                  gap_share_percent: int) -> LetterTemplate:
    """The office edits its township's letter and tier thresholds (R10); letters drafted
    before keep their text, those drafted (or redrafted) after use the new one."""
    cleaned = _check_text(text)
    if tier_margin <= 0 or not 0 < gap_share_percent <= 100:
        raise ValidationError(_("The first tier's margin is above zero and the share of the "
                                "gap between 1 and 100."))
    template = (LetterTemplate.objects.select_for_update().filter(township=township).first()
                or LetterTemplate(township=township))
    for name, value in cleaned.items():
        setattr(template, name, value)
    template.tier_margin, template.gap_share_percent = tier_margin, gap_share_percent
    template.updated_by = by
    save(template, by)
    return template


@dataclass(frozen=True)
class Drafted:
    made: int
    manual: int  # of those, schools without results: the office enters their target
    without_principal: tuple[str, ...]  # schools with no 校长/园长 in office


def _fill(letter: Letter, template: LetterTemplate, principal_name: str) -> None:
    values = letter_selectors.letter_values(letter.school, principal_name, letter.school_year,
                                            letter.township.name)
    for name in rules.TEXT_FIELDS:
        setattr(letter, name, rules.letter_fill(getattr(template, name), values))


def _target(letter: Letter, baseline, rule: rules.TierRule) -> None:
    if baseline is None:
        letter.exam, letter.baseline, letter.tier, letter.target = None, None, None, ""
        return
    target = rules.letter_target(baseline.difference, rule)
    letter.exam, letter.baseline = baseline.exam, baseline.difference
    letter.tier, letter.target = target.tier, target.words


@transaction.atomic
def letters_draft(*, by, township: Township, school_year: int) -> Drafted:
    """One letter per school of ``township`` for ``school_year`` that has none yet, made out
    to its principal (the open 校长/园长 position), filled from the template, the target
    tiered from the school's standing in the latest exam (R10). Idempotent; a handful of
    queries however many schools."""
    township = Township.objects.select_for_update().get(pk=township.pk)
    have = set(Letter.objects.filter(township=township, school_year=school_year)
               .values_list("school_id", flat=True))
    schools = [school for school in School.objects.filter(township=township).order_by("name")
               if school.pk not in have]
    heads = letter_selectors.principals_of(township.pk)
    baselines = letter_selectors.school_baselines(township.pk)
    template = letter_selectors.template_of(township)
    rule = letter_selectors.tier_rule_of(template)
    now, letters, missing = timezone.now(), [], []
    for school in schools:
        head = heads.get(school.pk)
        if head is None:
            missing.append(school.name)
            continue
        letter = Letter(township=township, school=school, school_year=school_year,
                        principal=head.staff, drafted_by=by, drafted_at=now)
        _fill(letter, template, head.staff.name)
        _target(letter, baselines.get(school.pk), rule)
        letters.append(letter)
    if letters:
        bulk_create_with_history(letters, Letter, batch_size=500, default_user=by,
                                 default_date=now)
    return Drafted(len(letters), sum(1 for letter in letters if letter.tier is None),
                   tuple(missing))


def _locked(letter: Letter) -> Letter:
    return (Letter.objects.select_for_update().select_related("school", "township", "principal")
            .get(pk=letter.pk))


@transaction.atomic
def letter_edit(*, by, letter: Letter, text: Mapping[str, str], target: str) -> Letter:
    """The office edits a draft's clauses and target before sending it."""
    letter = _locked(letter)
    refuse(rules.letter_edit_refusal(letter.state))
    cleaned = _check_text(text)
    target = target.strip()
    if len(target) > TARGET_MAX:
        raise ValidationError(_("The target is too long."))
    for name, value in cleaned.items():
        setattr(letter, name, value)
    letter.target = target
    save(letter, by)
    return letter


@transaction.atomic
def letter_redraft(*, by, letter: Letter) -> Letter:
    """A draft filled again from the township's template, made out to the school's
    principal now, with the target tiered from the latest results; a refused letter
    likewise once a successor is in office (R10: refusing counts as resigning), the
    refusal staying recorded."""
    letter = _locked(letter)
    head = letter_selectors.principals_of(letter.township_id).get(letter.school_id)
    refuse(rules.letter_redraft_refusal(
        letter.state, successor=head is not None and head.staff_id != letter.principal_id))
    if head is None:
        raise ValidationError(_("%(school)s has no principal in office: record one on the "
                                "school's page first.") % {"school": letter.school.name})
    letter.state, letter.sent_by, letter.sent_at = LetterState.DRAFTED, None, None
    letter.answered_by, letter.answered_at, letter.refusal_reason = None, None, ""
    template = letter_selectors.template_of(letter.township)
    letter.principal = head.staff
    _fill(letter, template, head.staff.name)
    _target(letter, letter_selectors.school_baselines(letter.township_id).get(letter.school_id),
            letter_selectors.tier_rule_of(template))
    letter.drafted_by, letter.drafted_at = by, timezone.now()
    save(letter, by)
    return letter


@dataclass(frozen=True)
class Sent:
    done: int
    skipped: int
    reasons: tuple[str, ...] = ()


@transaction.atomic
def letters_send(*, by, letters: Sequence[Letter]) -> Sent:
    """Send the drafts to their principals to sign (R10); a letter already sent or without
    a target is skipped with its reason. Two queries and the history's."""
    locked = list(Letter.objects.select_for_update().filter(pk__in=[x.pk for x in letters]))
    now, changed, reasons = timezone.now(), [], []
    for letter in locked:
        refusal = rules.letter_send_refusal(letter.state, letter.target)
        if refusal:
            if refusal not in reasons:
                reasons.append(refusal)
            continue
        letter.state, letter.sent_by, letter.sent_at = LetterState.SENT, by, now
        changed.append(letter)
    if changed:
        bulk_update_with_history(changed, Letter, ["state", "sent_by", "sent_at"],
                                 batch_size=500, default_user=by, default_date=now)
    return Sent(len(changed), len(locked) - len(changed), tuple(reasons))


@transaction.atomic
def letter_withdraw(*, by, letter: Letter) -> Letter:
    """The office takes back a letter sent and not yet answered: a draft again."""
    letter = _locked(letter)
    refuse(rules.letter_withdraw_refusal(letter.state))
    letter.state, letter.sent_by, letter.sent_at = LetterState.DRAFTED, None, None
    save(letter, by)
    return letter


def answer_refusal(user, letter: Letter) -> str | None:
    """Why this login may not sign or refuse ``letter`` now, or None."""
    return rules.letter_answer_refusal(letter.state,
                                       own=access.is_letter_principal(user, letter))


@transaction.atomic
def letter_sign(*, by, letter: Letter) -> Letter:
    """The principal signs their letter (R10); final. A second submit is refused."""
    letter = _locked(letter)
    refuse(answer_refusal(by, letter))
    letter.state, letter.answered_by, letter.answered_at = (LetterState.SIGNED, by,
                                                            timezone.now())
    save(letter, by)
    return letter


@transaction.atomic
def letter_refuse(*, by, letter: Letter, reason: str) -> Resignation:
    """The principal refuses to sign, which counts as resigning (R10): the letter is
    refused (final) and a resignation is recorded with who, when and why, for the office."""
    letter = _locked(letter)
    refuse(answer_refusal(by, letter))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for refusing."))
    now = timezone.now()
    letter.state, letter.answered_by, letter.answered_at = LetterState.REFUSED, by, now
    letter.refusal_reason = reason
    save(letter, by)
    resignation = Resignation(letter=letter, staff=letter.principal, school=letter.school,
                              reason=reason, recorded_by=by, recorded_at=now)
    save(resignation, by)
    return resignation


@transaction.atomic
def outcome_record(*, by, letter: Letter, result: str, vetoes: Mapping[int, str],
                   note: str = "") -> LetterOutcome:
    """The office records the year-end outcome of a signed letter: the result and the
    veto clauses triggered, each with its reason (R10). A result below target triggers
    clause 1. Recorded again, it replaces the last, all in the history."""
    letter = _locked(letter)
    refuse(rules.letter_outcome_refusal(letter.state))
    vetoes = {clause: (reason or "").strip() for clause, reason in vetoes.items()}
    if result == OutcomeResult.BELOW and rules.QUALITY_VETO not in vetoes:
        vetoes[rules.QUALITY_VETO] = letter.veto_1.strip()
    refuse(rules.outcome_vetoes_refusal(result, set(vetoes)))
    if any(not reason for reason in vetoes.values()):
        raise ValidationError(_("Give the reason for each veto clause triggered."))
    outcome = LetterOutcome.objects.select_for_update().filter(letter=letter).first()
    now = timezone.now()
    if outcome is None:
        outcome = LetterOutcome(letter=letter)
    outcome.result, outcome.note = result, note.strip()
    outcome.recorded_by, outcome.recorded_at = by, now
    save(outcome, by)
    kept = {veto.clause: veto for veto in VetoTriggered.objects.filter(outcome=outcome)}
    for clause, veto in kept.items():
        if clause not in vetoes:
            veto._history_user = by
            veto.delete()
        elif veto.reason != vetoes[clause]:
            veto.reason = vetoes[clause]
            save(veto, by)
    for clause in sorted(set(vetoes) - set(kept)):
        save(VetoTriggered(outcome=outcome, clause=clause, reason=vetoes[clause]), by)
    return outcome
