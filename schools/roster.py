"""The roster workbook (教职工花名册) of spec/roster.md: read, validate, plan, export.

``roster_plan`` reads both sheets, checks every row and works out what would change,
with a fixed number of queries whatever the row count; it writes nothing. The services
``roster_apply`` (a clean plan written in bulk inside one transaction, with history) and
``roster_import`` (both joined, for the command, the browser page and the demo data) are
in ``services.py``, which also opens and ends the leadership positions the plan names.
"""

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import fields, resources

from staffing import workbook as wb
from staffing.workbook import RowError, ValueProblem

from . import resident_id
from .models import (
    ROSTER_ASSIGNMENT_KIND_LABELS,
    ROSTER_KIND_LABELS,
    ROSTER_SEX_LABELS,
    Assignment,
    Position,
    School,
    Staff,
    Township,
)

SCHOOL_SHEET = "学校"
STAFF_SHEET = "教职工"
# A third sheet, beside spec/roster.md's two (which stay exactly as the spec says, and
# the import reads only them): each assignment a cycle's outcome made, current and past.
ASSIGNMENT_SHEET = "上岗记录"
ASSIGNMENT_HEADERS = ["姓名", "身份证号", "竞聘学年", "变动", "原学校", "上岗学校", "人员类别",
                      "岗位", "辅助岗", "说明", "起始日期", "截止日期"]
SCHOOL_COLUMNS = {
    "name": "学校名称",
    "kind": "学校类型",
    "remote": "是否偏远",
    "establishment": "编制数",
}
SCHOOL_REQUIRED = ("name", "kind", "establishment")
STAFF_COLUMNS = {
    "name": "姓名",
    "resident_id": "身份证号",
    "sex": "性别",
    "birth_date": "出生日期",
    "school": "所在学校",
    "subject": "任教学科",
    "education": "学历",
    "title": "职称",
    "work_start": "参加工作时间",
    "position": "现任职务",
    "phone": "联系电话",
}
STAFF_REQUIRED = ("name", "resident_id", "school")
# Optional columns that, when absent from the sheet, leave the stored value alone.
STAFF_OPTIONAL_FIELDS = ("subject", "education", "title", "work_start", "phone")
KIND_BY_LABEL = {label: kind for kind, label in ROSTER_KIND_LABELS.items()}
SEX_BY_LABEL = {label: sex for sex, label in ROSTER_SEX_LABELS.items()}
SCHOOL_FIELDS = ("kind", "remote", "establishment")
STAFF_FIELDS = ("name", "sex", "birth_date", "school", *STAFF_OPTIONAL_FIELDS)

# 编制数: a school's established posts; a county's largest school has a few hundred.
MAX_ESTABLISHMENT = 10_000
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3}[- ]?)?\d{7,8}([- ]\d{1,6})?$")
_CJK_NAME = re.compile(r"^[\u3400-\u9fff\u00b7\s\u3000]+$")
# Stored untranslated in history; pages translate it when they show it.
IMPORT_REASON = gettext_noop("roster import")


@dataclass
class Change:
    """One object the import would create or update, with its changed fields."""

    label: str
    sheet: str
    row: int
    fields: dict = field(default_factory=dict)  # field → (old, new) for display


@dataclass
class RosterPlan:
    township: Township
    school_sheet: wb.SheetRows
    staff_sheet: wb.SheetRows
    errors: list[RowError] = field(default_factory=list)
    schools_new: list[School] = field(default_factory=list)
    schools_changed: list[tuple[School, list[str]]] = field(default_factory=list)
    staff_new: list[Staff] = field(default_factory=list)
    staff_changed: list[tuple[Staff, list[str]]] = field(default_factory=list)
    # resident ID → position title wanted ('' for none), where the column is present
    positions_wanted: dict[str, str] = field(default_factory=dict)
    positions_to_close: list[Position] = field(default_factory=list)
    positions_to_open: list[tuple[str, str]] = field(default_factory=list)  # (ID, title)
    changes: list[Change] = field(default_factory=list)
    unchanged_schools: int = 0
    unchanged_staff: int = 0
    cap: wb.ErrorCap = field(default_factory=wb.ErrorCap)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {
            "schools_created": len(self.schools_new),
            "schools_updated": len(self.schools_changed),
            "schools_unchanged": self.unchanged_schools,
            "staff_created": len(self.staff_new),
            "staff_updated": len(self.staff_changed),
            "staff_unchanged": self.unchanged_staff,
            "positions_opened": len(self.positions_to_open),
            "positions_closed": len(self.positions_to_close),
            "errors": len(self.errors),
            "wrong_rows": len({(e.sheet, e.row) for e in self.errors}),
            "stopped": self.cap.notice(),
        }


