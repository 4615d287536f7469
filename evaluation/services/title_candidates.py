"""Services of the title evaluation part ``title_candidates`` (R12,
shared/spec/title-scoring.md): a staff member declares and withdraws; the unit checks
eligibility (accepts, in bulk too, or refuses with a reason), scores item by item and
the lesson presentation (through services.titles.score_set / lesson_set), and settles
ties at the quota's edge; the county office sets the year's eligibility settings and
imports the year's scores (``import_title_scores``: all or nothing, a kept preview in the
browser). Every change keeps its history."""

from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluation import access, rules, scoring
from evaluation.models import (
    CandidateState,
    TieDecision,
    TitleCandidate,
    TitleItem,
    TitleLevel,
    TitleQuota,
    TitleScore,
    TitleScoreImport,
    TitleYear,
    YearState,
)
from evaluation.selectors import title_candidates as selectors
from evaluation.selectors import titles as title_selectors
from evaluation.services import titles as title_services
from schools import resident_id
from schools.models import School, Staff
from staffing import changes, uploads
from staffing import workbook as wb
from staffing.workbook import RowError

log = logging.getLogger(__name__)

# Stored untranslated in history; pages translate them when they show them.
DECLARE_REASON = gettext_noop("title declaration")
WITHDRAW_REASON = gettext_noop("title declaration withdrawn")
CHECK_REASON = gettext_noop("eligibility checked by the unit")
IMPORT_REASON = gettext_noop("title-scores import")
TIE_REASON = gettext_noop("tie settled by the unit committee")
SETTINGS_REASON = gettext_noop("eligibility settings changed")
_ID_CHUNK = 2000
_NUMBER_TEXT = re.compile(r"[0-9]{1,7}(?:\.[0-9]+)?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _year_open(year: TitleYear) -> None:
    changes.refuse(rules.title_year_closed_refusal(year.state == YearState.OPEN))


# ---- declaring ----------------------------------------------------------------------------


@transaction.atomic
def declare(*, by, year: TitleYear, staff: Staff, level: str, current_title: str,
            title_since: date | None, exceptional: bool = False, reason: str = ""
            ) -> TitleCandidate:
    """A staff member declares for a level (once a year: a second submit is refused, a
    withdrawn or refused declaration may be made again)."""
    if not access.is_own_staff_id(by, staff.pk):
        raise PermissionDenied
    year = TitleYear.objects.select_for_update().get(pk=year.pk)
    existing = TitleCandidate.objects.select_for_update().filter(year=year, staff=staff).first()
    if level not in TitleLevel.values:
        raise ValidationError(_("Choose a level."))
    changes.refuse(rules.title_declare_refusal(
        year_open=year.is_open, has_table=title_selectors.current_table(year) is not None,
        declared=existing is not None and existing.state in (CandidateState.DECLARED,
                                                             CandidateState.ELIGIBLE),
        level=level, current_title=current_title, title_since=title_since,
        today=timezone.localdate(), exceptional=exceptional, reason=reason))
    candidate = existing or TitleCandidate(year=year, staff=staff)
    candidate.school_id = staff.school_id
    candidate.level, candidate.current_title, candidate.title_since = (level, current_title,
                                                                        title_since)
    candidate.exceptional = exceptional
    candidate.exceptional_reason = reason.strip() if exceptional else ""
    candidate.state, candidate.refusal = CandidateState.DECLARED, ""
    candidate.checked_by, candidate.checked_at = None, None
    candidate.tie_decision, candidate.tie_reason = TieDecision.NONE, ""
    candidate.declared_by = by
    candidate._change_reason = DECLARE_REASON
    try:
        with transaction.atomic():
            changes.save(candidate, by)
    except IntegrityError:  # two submits at once: the other one declared
        raise ValidationError(_("You have already declared for this year.")) from None
    return candidate


@transaction.atomic
def withdraw(*, by, candidate: TitleCandidate) -> TitleCandidate:
    if not access.is_own_title_candidacy(by, candidate):
        raise PermissionDenied
    locked = TitleCandidate.objects.select_for_update().select_related("year").get(
        pk=candidate.pk)
    _year_open(locked.year)
    changes.refuse(rules.title_withdraw_refusal(locked.state))
    locked.state = CandidateState.WITHDRAWN
    locked._change_reason = WITHDRAW_REASON
    changes.save(locked, by, ["state"])
    return locked


# ---- the unit's check ---------------------------------------------------------------------


def _checkable(locked: TitleCandidate, scored: set[int]) -> None:
    changes.refuse(rules.title_check_refusal(
        year_open=locked.year.is_open, state=locked.state, has_scores=locked.pk in scored))


@transaction.atomic
def accept(*, by, year: TitleYear, school: School, candidate_ids) -> tuple[int, list[str]]:
    """The unit accepts these declarations as eligible. A declaration the rules find not
    eligible (its computed reason) is not accepted: the unit refuses it instead. Returns
    (accepted, the names skipped with why)."""
    if not access.is_title_unit(by, school.pk):
        raise PermissionDenied
    _year_open(year)
    locked = list(TitleCandidate.objects.select_for_update(of=("self",))
                  .filter(year=year, school=school, pk__in=list(candidate_ids))
                  .select_related("staff", "year").order_by("pk"))
    scored = selectors.scored_ids([c.pk for c in locked])
    facts = {row.candidate.pk: row for row in selectors.check_rows(year, locked)}
    now = timezone.now()
    done, skipped = [], []
    for candidate in locked:
        why = rules.title_check_refusal(year_open=True, state=candidate.state,
                                        has_scores=candidate.pk in scored)
        why = why or facts[candidate.pk].refusal
        if candidate.state == CandidateState.ELIGIBLE:
            continue
        if why:
            skipped.append(f"{candidate.staff.name}: {why}")
            continue
        candidate.state, candidate.refusal = CandidateState.ELIGIBLE, ""
        candidate.checked_by, candidate.checked_at = by, now
        done.append(candidate)
    if done:
        bulk_update_with_history(done, TitleCandidate,
                                 ["state", "refusal", "checked_by", "checked_at"],
                                 batch_size=500, default_user=by,
                                 default_change_reason=CHECK_REASON, default_date=now)
    return len(done), skipped


@transaction.atomic
def refuse(*, by, candidate: TitleCandidate, reason: str) -> TitleCandidate:
    """The unit finds the declaration not eligible and says why."""
    if not access.is_title_unit(by, candidate.school_id):
        raise PermissionDenied
    locked = TitleCandidate.objects.select_for_update().select_related("year").get(
        pk=candidate.pk)
    _checkable(locked, selectors.scored_ids([locked.pk]))
    changes.refuse(rules.title_refusal_reason_refusal(reason))
    locked.state, locked.refusal = CandidateState.REFUSED, reason.strip()
    locked.checked_by, locked.checked_at = by, timezone.now()
    locked._change_reason = CHECK_REASON
    changes.save(locked, by, ["state", "refusal", "checked_by", "checked_at"])
    return locked


# ---- the unit's scores --------------------------------------------------------------------


@transaction.atomic
def unit_scores_save(*, by, candidate: TitleCandidate, items: dict[int, tuple],
                     lesson: Decimal | None) -> int:
    """The unit's scores of one candidate: ``items`` maps an item id of the year's table
    to (score or None, evidence); an empty score of an item already scored is 0 (the
    spec: an item with no score counts 0). Returns how many values changed."""
    if not access.is_title_unit(by, candidate.school_id):
        raise PermissionDenied
    locked = TitleCandidate.objects.select_for_update().select_related("year").get(
        pk=candidate.pk)
    changes.refuse(rules.title_score_refusal(year_open=locked.year.is_open,
                                             state=locked.state))
    table = title_selectors.current_table(locked.year)
    known = {item.pk: item for item in title_selectors.items_of(table)}
    existing = set(TitleScore.objects.filter(candidate=locked).values_list("item_id",
                                                                           flat=True))
    changed = 0
    for item_id, (value, evidence) in items.items():
        item = known.get(item_id)
        if item is None:
            raise ValidationError(_("That item is not in this year's table."))
        changes.refuse(rules.title_item_score_refusal(value, item.item_cap))
        if value is None:
            if item_id not in existing:
                continue
            value = Decimal("0")
        if title_services.score_set(by=by, candidate=locked, item=item, score=value,
                                    evidence=(evidence or "").strip()[:500]) is not None:
            changed += 1
    changes.refuse(rules.title_lesson_score_refusal(lesson))
    if title_services.lesson_set(by=by, candidate=locked, score=lesson):
        changed += 1
    return changed


@transaction.atomic
def grid_save(*, by, candidates: list[TitleCandidate], values: dict[int, tuple]) -> int:
    """A grid of the unit's scores (a page of candidates): each candidate's changed values
    through ``unit_scores_save``, the evidence already noted kept; all or nothing.
    Returns how many values changed."""
    evidence = {(s.candidate_id, s.item_id): s.evidence for s in TitleScore.objects.filter(
        candidate_id__in=[c.pk for c in candidates])}
    changed = 0
    for candidate in candidates:
        scores, lesson = values[candidate.pk]
        changed += unit_scores_save(
            by=by, candidate=candidate,
            items={item_id: (value, evidence.get((candidate.pk, item_id), ""))
                   for item_id, value in scores.items()},
            lesson=lesson)
    return changed


# ---- ties at the quota's edge ---------------------------------------------------------------


@transaction.atomic
def tie_settle(*, by, candidate: TitleCandidate, recommend: bool, reason: str
               ) -> TitleCandidate:
    """The unit committee settles a 待定 candidate, with its reason (history); refused
    when it would recommend more than the quota's remaining seats."""
    if not access.is_title_unit(by, candidate.school_id):
        raise PermissionDenied
    _year_open(candidate.year)
    # The ranking group's row serialises two settlements of the same group.
    list(TitleQuota.objects.select_for_update().filter(
        year_id=candidate.year_id, school_id=candidate.school_id, level=candidate.level))
    locked = TitleCandidate.objects.select_for_update().select_related("year").get(
        pk=candidate.pk)
    ranking = selectors.ranking_of(locked.year, locked)
    row = next((r for r in ranking.rows if r.candidate.pk == locked.pk), None) if ranking \
        else None
    changes.refuse(rules.title_tie_refusal(
        undecided=row is not None and row.verdict == scoring.UNDECIDED, recommend=recommend,
        reason=reason, seats_left=selectors.seats_left(ranking, locked) if ranking else 0))
    locked.tie_decision = TieDecision.RECOMMEND if recommend else TieDecision.NOT_RECOMMEND
    locked.tie_reason = reason.strip()
    locked._change_reason = TIE_REASON
    changes.save(locked, by, ["tie_decision", "tie_reason"])
    return locked


# ---- the year's settings ------------------------------------------------------------------

SETTINGS_FIELDS = ["reference_date", "first_requires", "first_years", "senior_requires",
                   "senior_years", "full_senior_requires", "full_senior_years",
                   "award_required", "award_window_years"]


@transaction.atomic
def settings_save(*, by, year: TitleYear, values: dict) -> TitleYear:
    if not access.is_county_office_of(by, year.county_id):
        raise PermissionDenied
    locked = TitleYear.objects.select_for_update().get(pk=year.pk)
    _year_open(locked)
    for name in SETTINGS_FIELDS:
        setattr(locked, name, values[name])
    locked._change_reason = SETTINGS_REASON
    changes.save(locked, by, SETTINGS_FIELDS)
    return locked


# ---- the scores import (import_title_scores) ----------------------------------------------


def parse_points(value, maximum: Decimal) -> Decimal:
    """A number from 0 to ``maximum`` with two decimals at most, read with bounded work
    (text of at most 20 characters, a finite float)."""
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if math.isfinite(value):
            number = Decimal(repr(value)) if abs(value) < 1e7 else maximum + 1
    elif isinstance(value, Decimal):
        number = value
    else:
        text = wb.clean_text(value).translate(_FULL_WIDTH)
        if len(text) <= 20 and _NUMBER_TEXT.fullmatch(text):
            try:
                number = Decimal(text)
            except InvalidOperation:  # pragma: no cover — the pattern admits none
                number = None
    if number is None or not number.is_finite():
        raise wb.ValueProblem(_("“%(value)s” is not a number")
                              % {"value": wb.quoted(wb.clean_text(value))})
    if number != number.quantize(Decimal("0.01")):
        raise wb.ValueProblem(_("at most two decimals"))
    if number < 0 or number > maximum:
        raise wb.ValueProblem(_("must be from 0 to %(max)s") % {"max": maximum})
    return number.quantize(Decimal("0.01"))


@dataclass
class Planned:
    staff_id: int
    name: str
    school_id: int
    level: str
    first_row: int
    items: dict = field(default_factory=dict)  # item id → (score, evidence)
    lesson: Decimal | None = None
    existing: TitleCandidate | None = None


@dataclass
class ScoresPlan:
    year: TitleYear
    scores: wb.SheetRows
    lessons: wb.SheetRows
    errors: list[RowError] = field(default_factory=list)
    candidates: dict[int, Planned] = field(default_factory=dict)
    rows: int = 0
    dropped: int = 0  # eligible candidates of the year with scores, absent from the file
    cap: wb.ErrorCap = field(default_factory=wb.ErrorCap)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "lesson_rows": len(self.lessons.rows) if self.lessons else 0,
            "candidates": len(self.candidates),
            "new": sum(1 for p in self.candidates.values() if p.existing is None),
            "dropped": self.dropped,
            "errors": len(self.errors),
            "wrong_rows": len({(e.sheet, e.row) for e in self.errors}),
            "stopped": self.cap.notice(),
        }


