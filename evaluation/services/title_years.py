"""Changes of the title part ``title_years`` (R12; shared/spec/title-scoring.md): the
county office's year, the scoring table imported as data (versioned), the post and
recommendation quotas with extra quotas, the five publics with the public's objections,
and the county committee's final decision, which closes the year (every change here is
refused after it)."""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluation import access, rules
from evaluation.models import (
    TitleDocument,
    TitleExtraAllocation,
    TitleExtraQuota,
    TitleFinalDecision,
    TitleItem,
    TitleLevel,
    TitlePublication,
    TitlePublicObjection,
    TitleQuota,
    TitleRatio,
    TitleSummary,
    TitleTable,
    TitleTableImport,
    TitleYear,
    YearState,
)
from evaluation.selectors import title_years as year_selectors
from schools.models import County, School, Staff
from staffing import changes, uploads
from staffing import workbook as wb
from staffing.workbook import RowError

log = logging.getLogger(__name__)

# Stored untranslated in history; pages translate them when they show them.
TABLE_REASON = gettext_noop("scoring table imported (职数 sheet)")
COMPUTE_REASON = gettext_noop("quotas computed from the ratios (1:1)")
EXTRA_REASON = gettext_noop("extra quota allocated")
CLOSE_REASON = gettext_noop("closed by the county committee's final decision")