def _text(value) -> str:
    return wb.clean_text(value)


def _name(value) -> str:
    text = _text(value)
    # Rosters pad two-character names for alignment ("王　芳"): inside a Chinese
    # name a space is padding, never part of the name.
    if _CJK_NAME.match(text):
        text = re.sub(r"[\s\u3000]", "", text)
    return text


def _phone(value) -> str:
    text = _text(value)
    if text and not (_MOBILE.match(text) or _LANDLINE.match(text)):
        raise ValueProblem(_("“%(value)s” is neither an 11-digit mobile nor a landline number")
                           % {"value": wb.quoted(text)})
    return text


def roster_read(workbook) -> tuple[wb.SheetRows, wb.SheetRows]:
    """Both sheets; a workbook without a 学校 sheet is read as staff only."""
    if SCHOOL_SHEET in workbook.sheetnames:
        schools = wb.read_sheet(workbook, SCHOOL_SHEET, SCHOOL_COLUMNS, SCHOOL_REQUIRED)
    else:
        schools = wb.SheetRows(name=SCHOOL_SHEET)
    staff = wb.read_sheet(workbook, STAFF_SHEET, STAFF_COLUMNS, STAFF_REQUIRED)
    return schools, staff


def roster_plan(*, township: Township, workbook) -> RosterPlan:
    """Validate every row and work out the changes; writes nothing."""
    school_sheet, staff_sheet = roster_read(workbook)
    plan = RosterPlan(township=township, school_sheet=school_sheet, staff_sheet=staff_sheet)
    plan.errors.extend(school_sheet.errors + staff_sheet.errors)
    if plan.errors:
        return plan
    schools_by_name = _plan_schools(plan)
    _plan_staff(plan, schools_by_name)
    school_sheet.errors = [e for e in plan.errors if e.sheet == SCHOOL_SHEET]
    staff_sheet.errors = [e for e in plan.errors if e.sheet == STAFF_SHEET]
    return plan


def _plan_schools(plan: RosterPlan) -> dict[str, School]:
    existing = {s.name: s for s in School.objects.filter(township=plan.township)}
    seen: dict[str, int] = {}
    for number, values in plan.school_sheet.rows:
        if plan.cap.full(SCHOOL_SHEET, number):
            break
        problems = []
        name = _text(values["name"])
        if not name:
            problems.append((SCHOOL_COLUMNS["name"], _("required")))
        elif name in seen:
            problems.append((SCHOOL_COLUMNS["name"],
                             _("the same school already appears in row %(row)d")
                             % {"row": seen[name]}))
        else:
            seen[name] = number
        kind_label = _text(values["kind"])
        kind = KIND_BY_LABEL.get(kind_label)
        if not kind_label:
            problems.append((SCHOOL_COLUMNS["kind"], _("required")))
        elif kind is None:
            problems.append((SCHOOL_COLUMNS["kind"],
                             _("“%(value)s” is not one of %(allowed)s")
                             % {"value": wb.quoted(kind_label),
                                "allowed": "、".join(KIND_BY_LABEL)}))
        remote = establishment = None
        try:
            remote = wb.parse_yes_no(values.get("remote"))
        except ValueProblem as exc:
            problems.append((SCHOOL_COLUMNS["remote"], str(exc)))
        if not _text(values["establishment"]):
            problems.append((SCHOOL_COLUMNS["establishment"], _("required")))
        else:
            try:
                establishment = wb.parse_whole_number(values["establishment"],
                                                      maximum=MAX_ESTABLISHMENT)
            except ValueProblem as exc:
                problems.append((SCHOOL_COLUMNS["establishment"], str(exc)))
        plan.cap.count(problems)
        if problems:
            plan.errors.extend(RowError(SCHOOL_SHEET, number, c, r) for c, r in problems)
            continue
        wanted = {"kind": kind, "remote": remote, "establishment": establishment}
        school = existing.get(name)
        if school is None:
            school = School(township=plan.township, name=name, post_count=establishment,
                            **wanted)
            existing[name] = school
            plan.schools_new.append(school)
            plan.changes.append(Change(name, SCHOOL_SHEET, number))
            continue
        diff = _assign(school, wanted)
        if diff:
            plan.schools_changed.append((school, list(diff)))
            plan.changes.append(Change(name, SCHOOL_SHEET, number, diff))
        else:
            plan.unchanged_schools += 1
    return existing