def _staff_of_county(numbers: set[str], county_id: int) -> dict[str, tuple]:
    """resident ID → (staff id, school id, name, title) of the county's schools."""
    found, ordered = {}, sorted(numbers)
    for i in range(0, len(ordered), _ID_CHUNK):
        for number, pk, school_id, name, title in Staff.objects.filter(
                resident_id__in=ordered[i:i + _ID_CHUNK],
                school__township__county_id=county_id).values_list(
                "resident_id", "pk", "school_id", "name", "title"):
            found[number] = (pk, school_id, name, title)
    return found


def _resident(values, problems) -> str:
    text = wb.clean_text(values.get("resident_id"))
    if not text:
        problems.append(("resident_id", _("required")))
        return ""
    try:
        return resident_id.parse(text).number
    except resident_id.ResidentIdError as exc:
        problems.append(("resident_id", str(exc)))
        return ""


def scores_plan(*, year: TitleYear, workbook) -> ScoresPlan:
    """Check every row of 评分 and 说课 (the spec's every error kind) and work out each
    candidate's scores; writes nothing. A fixed number of queries besides one per 2,000
    IDs."""
    S, L = rules.TITLE_SCORES_COLUMNS, rules.TITLE_LESSON_COLUMNS
    scores = wb.read_sheet(workbook, rules.TITLE_SCORES_SHEET, S, rules.TITLE_SCORES_REQUIRED)
    lessons = wb.read_sheet(workbook, rules.TITLE_LESSON_SHEET, L, rules.TITLE_LESSON_REQUIRED)
    plan = ScoresPlan(year=year, scores=scores, lessons=lessons,
                      errors=list(scores.errors) + list(lessons.errors))
    if plan.errors:
        return plan
    table = title_selectors.current_table(year)
    if table is None:
        plan.errors.append(RowError(rules.TITLE_SCORES_SHEET, 1, "-",
                                    _("the year has no scoring table yet")))
        scores.errors = list(plan.errors)
        return plan
    items = {item.code: item for item in title_selectors.items_of(table)}
    numbers = set()
    for _number, values in scores.rows + lessons.rows:
        numbers.add(resident_id.normalize(wb.clean_text(values.get("resident_id"))))
    known = _staff_of_county(numbers, year.county_id)
    quotas = set(TitleQuota.objects.filter(year=year).values_list("school_id", "level"))
    schools = dict(School.objects.filter(pk__in={v[1] for v in known.values()})
                   .values_list("pk", "name"))
    existing = {c.staff_id: c for c in TitleCandidate.objects.filter(
        year=year, staff_id__in=[v[0] for v in known.values()])}
    seen: dict[tuple, int] = {}
    plan.rows = len(scores.rows)

    def wrong(sheet, number, columns, found):
        plan.cap.count(found)
        plan.errors.extend(RowError(sheet, number, columns[key], reason)
                           for key, reason in found)

    for number, values in scores.rows:
        if plan.cap.full(rules.TITLE_SCORES_SHEET, number):
            break
        problems: list = []
        rid = _resident(values, problems)
        staff = known.get(rid) if rid else None
        if rid and staff is None:
            problems.append(("resident_id", _("unknown staff member")))
        level = wb.clean_text(values.get("level"))
        if not level:
            problems.append(("level", _("required")))
        elif level not in TitleLevel.values:
            problems.append(("level", _("“%(value)s” is not a level; write one of %(words)s")
                             % {"value": wb.quoted(level),
                                "words": "、".join(TitleLevel.values)}))
            level = ""
        code = wb.clean_text(values.get("code"))
        item = items.get(code)
        if not code:
            problems.append(("code", _("required")))
        elif item is None:
            problems.append(("code", _("“%(value)s” is not an item of this year's table")
                             % {"value": wb.quoted(code)}))
        score = None
        if wb.clean_text(values.get("score")) == "":
            problems.append(("score", _("required")))
        elif item is not None:
            try:
                score = parse_points(values.get("score"), item.item_cap)
            except wb.ValueProblem as exc:
                problems.append(("score", str(exc)))
        evidence = wb.clean_text(values.get("evidence"))
        if len(evidence) > rules.TITLE_TEXT_MAX:
            problems.append(("evidence", _("longer than %(n)d characters")
                             % {"n": rules.TITLE_TEXT_MAX}))
        planned = plan.candidates.get(staff[0]) if staff else None
        if staff and level:
            if planned is not None and planned.level != level:
                problems.append(("level", _("one candidate under two levels: row %(row)d has "
                                            "%(level)s") % {"row": planned.first_row,
                                                            "level": planned.level}))
            elif planned is None:
                before = existing.get(staff[0])
                if (staff[1], level) not in quotas:
                    problems.append(("level", _("%(unit)s has no quota row for %(level)s")
                                     % {"unit": schools.get(staff[1], ""), "level": level}))
                elif before is not None and before.level != level:
                    problems.append(("level", _("declared for %(level)s")
                                     % {"level": before.level}))
                elif before is not None and before.state in (CandidateState.REFUSED,
                                                             CandidateState.WITHDRAWN):
                    problems.append(("resident_id", _("the declaration was %(state)s")
                                     % {"state": before.get_state_display()}))
                else:
                    planned = plan.candidates[staff[0]] = Planned(
                        staff[0], staff[2], staff[1], level, number, existing=before)
        if staff and item is not None:
            key = (staff[0], item.pk)
            if key in seen:
                problems.append(("code", _("the same candidate and item as row %(row)d")
                                 % {"row": seen[key]}))
            else:
                seen[key] = number
        if problems:
            wrong(rules.TITLE_SCORES_SHEET, number, S, problems)
            continue
        planned.items[item.pk] = (score, evidence)
    lesson_seen: dict[int, int] = {}
    in_scores = set()
    for _number, values in scores.rows:
        staff = known.get(resident_id.normalize(wb.clean_text(values.get("resident_id"))))
        if staff:
            in_scores.add(staff[0])
    for number, values in lessons.rows:
        if plan.cap.full(rules.TITLE_LESSON_SHEET, number):
            break
        problems = []
        rid = _resident(values, problems)
        staff = known.get(rid) if rid else None
        if rid and staff is None:
            problems.append(("resident_id", _("unknown staff member")))
        elif staff and staff[0] not in in_scores:
            problems.append(("resident_id", _("no row in sheet %(sheet)s: not a candidate")
                             % {"sheet": rules.TITLE_SCORES_SHEET}))
        elif staff and staff[0] in lesson_seen:
            problems.append(("resident_id", _("the same candidate as row %(row)d")
                             % {"row": lesson_seen[staff[0]]}))
        lesson = None
        if wb.clean_text(values.get("lesson")) == "":
            problems.append(("lesson", _("required")))
        else:
            try:
                lesson = parse_points(values.get("lesson"), rules.LESSON_MAX)
            except wb.ValueProblem as exc:
                problems.append(("lesson", str(exc)))
        if staff:
            lesson_seen.setdefault(staff[0], number)
        if problems:
            wrong(rules.TITLE_LESSON_SHEET, number, L, problems)
            continue
        if staff[0] in plan.candidates:
            plan.candidates[staff[0]].lesson = lesson
    for staff_id, planned in plan.candidates.items():
        if staff_id not in lesson_seen and not plan.cap.full(rules.TITLE_SCORES_SHEET,
                                                             planned.first_row):
            wrong(rules.TITLE_SCORES_SHEET, planned.first_row, S, [(
                "resident_id", _("no row in sheet %(sheet)s")
                % {"sheet": rules.TITLE_LESSON_SHEET})])
    scores.errors = [e for e in plan.errors if e.sheet == rules.TITLE_SCORES_SHEET]
    lessons.errors = [e for e in plan.errors if e.sheet == rules.TITLE_LESSON_SHEET]
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(rules.TITLE_SCORES_SHEET, 2, "-", _("the sheet has no rows")))
        scores.errors = list(plan.errors)
    if plan.ok:
        plan.dropped = (TitleCandidate.objects.filter(year=year, scores__isnull=False)
                        .exclude(staff_id__in=list(plan.candidates)).distinct().count())
    return plan


