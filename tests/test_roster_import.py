"""The roster import of spec/roster.md, at the service level."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from schools.models import Position, School, Staff
from schools.roster import roster_sheets
from schools.services import roster_import
from staffing.workbook import workbook_bytes

from .factories import StaffFactory
from .rosters import STAFF_HEADERS, an_id, roster, school_row, staff_row

pytestmark = pytest.mark.usefixtures("english")


def counts():
    return (
        School.objects.count(),
        Staff.objects.count(),
        Position.objects.count(),
        Staff.history.count(),
        School.history.count(),
        Position.history.count(),
    )


def test_a_clean_roster_creates_schools_and_staff_with_derived_fields(township):
    rid = an_id(7, born=date(1979, 11, 2)).lower().replace("X", "x")
    result = roster_import(
        by=None,
        township=township,
        data=roster(
            [school_row("夏庄完小", "完小", "是", 26)],
            [staff_row("王\u3000芳", rid=rid, sex=None, position="教导主任", phone="0538-5921234")],
        ),
    )
    assert result.ok and result.written
    school = School.objects.get(township=township, name="夏庄完小")
    assert (school.kind, school.remote, school.establishment, school.post_count) == (
        "complete_primary", True, 26, 26)
    staff = Staff.objects.get()
    assert staff.name == "王芳"
    assert staff.resident_id == rid.upper()
    assert staff.birth_date == date(1979, 11, 2)
    assert staff.sex == "M"
    assert staff.work_start == date(2008, 9, 1)
    assert staff.phone == "0538-5921234"
    assert staff.current_position.title == "教导主任"
    assert staff.current_position.school == school


def test_a_second_import_of_the_same_file_changes_nothing(township):
    data = roster(
        [school_row(), school_row("东张完小", establishment=12)],
        [staff_row(rid=an_id(1), position="校长"), staff_row("李娜", rid=an_id(2),
                                                           school="东张完小")],
    )
    roster_import(by=None, township=township, data=data)
    before = counts()
    again = roster_import(by=None, township=township, data=data)
    assert again.ok
    assert counts() == before
    summary = again.plan.summary()
    assert (summary["schools_unchanged"], summary["staff_unchanged"]) == (2, 2)
    assert summary["staff_updated"] == summary["positions_opened"] == 0


def test_rows_are_matched_by_id_and_updated_in_place_with_history(township, office_user):
    roster_import(by=None, township=township, data=roster(staff=[staff_row(subject="语文")]))
    result = roster_import(
        by=office_user, township=township, data=roster(staff=[staff_row(subject="数学")])
    )
    assert result.plan.summary()["staff_updated"] == 1
    staff = Staff.objects.get()
    assert staff.subject == "数学"
    latest = staff.history.first()
    assert latest.history_user == office_user
    assert latest.history_change_reason == "roster import"
    assert latest.prev_record.subject == "语文"


def test_a_changed_position_closes_the_old_one_and_opens_the_new(township):
    roster_import(by=None, township=township, data=roster(staff=[staff_row(position="副校长")]))
    roster_import(by=None, township=township, data=roster(staff=[staff_row(position="校长")]))
    positions = list(Position.objects.order_by("pk"))
    assert [(p.title, p.end_date is None) for p in positions] == [("副校长", False), ("校长", True)]
    roster_import(by=None, township=township, data=roster(staff=[staff_row(position="")]))
    assert not Position.objects.filter(end_date__isnull=True).exists()


def test_absent_optional_columns_leave_stored_values_alone(township):
    roster_import(by=None, township=township, data=roster(staff=[staff_row(title="高级教师")]))
    headers = ["姓名", "身份证号", "所在学校"]
    roster_import(by=None, township=township,
                  data=roster(staff=[["张伟", an_id(1), "夏庄完小"]], staff_headers=headers))
    assert Staff.objects.get().title == "高级教师"


def test_a_staff_only_workbook_uses_known_schools(township, school):
    result = roster_import(by=None, township=township,
                           data=roster(staff=[staff_row(school=school.name)], sheets=("教职工",)))
    assert result.ok
    assert Staff.objects.get().school == school


def test_extra_columns_are_ignored_and_headers_may_come_in_any_order(township):
    headers = ["备注", *reversed(STAFF_HEADERS)]
    row = ["随便写", *reversed(staff_row())]
    result = roster_import(by=None, township=township,
                           data=roster(staff=[row], staff_headers=headers))
    assert result.ok
    assert Staff.objects.get().name == "张伟"


# --- wrong rows: each kind named with sheet, row and column; nothing written ---------

OTHER = an_id(2)


@pytest.mark.parametrize(
    ("staff", "column", "reason"),
    [
        (staff_row(name=""), "姓名", "required"),
        (staff_row(rid=""), "身份证号", "required"),
        (staff_row(school=""), "所在学校", "required"),
        (staff_row(rid=an_id(1)[:17] + ("0" if an_id(1)[17] != "0" else "1"), sex="男"),
         "身份证号", "checksum"),
        (staff_row(rid=an_id(1)[:16], sex="男"), "身份证号", "18 characters"),
        (staff_row(rid="37092119851332" + "0011", sex="男"), "身份证号", "birth date"),
        (staff_row(rid=an_id(1, sex="M"), sex="女"), "性别", "does not agree"),
        (staff_row(sex="未知"), "性别", "男 or 女"),
        (staff_row(birth=date(1990, 1, 1)), "出生日期", "does not agree"),
        (staff_row(birth="1985年13月"), "出生日期", "not a date"),
        (staff_row(school="火星完小"), "所在学校", "not a school of this township"),
        (staff_row(work_start="前年秋天"), "参加工作时间", "not a date"),
        (staff_row(phone="12345"), "联系电话", "mobile"),
        (staff_row(subject="语" * 31), "任教学科", "longer than 30"),
        (staff_row(position="主" * 31), "现任职务", "longer than 30"),
        (staff_row(name="名" * 51), "姓名", "longer than 50"),
    ],
)
def test_each_wrong_staff_row_is_named_and_nothing_is_written(township, staff, column, reason):
    good = staff_row("李娜", rid=OTHER)
    result = roster_import(by=None, township=township, data=roster(staff=[good, staff]))
    assert not result.ok and not result.written
    assert [(e.sheet, e.row, e.column) for e in result.plan.errors] == [("教职工", 3, column)]
    assert reason in result.plan.errors[0].reason
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("school", "column", "reason"),
    [
        (school_row(name=""), "学校名称", "required"),
        (school_row(kind=""), "学校类型", "required"),
        (school_row(kind="大学"), "学校类型", "not one of"),
        (school_row(establishment=None), "编制数", "required"),
        (school_row(establishment=-1), "编制数", "at least 0"),
        (school_row(establishment="二十"), "编制数", "whole number"),
        (school_row(establishment=12.5), "编制数", "whole number"),
        (school_row(remote="也许"), "是否偏远", "是 or 否"),
    ],
)
def test_each_wrong_school_row_is_named_and_nothing_is_written(township, school, column, reason):
    result = roster_import(by=None, township=township,
                           data=roster([school_row("东张完小"), school], staff=[]))
    assert [(e.sheet, e.row, e.column) for e in result.plan.errors] == [("学校", 3, column)]
    assert reason in result.plan.errors[0].reason
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_the_same_id_twice_names_the_later_row_and_the_first(township):
    result = roster_import(by=None, township=township,
                           data=roster(staff=[staff_row(), staff_row("张伟二")]))
    [error] = result.plan.errors
    assert (error.row, error.column) == (3, "身份证号")
    assert "row 2" in error.reason
    assert Staff.objects.count() == 0


def test_the_same_school_twice_is_an_error(township):
    result = roster_import(by=None, township=township,
                           data=roster([school_row(), school_row()], staff=[]))
    assert [(e.sheet, e.row) for e in result.plan.errors] == [("学校", 3)]


def test_an_id_of_another_townships_staff_member_is_refused(township, foreign_school):
    StaffFactory(resident_id=an_id(1), school=foreign_school)
    result = roster_import(by=None, township=township, data=roster())
    assert [e.column for e in result.plan.errors] == ["身份证号"]
    assert result.plan.errors[0].reason == "cannot be imported into this township"
    assert Staff.objects.get().school == foreign_school


def test_a_missing_staff_sheet_or_column_is_reported(township):
    assert [(e.sheet, e.row) for e in roster_import(
        by=None, township=township, data=roster(sheets=("学校",))).plan.errors] == [("教职工", 1)]
    result = roster_import(by=None, township=township,
                           data=roster(staff=[["张伟"]], staff_headers=["姓名"]))
    assert {e.column for e in result.plan.errors} == {"身份证号", "所在学校"}


def test_every_wrong_row_is_reported_not_only_the_first(township):
    rows = [staff_row(rid=an_id(i), name="" if i % 2 else f"甲{i}") for i in range(1, 11)]
    result = roster_import(by=None, township=township, data=roster(staff=rows))
    assert len(result.error_lines) == 5
    assert Staff.objects.count() == 0


def test_dry_run_reports_but_writes_nothing(township):
    result = roster_import(by=None, township=township, data=roster(), dry_run=True)
    assert result.ok and not result.written
    assert result.plan.summary()["staff_created"] == 1
    assert counts() == (0, 0, 0, 0, 0, 0)


# --- export ----------------------------------------------------------------------------


def export_bytes(township) -> bytes:
    return workbook_bytes(roster_sheets(township))


def test_export_then_import_changes_nothing(township):
    from schools.demo import SCHOOLS, roster_workbook, staff_for

    staff = staff_for(SCHOOLS[:3], count=60)
    staff[0].subject = "=SUM(A1)"  # a clerk's formula-looking text survives as text
    roster_import(by=None, township=township, data=roster_workbook(SCHOOLS[:3], staff))
    before = counts()
    result = roster_import(by=None, township=township, data=export_bytes(township))
    assert result.ok
    assert result.plan.summary()["staff_unchanged"] == 60
    assert counts() == before
    assert Staff.objects.filter(subject="=SUM(A1)").count() == 1


def test_the_export_has_the_spec_headers_and_text_ids(township):
    roster_import(by=None, township=township, data=roster(staff=[staff_row(position="校长")]))
    book = load_workbook(io.BytesIO(export_bytes(township)))
    assert book.sheetnames == ["学校", "教职工"]
    assert [c.value for c in book["学校"][1]] == ["学校名称", "学校类型", "是否偏远", "编制数"]
    assert [c.value for c in book["教职工"][1]] == STAFF_HEADERS
    row = [c.value for c in book["教职工"][2]]
    assert row[1] == an_id(1) and book["教职工"]["B2"].number_format == "@"
    assert row[2] == "男" and row[4] == "夏庄完小" and row[9] == "校长"