def _plan_staff(plan: RosterPlan, schools_by_name: dict[str, School]) -> None:
    rows = plan.staff_sheet.rows
    present_optional = set(rows[0][1]) if rows else set()
    ids_in_file = set()
    for _number, values in rows:
        with contextlib.suppress(resident_id.ResidentIdError):
            ids_in_file.add(resident_id.parse(values["resident_id"]).number)
    existing = _existing_staff(ids_in_file)
    seen: dict[str, int] = {}
    for number, values in rows:
        if plan.cap.full(STAFF_SHEET, number):
            break
        problems = []
        name = _name(values["name"])
        if not name:
            problems.append(("name", _("required")))
        elif len(name) > 50:
            problems.append(("name", _("longer than %(n)d characters") % {"n": 50}))
        rid = None
        raw_id = _text(values["resident_id"])
        if not raw_id:
            problems.append(("resident_id", _("required")))
        else:
            try:
                rid = resident_id.parse(raw_id)
            except resident_id.ResidentIdError as exc:
                problems.append(("resident_id", str(exc)))
        if rid is not None:
            if rid.number in seen:
                problems.append(("resident_id", _("the same ID already appears in row %(row)d")
                                 % {"row": seen[rid.number]}))
                rid_dup = True
            else:
                seen[rid.number] = number
                rid_dup = False
            sex_label = _text(values.get("sex"))
            if sex_label:
                if sex_label not in SEX_BY_LABEL:
                    problems.append(("sex", _("write 男 or 女, not “%(value)s”")
                                     % {"value": wb.quoted(sex_label)}))
                elif SEX_BY_LABEL[sex_label] != rid.sex:
                    problems.append(("sex", _("does not agree with the resident ID")))
            try:
                born = wb.parse_date(values.get("birth_date"))
                if born is not None and born != rid.birth_date:
                    problems.append(("birth_date", _("does not agree with the resident ID")))
            except ValueProblem as exc:
                problems.append(("birth_date", str(exc)))
            other = existing.get(rid.number)
            if not rid_dup and other is not None and other.school.township_id != plan.township.pk:
                # Not "belongs to another township": that would tell an office whether
                # a number is on some other roster.
                problems.append(("resident_id", _("cannot be imported into this township")))
        school_name = _text(values["school"])
        school = schools_by_name.get(school_name)
        if not school_name:
            problems.append(("school", _("required")))
        elif school is None:
            problems.append(("school", _("“%(value)s” is not a school of this township")
                             % {"value": wb.quoted(school_name)}))
        wanted = {}
        for key in ("subject", "education", "title", "position"):
            if key in present_optional:
                wanted[key] = _text(values[key])
                if len(wanted[key]) > 30:
                    problems.append((key, _("longer than %(n)d characters") % {"n": 30}))
        if "work_start" in present_optional:
            try:
                wanted["work_start"] = wb.parse_date(values["work_start"], month_ok=True)
            except ValueProblem as exc:
                problems.append(("work_start", str(exc)))
        if "phone" in present_optional:
            try:
                wanted["phone"] = _phone(values["phone"])
            except ValueProblem as exc:
                problems.append(("phone", str(exc)))
        plan.cap.count(problems)
        if problems:
            plan.errors.extend(
                RowError(STAFF_SHEET, number, STAFF_COLUMNS[key], reason)
                for key, reason in problems
            )
            continue
        if "position" in wanted:
            plan.positions_wanted[rid.number] = wanted.pop("position")
        wanted.update(name=name, sex=rid.sex, birth_date=rid.birth_date, school=school)
        staff = existing.get(rid.number)
        if staff is None:
            staff = Staff(resident_id=rid.number, **wanted)
            existing[rid.number] = staff
            plan.staff_new.append(staff)
            plan.changes.append(Change(name, STAFF_SHEET, number))
        else:
            diff = _assign(staff, wanted)
            if diff:
                plan.staff_changed.append((staff, list(diff)))
                plan.changes.append(Change(name, STAFF_SHEET, number, diff))
            else:
                plan.unchanged_staff += 1
        _plan_position(plan, staff, rid.number)