@dataclass
class ScoresWritten:
    created: int = 0  # candidacies the import made (the staff member had none)
    scores: int = 0  # score rows created or changed
    removed: int = 0  # score rows removed (items no longer scored; absent candidates)
    lessons: int = 0


@transaction.atomic
def scores_write(*, by, plan: ScoresPlan) -> ScoresWritten:
    """Write a checked plan: the year's scores become the file's, with history: rows
    created, changed or removed; lesson scores set; a staff member with no candidacy gets
    one (eligible: the unit's list on paper); candidates absent from the file lose their
    scores. Every ranking group touched has its revision put up."""
    year = TitleYear.objects.select_for_update().get(pk=plan.year.pk)
    _year_open(year)
    now = timezone.now()
    written = ScoresWritten()
    candidates = {c.staff_id: c for c in TitleCandidate.objects.select_for_update()
                  .filter(year=year)}
    new, checked = [], []
    titles = dict(Staff.objects.filter(pk__in=list(plan.candidates))
                  .values_list("pk", "title"))
    for staff_id, planned in plan.candidates.items():
        candidate = candidates.get(staff_id)
        if candidate is None:
            new.append(TitleCandidate(
                year=year, staff_id=staff_id, school_id=planned.school_id, level=planned.level,
                current_title=titles.get(staff_id, ""), state=CandidateState.ELIGIBLE,
                checked_by=by, checked_at=now, declared_by=by))
        elif candidate.state == CandidateState.DECLARED:
            candidate.state, candidate.checked_by, candidate.checked_at = (
                CandidateState.ELIGIBLE, by, now)
            checked.append(candidate)
    if new:
        bulk_create_with_history(new, TitleCandidate, batch_size=500, default_user=by,
                                 default_change_reason=IMPORT_REASON, default_date=now)
        written.created = len(new)
        candidates.update({c.staff_id: c for c in TitleCandidate.objects.filter(
            year=year, staff_id__in=[c.staff_id for c in new])})
    if checked:
        bulk_update_with_history(checked, TitleCandidate,
                                 ["state", "checked_by", "checked_at"], batch_size=500,
                                 default_user=by, default_change_reason=IMPORT_REASON,
                                 default_date=now)
    by_candidate = {candidates[s].pk: p for s, p in plan.candidates.items()}
    existing = {(s.candidate_id, s.item_id): s for s in TitleScore.objects.select_for_update()
                .filter(candidate__year=year)}
    touched: set[int] = set()
    create, update = [], []
    for candidate_id, planned in by_candidate.items():
        for item_id, (score, evidence) in planned.items.items():
            row = existing.get((candidate_id, item_id))
            if row is None:
                create.append(TitleScore(candidate_id=candidate_id, item_id=item_id,
                                         score=score, evidence=evidence, scored_by=by))
            elif row.score != score or row.evidence != evidence:
                row.score, row.evidence, row.scored_by = score, evidence, by
                update.append(row)
            else:
                continue
            touched.add(candidate_id)
    if create:
        bulk_create_with_history(create, TitleScore, batch_size=500, default_user=by,
                                 default_change_reason=IMPORT_REASON, default_date=now)
    if update:
        bulk_update_with_history(update, TitleScore, ["score", "evidence", "scored_by"],
                                 batch_size=500, default_user=by,
                                 default_change_reason=IMPORT_REASON, default_date=now)
    written.scores = len(create) + len(update)
    for (candidate_id, item_id), row in existing.items():
        planned = by_candidate.get(candidate_id)
        if planned is None or item_id not in planned.items:
            changes.set_history_user(row, by)
            row._change_reason = IMPORT_REASON
            row.delete()
            written.removed += 1
            touched.add(candidate_id)
    lessons = []
    for candidate in candidates.values():
        planned = by_candidate.get(candidate.pk)
        wanted = planned.lesson if planned is not None else None
        if planned is None and candidate.state != CandidateState.ELIGIBLE:
            continue
        if candidate.lesson_score != wanted:
            candidate.lesson_score = wanted
            lessons.append(candidate)
            touched.add(candidate.pk)
    if lessons:
        bulk_update_with_history(lessons, TitleCandidate, ["lesson_score"], batch_size=500,
                                 default_user=by, default_change_reason=IMPORT_REASON,
                                 default_date=now)
    written.lessons = len(lessons)
    keys = {(c.school_id, c.level) for c in candidates.values() if c.pk in touched}
    if keys:
        title_services.scores_changed(
            pk for pk, school_id, level in TitleQuota.objects.filter(year=year)
            .values_list("pk", "school_id", "level") if (school_id, level) in keys)
    return written


