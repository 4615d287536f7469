"""The month through its services: the figures and deductions against hand-counted
records, publishing on the township's calendar, objections corrected through
``records_put``, a locked month refusing every edit until a recorded reopening, the
weekly publication, and the command's sheet."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from attendance import sheets, workflow
from attendance.models import AttendanceRecord, AttendanceSettings
from attendance.selectors import month as month_selectors
from attendance.services import days as days_services
from attendance.services import month as month_services
from staffing.models import Objection, Publication

from .factories import CountyFactory, SchoolFactory, StaffFactory, TownshipFactory
from .month_world import KEY, LAST_DAY, MONTH, YEAR, S, mark, month_of, national_holiday

pytestmark = pytest.mark.usefixtures("english")
AFTER_WINDOW = date(2026, 10, 12)


@pytest.fixture
def people(school, other_school, teacher, office_user):
    """Hand-counted September: 教师乙 of 夏庄完小 2 旷工, 3 late, 1 early, 3 sick, 1 personal,
    the other 10 working days present; 丁 of 东张完小 one 旷工 day and 4 present."""
    ding = StaffFactory(school=other_school, name="丁")
    days = [1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 24, 25, 28]
    states = ([S.ABSENT] * 2 + [S.LATE] * 3 + [S.LEFT_EARLY] + [S.SICK_LEAVE] * 3
              + [S.PERSONAL_LEAVE] + [S.PRESENT] * 10)
    month_of(office_user, teacher, dict(zip(days, states, strict=True)))
    month_of(office_user, ding, {1: S.ABSENT, 2: S.PRESENT, 3: S.PRESENT, 4: S.PRESENT,
                                 7: S.PRESENT})
    mark(office_user, ding, 1, S.PRESENT, month=10)  # another month: not counted
    return teacher, ding


@pytest.fixture
def published(township, office_user, people):
    national_holiday(township)
    return month_services.month_publish(by=office_user, township=township, year=YEAR,
                                        month=MONTH, on=LAST_DAY)


def test_month_figures_and_deductions_against_hand_counted_records(township, people,
                                                                   django_assert_max_num_queries):
    teacher, ding = people
    rates = month_selectors.rates_of(AttendanceSettings(township=township))
    with django_assert_max_num_queries(4):
        figures = month_selectors.month_figures(township, YEAR, MONTH, rates=rates)

    rows = {row.name: row for row in figures.staff}
    assert rows["教师乙"].row == (10, 3, 1, 1, 3, 0, 2, 20)
    assert rows["丁"].row == (4, 0, 0, 0, 0, 0, 1, 5)
    d = rows["教师乙"].deductions
    # 2 × 100; (3 + 1 − 2) × 20; (3 − 2) × 30; (1 − 1) × 50
    assert (d.absent, d.late_early, d.sick, d.personal, d.total) == (
        Decimal(200), Decimal(40), Decimal(30), Decimal(0), Decimal(270))
    assert rows["丁"].deductions.total == Decimal(100)
    schools = {s.name: s for s in figures.schools}
    assert (schools["夏庄完小"].staff, schools["夏庄完小"].absent_staff) == (1, 1)
    assert schools["东张完小"].row == (4, 0, 0, 0, 0, 0, 1, 5)


def test_the_settings_give_the_deductions(township, people, office_user):
    month_services.settings_save(by=office_user, settings=AttendanceSettings(
        township=township, absent_deduction=Decimal("150"), free_late_early=0))
    rates = month_selectors.rates_of(township.attendance_settings)

    figures = month_selectors.month_figures(township, YEAR, MONTH, rates=rates)

    row = next(r for r in figures.staff if r.name == "教师乙")
    assert (row.deductions.absent, row.deductions.late_early) == (Decimal(300), Decimal(80))
    assert township.attendance_settings.history.first().history_user == office_user


def test_the_month_is_published_from_its_last_working_day_with_a_working_day_window(
        township, office_user, people):
    national_holiday(township)
    with pytest.raises(ValidationError, match="from its last working day, 2026-09-30"):
        month_services.month_publish(by=office_user, township=township, year=YEAR,
                                     month=MONTH, on=date(2026, 9, 29))

    pub = month_services.month_publish(by=office_user, township=township, year=YEAR,
                                       month=MONTH, on=LAST_DAY)

    # 8, 9 October and the make-up Saturday 10 October: three working days.
    assert (pub.kind, pub.key, pub.window_closes) == (workflow.MONTH_PUBLICATION, KEY,
                                                      date(2026, 10, 10))


def test_an_objection_corrected_changes_the_day_through_records_put(published, people,
                                                                    teacher_user,
                                                                    principal_user):
    teacher, _ = people
    objection = month_services.month_object(by=teacher_user, staff=teacher, pub=published,
                                            day=date(2026, 9, 1), reason="I was at a meeting",
                                            on=date(2026, 10, 8))

    month_services.objection_correct(by=principal_user, objection=objection,
                                     status=S.OFFICIAL, answer="meeting confirmed")

    record = AttendanceRecord.objects.get(staff=teacher, date=date(2026, 9, 1))
    assert record.status == S.OFFICIAL
    last = record.history.first()
    assert last.history_user == principal_user
    assert last.history_change_reason == "Objection: I was at a meeting"
    objection.refresh_from_db()
    assert (objection.status, objection.answered_by) == (Objection.Status.CORRECTED,
                                                         principal_user)


def test_an_objection_outside_the_window_or_the_month_is_refused(published, people,
                                                                 teacher_user):
    teacher, _ = people
    with pytest.raises(ValidationError, match="closed on 2026-10-10"):
        month_services.month_object(by=teacher_user, staff=teacher, pub=published,
                                    day=date(2026, 9, 1), reason="x", on=AFTER_WINDOW)
    with pytest.raises(ValidationError, match="not in this month"):
        month_services.month_object(by=teacher_user, staff=teacher, pub=published,
                                    day=date(2026, 10, 8), reason="x", on=date(2026, 10, 8))


def test_a_locked_month_refuses_every_edit_until_a_recorded_reopening(published, people,
                                                                      office_user):
    teacher, ding = people
    with pytest.raises(ValidationError, match="open until 2026-10-10"):
        month_services.month_lock(by=office_user, pub=published, on=date(2026, 10, 9))
    month_services.month_lock(by=office_user, pub=published, on=AFTER_WINDOW)

    with pytest.raises(ValidationError, match="2026-09 is locked"):
        mark(office_user, teacher, 1, S.PRESENT)
    with pytest.raises(ValidationError, match="locked"):  # a new record too
        mark(office_user, teacher, 29, S.PRESENT)
    assert AttendanceRecord.objects.get(staff=teacher, date=date(2026, 9, 1)).status == S.ABSENT
    mark(office_user, ding, 2, S.LATE, month=10)  # October is open

    month_services.month_reopen(by=office_user, pub=published, reason="a sick note came late")
    mark(office_user, teacher, 1, S.SICK_LEAVE)

    assert AttendanceRecord.objects.get(staff=teacher, date=date(2026, 9, 1)).status == S.SICK_LEAVE
    assert published.events.filter(action="reopened", reason="a sick note came late").exists()


def test_another_township_s_lock_does_not_stop_this_one(published, office_user, foreign_school):
    month_services.month_lock(by=office_user, pub=published, on=AFTER_WINDOW)
    stranger = StaffFactory(school=foreign_school)

    assert mark(office_user, stranger, 1, S.PRESENT).created == 1


def test_a_locked_month_is_checked_in_two_queries_whatever_the_marks(published, office_user,
                                                                     school,
                                                                     django_assert_max_num_queries):
    staff = StaffFactory.create_batch(30, school=school)
    marks = [days_services.Mark(staff_id=s.pk, school_id=school.pk, date=date(2026, 10, 8),
                                status=S.PRESENT) for s in staff]
    with django_assert_max_num_queries(12):
        days_services.records_put(by=office_user, marks=marks)


def test_a_school_publishes_its_week_to_its_staff_and_the_office(school, principal_user):
    pub = month_services.week_publish(by=principal_user, school=school,
                                      monday=date(2026, 9, 9), on=date(2026, 9, 11))

    assert (pub.kind, pub.key, pub.school, pub.window_closes) == (
        workflow.WEEK_PUBLICATION, "2026-09-07", school, None)
    with pytest.raises(ValidationError, match="not begun"):
        month_services.week_publish(by=principal_user, school=school, monday=date(2026, 9, 14),
                                    on=date(2026, 9, 11))


# ---- the command -----------------------------------------------------------------------------


def test_the_command_writes_exactly_the_spec_s_sheet(people, tmp_path, township, foreign_school,
                                                     office_user):
    mark(office_user, StaffFactory(school=foreign_school, name="外镇人"), 3, S.LATE)
    out = io.StringIO()
    path = tmp_path / "month.xlsx"

    call_command("attendance_month", KEY, "--export", str(path), stdout=out)

    book = load_workbook(path)
    assert book.sheetnames == ["月汇总"]
    rows = list(book["月汇总"].values)
    assert rows[0] == ("身份证号", "姓名", "学校", "出勤", "迟到", "早退", "事假", "病假", "公假",
                       "旷工", "记录天数")
    teacher, ding = people
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {"教师乙", "丁", "外镇人"}
    assert by_name["教师乙"] == (teacher.resident_id, "教师乙", "夏庄完小",
                               10, 3, 1, 1, 3, 0, 2, 20)
    assert "wrote" in out.getvalue()

    call_command("attendance_month", KEY, "--export", str(path), "--township", "葛石镇",
                 stdout=io.StringIO())
    assert {r[1] for r in list(load_workbook(path)["月汇总"].values)[1:]} == {"教师乙", "丁"}
    assert rows[0] == sheets.MONTH_COLUMNS


@pytest.mark.parametrize(("args", "message"), [
    (["2026-13"], "not a month"),
    (["2026-09", "--township", "无此镇"], "no township named 无此镇"),
])
def test_the_command_refuses_bad_arguments_with_status_2(db, args, message):
    with pytest.raises(CommandError, match=message) as caught:
        call_command("attendance_month", *args, stdout=io.StringIO())
    assert caught.value.returncode == 2


def test_the_command_without_export_prints_the_schools(people):
    out = io.StringIO()
    call_command("attendance_month", KEY, stdout=out)
    assert "夏庄完小: 出勤 10 迟到 3" in out.getvalue()
    assert "2 staff with records in 2026-09" in out.getvalue()


def test_two_townships_of_one_name_are_refused(db):
    TownshipFactory(name="同名镇")
    SchoolFactory(township=TownshipFactory(name="同名镇", county=CountyFactory(name="别县")))
    with pytest.raises(CommandError, match="two townships"):
        call_command("attendance_month", KEY, "--township", "同名镇", stdout=io.StringIO())


def test_nothing_published_is_no_publication(township):
    assert month_selectors.month_publication(township, YEAR, MONTH) is None
    assert not Publication.objects.exists()