def _existing_staff(ids: set[str]) -> dict[str, Staff]:
    found = {}
    ids = sorted(ids)
    open_positions = Prefetch(
        "positions", queryset=Position.objects.filter(end_date__isnull=True),
        to_attr="open_positions",
    )
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        for staff in (
            Staff.objects.filter(resident_id__in=chunk)
            .select_related("school")
            .prefetch_related(open_positions)
        ):
            found[staff.resident_id] = staff
    return found


def _plan_position(plan: RosterPlan, staff: Staff, number: str) -> None:
    if number not in plan.positions_wanted:
        return
    title = plan.positions_wanted[number]
    current = staff.current_position if staff.pk else None
    if current and current.title == title and current.school_id == staff.school.pk:
        return
    if current is None and not title:
        return
    if current is not None:
        plan.positions_to_close.append(current)
    if title:
        plan.positions_to_open.append((number, title))


def _assign(obj, wanted: dict) -> dict:
    """Set the wanted values on ``obj``; return field → (old, new) for those that differ."""
    diff = {}
    for key, new in wanted.items():
        old = getattr(obj, key)
        if old != new:
            diff[key] = (old, new)
            setattr(obj, key, new)
    return diff


# --- the preview page ------------------------------------------------------------------

CHANGES_SHOWN = 200
ERROR_HEADER = "错误"  # the error workbook's column: a data contract like the sheet names
TEXT_HEADERS = frozenset({"身份证号", "联系电话"})


def roster_preview_of(plan: RosterPlan) -> dict:
    """What the preview page shows of a plan, kept with the upload (JSON) so the page
    never reads the file again: the first changes of a clean plan, the first errors."""
    # A rejected workbook changes nothing: its errors are the page, not its changes.
    changes = plan.changes if plan.ok else []
    return {
        "changes": [_change_row(c) for c in changes[:CHANGES_SHOWN]],
        "changes_more": max(len(changes) - CHANGES_SHOWN, 0),
        **wb.errors_kept(plan.errors),
    }


def roster_error_workbook(plan: RosterPlan) -> bytes:
    """The read rows back with an error column, to fix in Excel."""
    return wb.error_workbook(
        sheets=[plan.school_sheet, plan.staff_sheet],
        error_header=ERROR_HEADER,
        text_headers=TEXT_HEADERS,
    )


def _change_row(change: Change) -> dict:
    """One planned change as the roster spells it: headers and values as in the sheet."""
    columns = SCHOOL_COLUMNS if change.sheet == SCHOOL_SHEET else STAFF_COLUMNS
    return {
        "sheet": change.sheet,
        "row": change.row,
        "label": change.label,
        "new": not change.fields,
        "fields": [
            (columns.get(key, key), _roster_value(key, old), _roster_value(key, new))
            for key, (old, new) in change.fields.items()
        ],
    }


def _roster_value(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if key == "kind":
        return ROSTER_KIND_LABELS.get(value, value)
    if key == "sex":
        return ROSTER_SEX_LABELS.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, School):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- export --------------------------------------------------------------------------


class SchoolResource(resources.ModelResource):
    """The 学校 sheet's columns, declared once for the export (django-import-export)."""

    name = fields.Field(attribute="name", column_name="学校名称")
    kind = fields.Field(column_name="学校类型")
    remote = fields.Field(column_name="是否偏远")
    establishment = fields.Field(attribute="establishment", column_name="编制数")

    class Meta:
        model = School
        fields = ("name", "kind", "remote", "establishment")

    def dehydrate_kind(self, school):
        return school.roster_kind

    def dehydrate_remote(self, school):
        return "是" if school.remote else "否"