@dataclass
class ScoresResult:
    plan: ScoresPlan
    written: ScoresWritten | None

    @property
    def ok(self) -> bool:
        return self.plan.ok

    @property
    def error_lines(self) -> list[str]:
        return wb.error_lines(self.plan.errors)


def scores_import(*, by, year: TitleYear, data: bytes, dry_run: bool = False,
                  max_bytes: int | None = None) -> ScoresResult:
    """Import a title-scores workbook: all or nothing. Raises ``WorkbookError`` when the
    file as a whole is unreadable, ``ValidationError`` when the year is closed."""
    _year_open(year)
    workbook = wb.open_workbook(data, kind=_("title-scores workbook"), max_bytes=max_bytes)
    try:
        plan = scores_plan(year=year, workbook=workbook)
    finally:
        workbook.close()
    written = None
    if plan.ok and not dry_run:
        written = scores_write(by=by, plan=plan)
        log.info("title_scores_imported year=%s rows=%s", year.pk, plan.rows)
    return ScoresResult(plan=plan, written=written)


def _keep_preview(record: TitleScoreImport, plan: ScoresPlan) -> None:
    record.summary = plan.summary()
    record.preview = wb.errors_kept(plan.errors)
    if not plan.ok:
        record.errors_file.save("title-score-errors.xlsx", ContentFile(wb.error_workbook(
            [plan.scores, plan.lessons], error_header=rules.ERROR_HEADER,
            text_headers=rules.TITLE_TEXT_HEADERS)), save=False)


