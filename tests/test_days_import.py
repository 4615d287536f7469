"""The attendance import (spec/attendance.md): each bad row kind named with nothing
written, the replacing rule, who may import what, the command and the browser upload."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from attendance.models import (
    AttendanceImport,
    AttendanceRecord,
    AttendanceStatus,
    CalendarDay,
    LeaveRequest,
)
from attendance.services import days as days_services
from schools import resident_id
from staffing.workbook import WorkbookError

from .days_world import MONDAY, attendance_sheet
from .factories import StaffFactory
from .helpers import messages_of, row_counts, text

pytestmark = pytest.mark.usefixtures("english", "english_pages")


@pytest.fixture
def staff(school):
    return StaffFactory(school=school, name="王芳")


@pytest.fixture
def colleague(other_school):
    return StaffFactory(school=other_school, name="李强")


def _import(township, data, **kwargs):
    return days_services.attendance_import(by=None, township=township, data=data, **kwargs)


def _one_error(township, row, **kwargs):
    before = row_counts()
    result = _import(township, attendance_sheet(row), **kwargs)
    assert not result.ok and result.written is None
    assert row_counts() == before
    [error] = result.plan.errors
    assert (error.sheet, error.row) == ("考勤", 2)
    return error


def test_a_clean_file_writes_every_row(township, staff, colleague):
    result = _import(township, attendance_sheet(
        (MONDAY, staff.resident_id, "出勤", ""),
        (MONDAY, colleague.resident_id.lower(), "迟到", "堵车"),
        ("2025-09-02", f" {staff.resident_id}\u3000", "病假", "发烧")))
    assert result.ok, result.error_lines
    assert result.written.created == 3
    late = AttendanceRecord.objects.get(staff=colleague)
    assert (late.status, late.note, late.school_id) == (AttendanceStatus.LATE, "堵车",
                                                       colleague.school_id)
    assert AttendanceRecord.objects.get(staff=staff, date=date(2025, 9, 2)).status == "sick_leave"


@pytest.mark.parametrize(("cells", "column", "reason"), [
    (("", "ID", "出勤", ""), "日期", "required"),
    (("2025-13-01", "ID", "出勤", ""), "日期", "is not a date"),
    (("DAY", "", "出勤", ""), "身份证号", "required"),
    (("DAY", "12345", "出勤", ""), "身份证号", "must be 18 characters"),
    (("DAY", "370921198505050000", "出勤", ""), "身份证号", "checksum"),
    (("DAY", "ID", "", ""), "状态", "required"),
    (("DAY", "ID", "在岗", ""), "状态", "is not a state"),
    (("DAY", "ID", "出勤", "长" * 201), "备注", "longer than 200"),
    (("2025-09-06", "ID", "出勤", ""), "日期", "is not a working day"),
    (("FUTURE", "ID", "出勤", ""), "日期", "has not come yet"),
])
def test_each_bad_row_kind_is_named_and_nothing_written(township, staff, cells, column,
                                                        reason):
    values = {"DAY": MONDAY, "ID": staff.resident_id,
              "FUTURE": date.today() + timedelta(days=7)}
    row = [values.get(c, c) if isinstance(c, str) else c for c in cells]
    error = _one_error(township, row)
    assert error.column == column
    assert reason in error.reason


def test_an_id_of_another_township_is_an_unknown_staff_member(township, foreign_school):
    stranger = StaffFactory(school=foreign_school)
    error = _one_error(township, (MONDAY, stranger.resident_id, "出勤", ""))
    assert (error.column, error.reason) == ("身份证号", "unknown staff member")
    nobody = resident_id.make("370921", date(1980, 1, 1), 7, resident_id.MALE)
    assert _one_error(township, (MONDAY, nobody, "出勤", "")).reason == "unknown staff member"


def test_a_school_import_refuses_other_schools_staff(township, school, staff, colleague):
    error = _one_error(township, (MONDAY, colleague.resident_id, "出勤", ""), school=school)
    assert error.reason == f"not on the staff of {school.name}"


def test_a_holiday_weekday_is_refused_and_a_make_up_saturday_accepted(township, staff):
    CalendarDay.objects.create(township=township, date=MONDAY, working=False, name="节日")
    CalendarDay.objects.create(township=township, date=date(2025, 9, 6), working=True,
                               name="调休")
    error = _one_error(township, (MONDAY, staff.resident_id, "出勤", ""))
    assert "is not a working day (节日)" in error.reason
    assert _import(township, attendance_sheet(("2025-09-06", staff.resident_id, "出勤", ""))).ok


def test_a_missing_sheet_or_column_is_one_error_on_row_1(township, staff):
    result = _import(township, attendance_sheet(name="Sheet1"))
    assert [(e.row, e.reason) for e in result.plan.errors] == [(1, "the sheet is missing")]
    result = _import(township, attendance_sheet(headers=("日期", "身份证号", "备注")))
    assert [(e.column, e.row) for e in result.plan.errors] == [("状态", 1)]


def test_one_wrong_row_writes_nothing_of_the_rest(township, staff, colleague):
    result = _import(township, attendance_sheet(
        (MONDAY, staff.resident_id, "出勤", ""), (MONDAY, colleague.resident_id, "睡觉", "")))
    assert not result.ok
    assert AttendanceRecord.objects.count() == 0
    assert result.error_lines == ["考勤 row 3, 状态: “睡觉” is not a state; write one of "
                                  "出勤、迟到、早退、事假、病假、公假、旷工"]


def test_the_later_row_replaces_the_earlier_in_the_file_and_in_a_later_import(
        township, staff, office_user):
    result = _import(township, attendance_sheet(
        (MONDAY, staff.resident_id, "迟到", "先写错了"), (MONDAY, staff.resident_id, "出勤", "")))
    assert result.plan.replaced_in_file == 1
    assert result.written.created == 1
    record = AttendanceRecord.objects.get()
    assert (record.status, record.note) == ("present", "")
    again = days_services.attendance_import(
        by=office_user, township=township,
        data=attendance_sheet((MONDAY, staff.resident_id, "旷工", "")))
    assert (again.written.created, again.written.changed) == (0, 1)
    record.refresh_from_db()
    assert record.status == "absent"
    assert record.recorded_by == office_user
    assert [h.status for h in record.history.order_by("history_date")] == ["present", "absent"]
    assert record.history.latest().history_user == office_user


def test_a_day_of_approved_leave_is_kept(township, staff, office_user):
    leave = LeaveRequest.objects.create(staff=staff, school=staff.school, kind="sick_leave",
                                        start_date=MONDAY, end_date=MONDAY, reason="手术",
                                        status="approved")
    days_services.records_put(by=office_user, marks=[days_services.Mark(
        staff.pk, staff.school_id, MONDAY, "sick_leave", "", leave.pk)])
    result = _import(township, attendance_sheet((MONDAY, staff.resident_id, "旷工", "")))
    assert result.ok and result.plan.kept_leave == 1
    record = AttendanceRecord.objects.get()
    assert (record.status, record.leave_id) == ("sick_leave", leave.pk)


def test_a_sheet_past_the_row_limit_is_refused_whole(township, staff, settings):
    settings.ATTENDANCE_MAX_ROWS = 2
    rows = [(MONDAY + timedelta(days=i), staff.resident_id, "出勤", "") for i in range(3)]
    with pytest.raises(WorkbookError, match="more than 2 rows"):
        _import(township, attendance_sheet(*rows))


# --- the command ------------------------------------------------------------------------


def test_the_command_imports_and_dry_runs(township, staff, tmp_path, capsys):
    path = tmp_path / "考勤.xlsx"
    path.write_bytes(attendance_sheet((MONDAY, staff.resident_id, "迟到", "")))
    call_command("import_attendance", str(path), "--dry-run")
    assert "dry run, nothing written" in capsys.readouterr().out
    assert AttendanceRecord.objects.count() == 0
    call_command("import_attendance", str(path))
    assert "1 added" in capsys.readouterr().out
    assert AttendanceRecord.objects.get().status == "late"


def test_the_command_lists_each_wrong_row_and_exits_1(township, staff, tmp_path, capsys):
    path = tmp_path / "考勤.xlsx"
    path.write_bytes(attendance_sheet((MONDAY, "bad", "出勤", ""), ("x", staff.resident_id,
                                                                     "出勤", "")))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_attendance", str(path))
    assert exit_.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0].startswith("考勤 row 2, 身份证号:")
    assert lines[1].startswith("考勤 row 3, 日期:")
    assert AttendanceRecord.objects.count() == 0


# --- the browser upload ------------------------------------------------------------------


def _upload(client, data, target=None, name="考勤.xlsx"):
    form = {"workbook": ContentFile(data, name=name)}
    if target:
        form["target"] = target
    return client.post(reverse("attendance:import"), form)


@pytest.mark.usefixtures("media_root")
def test_upload_preview_confirm_once(login, office_user, township, staff):
    client = login(office_user)
    response = _upload(client, attendance_sheet((MONDAY, staff.resident_id, "迟到", "")))
    record = AttendanceImport.objects.get()
    assert response.url == reverse("attendance:import_preview", args=[record.pk])
    assert AttendanceRecord.objects.count() == 0
    page = client.get(response.url)
    assert "1 row" in " ".join(messages_of(page))
    assert 'id="records">1<' in page.text
    confirm = reverse("attendance:import_confirm", args=[record.pk])
    page = client.post(confirm, follow=True)
    assert "1 records added" in " ".join(messages_of(page))
    page = client.post(confirm, follow=True)  # a double submit
    assert "already imported" in " ".join(messages_of(page))
    assert AttendanceRecord.objects.count() == 1


@pytest.mark.usefixtures("media_root")
def test_a_rejected_upload_offers_its_rows_with_their_errors(login, office_user, township,
                                                             staff):
    client = login(office_user)
    response = _upload(client, attendance_sheet((MONDAY, staff.resident_id, "在", "")))
    record = AttendanceImport.objects.get()
    assert record.status == AttendanceImport.Status.REJECTED
    page = client.get(response.url)
    assert "is not a state" in text(page)
    assert "Confirm and import" not in page.text
    errors = client.get(reverse("attendance:import_errors", args=[record.pk]))
    assert errors["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.post(reverse("attendance:import_confirm", args=[record.pk])).status_code == 302
    assert AttendanceRecord.objects.count() == 0


@pytest.mark.usefixtures("media_root")
def test_a_principal_imports_for_their_school_only(login, principal_user, school, staff,
                                                   colleague):
    client = login(principal_user)
    _upload(client, attendance_sheet((MONDAY, staff.resident_id, "出勤", ""),
                                     (MONDAY, colleague.resident_id, "出勤", "")))
    record = AttendanceImport.objects.get()
    assert record.school == school
    assert record.status == AttendanceImport.Status.REJECTED
    assert "not on the staff of" in record.preview["errors"][0]["reason"]


@pytest.mark.usefixtures("media_root")
def test_not_an_xlsx_is_refused_with_its_reason(login, office_user, township):
    page = _upload(login(office_user), b"hello", name="考勤.xlsx")
    assert page.status_code == 200
    assert "not an Excel workbook" in text(page)
    assert AttendanceImport.objects.count() == 0