class StaffResource(resources.ModelResource):
    """The 教职工 sheet's columns, declared once for the export (django-import-export)."""

    name = fields.Field(attribute="name", column_name="姓名")
    resident_id = fields.Field(attribute="resident_id", column_name="身份证号")
    sex = fields.Field(column_name="性别")
    birth_date = fields.Field(attribute="birth_date", column_name="出生日期")
    school = fields.Field(attribute="school__name", column_name="所在学校")
    subject = fields.Field(attribute="subject", column_name="任教学科")
    education = fields.Field(attribute="education", column_name="学历")
    title = fields.Field(attribute="title", column_name="职称")
    work_start = fields.Field(attribute="work_start", column_name="参加工作时间")
    position = fields.Field(column_name="现任职务")
    phone = fields.Field(attribute="phone", column_name="联系电话")

    class Meta:
        model = Staff
        fields = tuple(STAFF_COLUMNS)

    def dehydrate_sex(self, staff):
        return ROSTER_SEX_LABELS[staff.sex]

    def dehydrate_position(self, staff):
        position = staff.current_position
        return position.title if position else ""


def _rows(resource, objects):
    """Raw values (dates stay dates, numbers numbers) in the resource's column order."""
    export_fields = resource.get_export_fields()
    methods = [
        getattr(resource, f.get_dehydrate_method(resource.get_field_name(f)), None)
        for f in export_fields
    ]
    for obj in objects:
        yield [m(obj) if m else f.get_value(obj)
               for f, m in zip(export_fields, methods, strict=True)]


def roster_sheets(township: Township) -> list[wb.SheetSpec]:
    """Both sheets of spec/roster.md for one township (an export imports back unchanged)
    and, once a cycle's outcome has taken effect, the 上岗记录 sheet of assignments."""
    schools = School.objects.filter(township=township).order_by("name")
    staff = (
        Staff.objects.filter(school__township=township)
        .select_related("school")
        .prefetch_related(
            Prefetch("positions", queryset=Position.objects.filter(end_date__isnull=True),
                     to_attr="open_positions")
        )
        .order_by("school__name", "name", "resident_id")
    )
    school_resource, staff_resource = SchoolResource(), StaffResource()
    sheets = [
        wb.SheetSpec(SCHOOL_SHEET, list(SCHOOL_COLUMNS.values()),
                     _rows(school_resource, schools), required=_required(SCHOOL_COLUMNS,
                                                                         SCHOOL_REQUIRED)),
        wb.SheetSpec(STAFF_SHEET, list(STAFF_COLUMNS.values()),
                     _rows(staff_resource, staff.iterator(chunk_size=2000)),
                     text_columns=frozenset({"身份证号", "联系电话"}),
                     required=_required(STAFF_COLUMNS, STAFF_REQUIRED)),
    ]
    assignments = (Assignment.objects.filter(school__township=township)
                   .select_related("staff", "school", "previous_school")
                   .order_by("staff__school__name", "staff__name", "staff__resident_id",
                             "-start_date", "-pk"))
    if assignments.exists():
        sheets.append(wb.SheetSpec(ASSIGNMENT_SHEET, ASSIGNMENT_HEADERS,
                                   (_assignment_row(a)
                                    for a in assignments.iterator(chunk_size=2000)),
                                   text_columns=frozenset({"身份证号"})))
    return sheets


def _assignment_row(assignment: Assignment) -> list:
    """One row of 上岗记录: "调动" (moved from 原学校 to 上岗学校) or "留任" (stayed)."""
    before = assignment.previous_school
    return [assignment.staff.name, assignment.staff.resident_id,
            f"{assignment.cycle_label}学年" if assignment.school_year else "",
            "调动" if assignment.moved else "留任", before.name if before else "",
            assignment.school.name, ROSTER_ASSIGNMENT_KIND_LABELS[assignment.kind],
            assignment.post, assignment.duties, assignment.note, assignment.start_date,
            assignment.end_date]


def template_sheets() -> list[wb.SheetSpec]:
    """An empty roster to fill in: headers, required ones marked, ID column as text."""
    return [
        wb.SheetSpec(SCHOOL_SHEET, list(SCHOOL_COLUMNS.values()), [],
                     required=_required(SCHOOL_COLUMNS, SCHOOL_REQUIRED)),
        wb.SheetSpec(STAFF_SHEET, list(STAFF_COLUMNS.values()),
                     [],
                     text_columns=frozenset({"身份证号", "联系电话"}),
                     required=_required(STAFF_COLUMNS, STAFF_REQUIRED)),
    ]


def _required(columns: dict, keys) -> frozenset:
    return frozenset(columns[k] for k in keys)