def import_upload(*, by, year: TitleYear, uploaded) -> tuple[TitleScoreImport, ScoresResult]:
    """Keep an uploaded workbook with its preview (a dry run) and error workbook."""
    if not access.is_county_office_of(by, year.county_id):
        raise PermissionDenied
    data = wb.read_upload(uploaded)
    result = scores_import(by=by, year=year, data=data, dry_run=True)
    record = TitleScoreImport(
        year=year, original_name=os.path.basename(uploaded.name)[:255], uploaded_by=by,
        status=(TitleScoreImport.Status.PREVIEWED if result.ok
                else TitleScoreImport.Status.REJECTED))
    _keep_preview(record, result.plan)
    record.file.save("title-scores.xlsx", ContentFile(data), save=False)
    record.save()
    return record, result


def import_commit(*, by, record: TitleScoreImport) -> ScoresResult:
    """Import a previewed upload once confirmed: under a row lock (a double submit
    imports once), checked again (the candidacies may have changed)."""
    result = uploads.kept_upload_commit(
        TitleScoreImport, record.pk, by=by,
        allowed=lambda kept: access.is_county_office_of(by, kept.year.county_id),
        run=lambda kept, data: scores_import(by=by, year=kept.year, data=data),
        keep=_keep_preview)
    record.refresh_from_db()
    return result


def template_bytes(year: TitleYear) -> bytes:
    """The import's template: the two sheets' headers and the year's items listed."""
    S = list(rules.TITLE_SCORES_COLUMNS.values())
    L = list(rules.TITLE_LESSON_COLUMNS.values())
    items: list[TitleItem] = title_selectors.items_of(title_selectors.current_table(year))
    return wb.workbook_bytes([
        wb.SheetSpec(rules.TITLE_SCORES_SHEET, S, [], text_columns=rules.TITLE_TEXT_HEADERS,
                     required=frozenset(S[:4])),
        wb.SheetSpec(rules.TITLE_LESSON_SHEET, L, [], text_columns=rules.TITLE_TEXT_HEADERS,
                     required=frozenset(L)),
        wb.SheetSpec("评分细则", ["项目编号", "类别", "项目", "单项上限", "类别上限"],
                     [[i.code, i.group, i.text, i.item_cap, i.group_cap] for i in items],
                     text_columns=frozenset({"项目编号"})),
    ])