_NUMBER_TEXT = re.compile(r"[+-]?[0-9]{1,7}(?:\.[0-9]+)?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
LEVELS = tuple(TitleLevel.values)


def _open(year: TitleYear) -> None:
    changes.refuse(rules.title_year_closed_refusal(year.state == YearState.OPEN))


def _county_office(by, year: TitleYear) -> None:
    if by is not None and not access.is_county_office_of(by, year.county_id):
        raise PermissionDenied


def _locked_year(by, year: TitleYear) -> TitleYear:
    """The year, locked, checked open and the login its county office."""
    _county_office(by, year)
    locked = TitleYear.objects.select_for_update().get(pk=year.pk)
    _open(locked)
    return locked


scores_exist = year_selectors.scores_exist


# ---- the year -----------------------------------------------------------------------------


@transaction.atomic
def year_create(*, by, county: County, year: int, quantitative_share: Decimal,
                lesson_share: Decimal) -> TitleYear:
    if not access.is_county_office_of(by, county.pk):
        raise PermissionDenied
    changes.refuse(rules.title_shares_refusal(quantitative_share, lesson_share))
    if TitleYear.objects.filter(county=county, year=year).exists():
        raise ValidationError(_("%(county)s already has a title evaluation for %(year)d.")
                              % {"county": county.name, "year": year})
    record = TitleYear(county=county, year=year, quantitative_share=quantitative_share,
                       lesson_share=lesson_share, created_by=by)
    try:
        with transaction.atomic():
            changes.save(record, by)
    except IntegrityError:
        raise ValidationError(_("%(county)s already has a title evaluation for %(year)d.")
                              % {"county": county.name, "year": year}) from None
    return record


@transaction.atomic
def year_shares_set(*, by, year: TitleYear, quantitative_share: Decimal,
                    lesson_share: Decimal) -> bool:
    """The year's shares of the total; refused once scores are entered (the totals would
    change under the candidates' acknowledgements)."""
    locked = _locked_year(by, year)
    changes.refuse(rules.title_shares_refusal(quantitative_share, lesson_share))
    if (locked.quantitative_share, locked.lesson_share) == (quantitative_share, lesson_share):
        return False
    if scores_exist(locked):
        raise ValidationError(_("Scores have been entered for this year: its shares can no "
                                "longer change."))
    locked.quantitative_share, locked.lesson_share = quantitative_share, lesson_share
    changes.save(locked, by, ["quantitative_share", "lesson_share"])
    year.refresh_from_db()
    return True


# ---- the scoring table: import_title_table (spec) ---------------------------------------


def parse_points(value, *, maximum: Decimal = rules.TITLE_CAP_MAX) -> Decimal:
    """A number ≥ 0 with two decimals at most, read with bounded work (text of at most
    20 characters, a finite float)."""
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if math.isfinite(value):
            number = Decimal(repr(value)) if abs(value) < 1e9 else maximum + 1
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
    if number < 0:
        raise wb.ValueProblem(_("must be at least 0"))
    if number != number.quantize(Decimal("0.01")):
        raise wb.ValueProblem(_("at most two decimals"))
    if number > maximum:
        raise wb.ValueProblem(_("must be at most %(max)s") % {"max": maximum})
    return number.quantize(Decimal("0.01"))


@dataclass
class TablePlan:
    year: TitleYear
    items_sheet: wb.SheetRows
    quotas_sheet: wb.SheetRows
    items: list[dict] = field(default_factory=list)
    quotas: list[dict] = field(default_factory=list)  # school_id, school, level, recommended
    errors: list[RowError] = field(default_factory=list)
    refusal: str = ""  # the whole import refused (scores entered, year closed)
    cap: wb.ErrorCap = field(default_factory=wb.ErrorCap)
    replaces: int = 0  # the version replaced (0: the first table)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.refusal

    @property
    def wrong_rows(self) -> int:
        return len({(e.sheet, e.row) for e in self.errors})

    def summary(self) -> dict:
        groups: dict[str, dict] = {}
        for item in self.items:
            group = groups.setdefault(item["group"], {"name": item["group"], "items": 0,
                                                      "cap": item["group_cap"]})
            group["items"] += 1
        return {
            "items": len(self.items), "quotas": len(self.quotas),
            "groups": list(groups.values()), "replaces": self.replaces,
            "rows": len(self.items) + len(self.quotas), "errors": len(self.errors),
            "wrong_rows": self.wrong_rows, "refusal": self.refusal,
            "stopped": self.cap.notice(),
            "item_rows": [[i["code"], i["group"], i["text"], i["item_cap"], i["group_cap"]]
                          for i in self.items[:200]],
            "quota_rows": [[q["school"], q["level"], q["recommended"]]
                           for q in self.quotas[:500]],
        }


def _text(values, key, problems, maximum, *, required=True) -> str:
    text = wb.clean_text(values.get(key))
    if not text:
        if required:
            problems.append((key, _("required")))
    elif len(text) > maximum:
        problems.append((key, _("longer than %(n)d characters") % {"n": maximum}))
    return text


def _errors(plan: TablePlan, sheet: wb.SheetRows, columns: dict, number: int, problems):
    for key, reason in problems:
        error = RowError(sheet.name, number, columns[key], reason)
        plan.errors.append(error)
        sheet.errors.append(error)
    plan.cap.count(problems)


def _read_items(plan: TablePlan) -> None:
    sheet, columns = plan.items_sheet, rules.TITLE_ITEM_COLUMNS
    codes: dict[str, int] = {}
    group_caps: dict[str, tuple[Decimal | None, int]] = {}
    for number, values in sheet.rows:
        if plan.cap.full(sheet.name, number):
            break
        problems: list = []
        code = _text(values, "code", problems, 20)
        group = _text(values, "group", problems, 30)
        text = _text(values, "text", problems, 500)
        item_cap = group_cap = None
        if wb.clean_text(values.get("item_cap")) == "":
            problems.append(("item_cap", _("required")))
        else:
            try:
                item_cap = parse_points(values.get("item_cap"))
            except wb.ValueProblem as exc:
                problems.append(("item_cap", str(exc)))
        cap_given = wb.clean_text(values.get("group_cap")) != ""
        cap_ok = True
        if cap_given:
            try:
                group_cap = parse_points(values.get("group_cap"))
            except wb.ValueProblem as exc:
                problems.append(("group_cap", str(exc)))
                cap_ok = False
        if code and code in codes:
            problems.append(("code", _("“%(code)s” is already on row %(row)d")
                             % {"code": wb.quoted(code), "row": codes[code]}))
        elif code:
            codes[code] = number
        if group and cap_ok:
            if group in group_caps:
                first, first_row = group_caps[group]
                if first != group_cap:
                    problems.append(("group_cap", _(
                        "the group's cap differs from row %(row)d (%(cap)s): give the same "
                        "类别上限 on every row of a group, or none")
                        % {"row": first_row, "cap": first if first is not None else "—"}))
            else:
                group_caps[group] = (group_cap, number)
        if problems:
            _errors(plan, sheet, columns, number, problems)
        else:
            plan.items.append({"code": code, "group": group, "text": text,
                               "item_cap": str(item_cap),
                               "group_cap": None if group_cap is None else str(group_cap),
                               "position": len(plan.items)})
    if not sheet.errors and not sheet.rows:
        error = RowError(sheet.name, 2, columns["code"], _("the table has no item"))
        plan.errors.append(error)
        sheet.errors.append(error)


def _schools_by_name(county_id: int) -> dict[str, list[School]]:
    found: dict[str, list[School]] = {}
    for school in School.objects.filter(township__county_id=county_id).only("pk", "name"):
        found.setdefault(school.name, []).append(school)
    return found


def _read_quotas(plan: TablePlan) -> None:
    sheet, columns = plan.quotas_sheet, rules.TITLE_QUOTA_COLUMNS
    schools = _schools_by_name(plan.year.county_id)
    # The extra places a unit and level already hold: its quota may not go below them,
    # as on the quota's own page (rules.title_recommended_after_extra_refusal).
    extras = {
        (school_id, level): n for school_id, level, n in
        TitleExtraAllocation.objects.filter(extra__year=plan.year)
        .values("quota__school_id", "quota__level").annotate(n=Sum("count"))
        .values_list("quota__school_id", "quota__level", "n")}
    seen: dict[tuple, int] = {}
    for number, values in sheet.rows:
        if plan.cap.full(sheet.name, number):
            break
        problems: list = []
        name = _text(values, "school", problems, 100)
        school = None
        if name:
            matches = schools.get(name, [])
            if not matches:
                problems.append(("school", _("“%(name)s” is not a school of %(county)s")
                                 % {"name": wb.quoted(name), "county": plan.year.county.name}))
            elif len(matches) > 1:
                problems.append(("school", _("more than one school of the county is called "
                                             "“%(name)s”") % {"name": wb.quoted(name)}))
            else:
                school = matches[0]
        level = wb.clean_text(values.get("level"))
        if not level:
            problems.append(("level", _("required")))
        elif level not in LEVELS:
            problems.append(("level", _("“%(value)s” is not a level; write one of %(words)s")
                             % {"value": wb.quoted(level), "words": "、".join(LEVELS)}))
        recommended = None
        try:
            recommended = wb.parse_whole_number(values.get("recommended"), minimum=0,
                                                maximum=rules.TITLE_QUOTA_MAX)
        except wb.ValueProblem as exc:
            problems.append(("recommended", str(exc) if wb.clean_text(
                values.get("recommended")) else _("required")))
        if school is not None and level in LEVELS:
            key = (school.pk, level)
            refusal = recommended is not None and rules.title_recommended_after_extra_refusal(
                recommended, extras.get(key, 0))
            if refusal:
                problems.append(("recommended", refusal))
            if key in seen:
                problems.append(("school", _("this unit and level are already on row %(row)d")
                                 % {"row": seen[key]}))
            else:
                seen[key] = number
        if problems:
            _errors(plan, sheet, columns, number, problems)
        else:
            plan.quotas.append({"school_id": school.pk, "school": school.name, "level": level,
                                "recommended": recommended})


def table_plan(*, year: TitleYear, workbook) -> TablePlan:
    """Read and check both sheets; nothing is written."""
    items_sheet = wb.read_sheet(workbook, rules.TITLE_ITEMS_SHEET, rules.TITLE_ITEM_COLUMNS,
                                rules.TITLE_ITEM_REQUIRED, max_rows=rules.TITLE_ITEM_MAX_ROWS)
    quotas_sheet = wb.read_sheet(workbook, rules.TITLE_QUOTAS_SHEET, rules.TITLE_QUOTA_COLUMNS,
                                 tuple(rules.TITLE_QUOTA_COLUMNS),
                                 max_rows=rules.TITLE_QUOTA_MAX_ROWS)
    plan = TablePlan(year=year, items_sheet=items_sheet, quotas_sheet=quotas_sheet,
                     errors=list(items_sheet.errors) + list(quotas_sheet.errors))
    refusal = (rules.title_year_closed_refusal(year.is_open)
               or rules.title_table_replace_refusal(scores_exist(year)))
    plan.refusal = refusal or ""
    plan.replaces = year.tables.order_by("-version").values_list("version", flat=True).first() \
        or 0
    if not items_sheet.errors:
        _read_items(plan)
    if not quotas_sheet.errors:
        _read_quotas(plan)
    return plan


def _quotas_write(*, by, year: TitleYear, rows: list[dict], reason: str) -> int:
    """Set each listed unit and level's recommendation quota (TitleQuota.recommended),
    creating the quota where there is none; with history. Returns the quotas changed."""
    existing = {(q.school_id, q.level): q for q in TitleQuota.objects.filter(year=year)}
    new, changed = [], []
    for row in rows:
        quota = existing.get((row["school_id"], row["level"]))
        if quota is None:
            new.append(TitleQuota(year=year, school_id=row["school_id"], level=row["level"],
                                  recommended=row["recommended"]))
        elif quota.recommended != row["recommended"]:
            quota.recommended = row["recommended"]
            changed.append(quota)
    now = timezone.now()
    if new:
        bulk_create_with_history(new, TitleQuota, batch_size=500, default_user=by,
                                 default_change_reason=reason, default_date=now)
    if changed:
        bulk_update_with_history(changed, TitleQuota, ["recommended"], batch_size=500,
                                 default_user=by, default_change_reason=reason,
                                 default_date=now)
    return len(new) + len(changed)


@dataclass
class TableResult:
    plan: TablePlan
    table: TitleTable | None = None
    quotas_changed: int = 0

    @property
    def ok(self) -> bool:
        return self.plan.ok

    @property
    def error_lines(self) -> list[str]:
        lines = [self.plan.refusal] if self.plan.refusal else []
        return lines + wb.error_lines(self.plan.errors)


def table_import(*, by, year: TitleYear, data: bytes, file_name: str = "",
                 dry_run: bool = False, max_bytes: int | None = None) -> TableResult:
    """Import a scoring-table workbook for the year: all or nothing. A new version of the
    table (the old ones kept); refused once a score of the year exists. Raises
    ``WorkbookError`` for a file that cannot be read as a whole."""
    _county_office(by, year)
    workbook = wb.open_workbook(data, kind=_("scoring-table workbook"), max_bytes=max_bytes)
    try:
        plan = table_plan(year=year, workbook=workbook)
    finally:
        workbook.close()
    result = TableResult(plan=plan)
    if not plan.ok or dry_run:
        return result
    with transaction.atomic():
        locked = TitleYear.objects.select_for_update().get(pk=year.pk)
        _open(locked)
        changes.refuse(rules.title_table_replace_refusal(scores_exist(locked)))
        version = (locked.tables.order_by("-version").values_list("version", flat=True)
                   .first() or 0) + 1
        table = TitleTable.objects.create(year=locked, version=version,
                                          file_name=file_name[:255], imported_by=by)
        TitleItem.objects.bulk_create(
            TitleItem(table=table, code=i["code"], group=i["group"], text=i["text"],
                      item_cap=Decimal(i["item_cap"]),
                      group_cap=None if i["group_cap"] is None else Decimal(i["group_cap"]),
                      position=i["position"]) for i in plan.items)
        result.quotas_changed = _quotas_write(by=by, year=locked, rows=plan.quotas,
                                              reason=TABLE_REASON)
        result.table = table
    log.info("title_table_imported year=%s version=%s items=%s", year.pk, version,
             len(plan.items))
    return result


def _keep_preview(record: TitleTableImport, plan: TablePlan) -> None:
    record.summary = plan.summary()
    record.preview = wb.errors_kept(plan.errors)
    if plan.errors:
        record.errors_file.save("title-table-errors.xlsx", ContentFile(wb.error_workbook(
            [plan.items_sheet, plan.quotas_sheet], error_header=rules.TITLE_ERROR_HEADER)),
            save=False)


def table_upload(*, by, year: TitleYear, uploaded) -> tuple[TitleTableImport, TableResult]:
    """Keep an uploaded table workbook with its preview (a dry run) and error workbook."""
    _county_office(by, year)
    _open(year)
    data = wb.read_upload(uploaded)
    name = os.path.basename(uploaded.name)[:255]
    result = table_import(by=by, year=year, data=data, file_name=name, dry_run=True)
    record = TitleTableImport(year=year, original_name=name,
                              status=(TitleTableImport.Status.PREVIEWED if result.ok
                                      else TitleTableImport.Status.REJECTED),
                              uploaded_by=by)
    _keep_preview(record, result.plan)
    record.file.save("title-table.xlsx", ContentFile(data), save=False)
    record.save()
    return record, result


def table_commit(*, by, record: TitleTableImport) -> TableResult:
    """Import a previewed upload once confirmed: under a row lock (a double submit
    imports once), checked again (a score may have been entered since)."""
    result = uploads.kept_upload_commit(
        TitleTableImport, record.pk, by=by,
        allowed=lambda kept: access.is_county_office_of(by, kept.year.county_id),
        run=lambda kept, data: table_import(by=by, year=kept.year, data=data,
                                            file_name=kept.original_name),
        keep=_keep_preview)
    record.refresh_from_db()
    return result


# ---- quotas ---------------------------------------------------------------------------


def unit_facts(year: TitleYear) -> dict[int, dict]:
    """Per unit of the county: its staff count and, per level, the staff holding it (two
    queries)."""
    facts: dict[int, dict] = {}
    for school_id, n in (Staff.objects.filter(school__township__county_id=year.county_id)
                         .values("school_id").annotate(n=Count("pk"))
                         .values_list("school_id", "n")):
        facts[school_id] = {"staff": n, "held": {}}
    for school_id, title, n in (
            Staff.objects.filter(school__township__county_id=year.county_id, title__in=LEVELS)
            .values("school_id", "title").annotate(n=Count("pk"))
            .values_list("school_id", "title", "n")):
        facts.setdefault(school_id, {"staff": 0, "held": {}})["held"][title] = n
    return facts


@transaction.atomic
def ratios_set(*, by, year: TitleYear, ratios: dict[str, Decimal | None]) -> int:
    """The county office's ratio per level (None: the level is not computed). Returns the
    ratios changed (each with history)."""
    locked = _locked_year(by, year)
    existing = {r.level: r for r in TitleRatio.objects.select_for_update().filter(year=locked)}
    changed = 0
    for level, ratio in ratios.items():
        if level not in LEVELS:
            continue
        if ratio is not None and not (0 <= ratio <= 1):
            raise ValidationError(_("A ratio is from 0 to 1."))
        row = existing.get(level)
        if row is None:
            if ratio is None:
                continue
            row = TitleRatio(year=locked, level=level, ratio=ratio)
        elif row.ratio == ratio:
            continue
        row.ratio = ratio
        changes.save(row, by)
        changed += 1
    return changed


def extra_allocated(year: TitleYear) -> dict[int, int]:
    """quota id → the extra places allocated to it."""
    return dict(TitleExtraAllocation.objects.filter(extra__year=year).values("quota_id")
                .annotate(n=Sum("count")).values_list("quota_id", "n"))


@transaction.atomic
def quotas_compute(*, by, year: TitleYear, dry_run: bool = False) -> int:
    """Every unit of the county, at every level with a ratio: the post quota is
    floor(staff × ratio), the recommendation quota 1:1 (one place per vacant post: posts
    minus the staff holding the level, never below 0) plus the extra places allocated to
    it. Quotas edited by hand are computed again (the page asks to confirm first, with
    the count a ``dry_run`` gives). Returns the quotas created or changed."""
    locked = _locked_year(by, year)
    ratios = {r.level: r.ratio for r in TitleRatio.objects.filter(year=locked,
                                                                  ratio__isnull=False)}
    if not ratios:
        raise ValidationError(_("Enter a ratio for at least one level first."))
    facts = unit_facts(locked)
    extras = extra_allocated(locked)
    existing = {(q.school_id, q.level): q
                for q in TitleQuota.objects.select_for_update().filter(year=locked)}
    new, changed = [], []
    schools = School.objects.filter(township__county_id=locked.county_id).values_list(
        "pk", flat=True)
    for school_id in schools:
        fact = facts.get(school_id, {"staff": 0, "held": {}})
        for level, ratio in ratios.items():
            posts = rules.title_posts(fact["staff"], ratio)
            quota = existing.get((school_id, level))
            extra = extras.get(quota.pk, 0) if quota is not None else 0
            recommended = rules.title_one_to_one(posts, fact["held"].get(level, 0)) + extra
            if quota is None:
                new.append(TitleQuota(year=locked, school_id=school_id, level=level,
                                      posts=posts, recommended=recommended))
            elif (quota.posts, quota.recommended) != (posts, recommended):
                quota.posts, quota.recommended = posts, recommended
                changed.append(quota)
    if dry_run:
        return len(new) + len(changed)
    now = timezone.now()
    if new:
        bulk_create_with_history(new, TitleQuota, batch_size=500, default_user=by,
                                 default_change_reason=COMPUTE_REASON, default_date=now)
    if changed:
        bulk_update_with_history(changed, TitleQuota, ["posts", "recommended"],
                                 batch_size=500, default_user=by,
                                 default_change_reason=COMPUTE_REASON, default_date=now)
    return len(new) + len(changed)


@transaction.atomic
def quota_set(*, by, quota: TitleQuota, posts: int, recommended: int) -> bool:
    """One unit and level's quotas edited by the county office, with history. A ranking
    reads ``recommended`` live, so its candidates' ranks stand and only the line of
    recommendation moves."""
    _locked_year(by, quota.year)
    locked = TitleQuota.objects.select_for_update().get(pk=quota.pk)
    extra = extra_allocated(quota.year).get(quota.pk, 0)
    changes.refuse(rules.title_recommended_after_extra_refusal(recommended, extra))
    if (locked.posts, locked.recommended) == (posts, recommended):
        return False
    locked.posts, locked.recommended = posts, recommended
    changes.save(locked, by, ["posts", "recommended"])
    quota.posts, quota.recommended = posts, recommended
    return True


@transaction.atomic
def extra_create(*, by, year: TitleYear, level: str, count: int, document_number: str,
                 date, note: str = "") -> TitleExtraQuota:
    locked = _locked_year(by, year)
    extra = TitleExtraQuota(year=locked, level=level, count=count,
                            document_number=document_number, date=date, note=note,
                            created_by=by)
    changes.save(extra, by)
    return extra


@transaction.atomic
def extra_allocate(*, by, extra: TitleExtraQuota, counts: dict[int, int]) -> int:
    """The office's allocation of an extra quota: quota id → places (0 takes them back). The
    places never add up to more than granted; each unit's recommendation quota moves by
    the difference, with history. Returns the units whose places changed."""
    _locked_year(by, extra.year)
    locked = TitleExtraQuota.objects.select_for_update().get(pk=extra.pk)
    quotas = {q.pk: q for q in TitleQuota.objects.select_for_update().filter(
        year_id=locked.year_id, level=locked.level, pk__in=list(counts))}
    if set(counts) - set(quotas):
        raise ValidationError(_("A unit of another level or year was given."))
    current = {a.quota_id: a for a in locked.allocations.all()}
    wanted = {qid: current[qid].count if qid in current else 0 for qid in current}
    for qid, n in counts.items():
        if n < 0:
            raise ValidationError(_("Places are a whole number from 0."))
        wanted[qid] = n
    changes.refuse(rules.title_extra_allocation_refusal(locked.count, sum(wanted.values())))
    changed = 0
    for qid, n in counts.items():
        row = current.get(qid)
        before = row.count if row is not None else 0
        if n == before:
            continue
        quota = quotas[qid]
        quota.recommended = max(quota.recommended + n - before, 0)
        quota._change_reason = EXTRA_REASON
        changes.save(quota, by, ["recommended"])
        row = row or TitleExtraAllocation(extra=locked, quota=quota)
        row.count = n  # 0 is kept, so the allocation's history stays
        changes.save(row, by)
        changed += 1
    return changed


# ---- five publics ---------------------------------------------------------------------


@transaction.atomic
def document_save(*, by, year: TitleYear, document: TitleDocument) -> TitleDocument:
    _locked_year(by, year)
    if document.year_id != year.pk:
        raise PermissionDenied
    changes.save(document, by)
    return document


@transaction.atomic
def summary_save(*, by, year: TitleYear, candidate, text: str, published: bool) -> bool:
    """The county's published text of a candidate's main materials."""
    _locked_year(by, year)
    if candidate.year_id != year.pk:
        raise PermissionDenied
    row = TitleSummary.objects.select_for_update().filter(candidate=candidate).first()
    if row is not None and (row.text, row.published) == (text, published):
        return False
    row = row or TitleSummary(candidate=candidate)
    row.text, row.published = text, published
    changes.save(row, by)
    return True


@transaction.atomic
def publication_set(*, by, year: TitleYear, quotas: bool, method: bool, results: bool
                    ) -> bool:
    _locked_year(by, year)
    row = TitlePublication.objects.select_for_update().filter(year=year).first() \
        or TitlePublication(year=year)
    if row.pk and (row.quotas, row.method, row.results) == (quotas, method, results):
        return False
    row.quotas, row.method, row.results = quotas, method, results
    changes.save(row, by)
    return True


def client_key(address: str) -> str:
    """A sender as the abuse limit counts them: a salted hash of the client address (the
    address itself is not kept)."""
    salt = django_settings.SECRET_KEY.encode()
    return hashlib.sha256(salt + b"title-objection:" + (address or "").encode()).hexdigest()


@transaction.atomic
def objection_submit(*, year: TitleYear, text: str, name: str = "", contact: str = "",
                     address: str = "") -> TitlePublicObjection:
    """An objection from the public page (no login): bounded length, at most
    TITLE_OBJECTIONS_PER_HOUR an hour from one sender and TITLE_OBJECTIONS_PER_DAY a day
    for the year."""
    locked = TitleYear.objects.select_for_update().get(pk=year.pk)
    _open(locked)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your objection."))
    if len(text) > rules.TITLE_OBJECTION_MAX:
        raise ValidationError(_("An objection is at most %(n)d characters.")
                              % {"n": rules.TITLE_OBJECTION_MAX})
    key = client_key(address)
    now = timezone.now()
    recent = TitlePublicObjection.objects.filter(year=locked)
    changes.refuse(rules.title_objection_limit_refusal(
        recent.filter(client_key=key, submitted_at__gte=now - timedelta(hours=1)).count(),
        recent.filter(submitted_at__gte=now - timedelta(days=1)).count()))
    objection = TitlePublicObjection(year=locked, text=text, name=name.strip()[:50],
                                     contact=contact.strip()[:100], client_key=key)
    objection.save()
    return objection


@transaction.atomic
def objection_answer(*, by, objection: TitlePublicObjection, answer: str,
                     published: bool) -> bool:
    """The county office's answer (who, when kept), published when it chooses."""
    _locked_year(by, objection.year)
    locked = TitlePublicObjection.objects.select_for_update().get(pk=objection.pk)
    answer = answer.strip()
    if published and not answer:
        raise ValidationError(_("Answer the objection before publishing it."))
    if (locked.answer, locked.published) == (answer, published):
        return False
    if locked.answer != answer:
        locked.answered_by, locked.answered_at = by, timezone.now()
    locked.answer, locked.published = answer, published
    changes.save(locked, by)
    objection.refresh_from_db()
    return True


# ---- the final decision ---------------------------------------------------------------


@transaction.atomic
def year_close(*, by, year: TitleYear, document_number: str, reason: str
               ) -> TitleFinalDecision:
    """The county committee's final decision: recorded (who, when, the document or the
    decision), the year closed; nothing of it changes after."""
    locked = _locked_year(by, year)
    document_number, reason = document_number.strip(), reason.strip()
    if not document_number and not reason:
        raise ValidationError(_("Give the decision's document number or its text."))
    decision = TitleFinalDecision(year=locked, document_number=document_number[:100],
                                  reason=reason[:1000], decided_by=by)
    changes.save(decision, by)
    locked.state = YearState.CLOSED
    locked._change_reason = CLOSE_REASON
    changes.save(locked, by, ["state"])
    year.state = YearState.CLOSED
    return decision

