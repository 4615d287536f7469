"""The day page (日清): everyone present by default, exceptions with a note, approved leave
kept, one Save, history per record, bounded queries with hundreds of staff; the calendar
page; one's own month; who may use each page."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from attendance.demo import seed_days
from attendance.models import AttendanceImport, AttendanceRecord, CalendarDay, LeaveRequest
from attendance.services import days as days_services

from .days_world import MONDAY, attendance_sheet, many_staff
from .factories import StaffFactory, UserFactory
from .helpers import messages_of, text

pytestmark = pytest.mark.usefixtures("english_pages")


def day_url(school, day=MONDAY):
    return reverse("attendance:day", args=[school.pk, day.isoformat()])


@pytest.fixture
def staff(school):
    return [StaffFactory(school=school, name=name) for name in ("王芳", "李强", "张伟")]


def test_the_day_starts_not_recorded_with_everyone_present(login, principal_user, school,
                                                           staff):
    page = login(principal_user).get(day_url(school))
    assert "Not yet recorded." in page.text
    assert page.text.count('<option value="present" selected>') == 4  # with the principal
    assert "Save the day" in page.text


def test_one_save_writes_the_day_and_counts_the_exceptions(login, principal_user, school,
                                                           staff):
    client = login(principal_user)
    response = client.post(day_url(school), {f"s{staff[0].pk}": "late",
                                             f"n{staff[0].pk}": "堵车",
                                             f"s{staff[1].pk}": "absent"}, follow=True)
    assert "2 exceptions, everyone else present" in " ".join(messages_of(response))
    assert AttendanceRecord.objects.filter(date=MONDAY).count() == 4
    late = AttendanceRecord.objects.get(staff=staff[0])
    assert (late.status, late.note, late.recorded_by) == ("late", "堵车", principal_user)
    assert "Recorded by principal at" in response.text
    assert '<option value="late" selected>' in response.text
    # saved again unchanged: no new history
    client.post(day_url(school), {f"s{staff[0].pk}": "late", f"n{staff[0].pk}": "堵车",
                                  f"s{staff[1].pk}": "absent"})
    assert late.history.count() == 1


def test_a_correction_keeps_history_saying_who_changed_what(login, principal_user,
                                                            liaison_user, school, staff):
    login(principal_user).post(day_url(school), {f"s{staff[0].pk}": "absent"})
    client = login(liaison_user)
    client.post(day_url(school), {f"s{staff[0].pk}": "official", f"n{staff[0].pk}": "开会"})
    record = AttendanceRecord.objects.get(staff=staff[0])
    page = client.get(day_url(school))
    history_url = reverse("attendance:record_history", args=[record.pk])
    assert history_url in page.text
    page = client.get(history_url)
    assert page.status_code == 200
    assert "liaison" in text(page) and "absent without leave" in text(page)
    assert "official duty" in text(page)


def test_a_day_of_approved_leave_is_shown_as_leave_and_kept(login, principal_user, school,
                                                            staff, office_user):
    leave = LeaveRequest.objects.create(staff=staff[0], school=school, kind="sick_leave",
                                        start_date=MONDAY, end_date=MONDAY, reason="手术",
                                        status="approved")
    days_services.records_put(by=office_user, marks=[days_services.Mark(
        staff[0].pk, school.pk, MONDAY, "sick_leave", "", leave.pk)])
    client = login(principal_user)
    page = client.get(day_url(school))
    assert "approved leave" in page.text
    assert f'name="s{staff[0].pk}"' not in page.text
    client.post(day_url(school), {f"s{staff[0].pk}": "absent"})
    record = AttendanceRecord.objects.get(staff=staff[0])
    assert (record.status, record.leave_id) == ("sick_leave", leave.pk)


def test_a_bad_state_or_long_note_saves_nothing_and_loses_nothing(login, principal_user,
                                                                  school, staff):
    page = login(principal_user).post(day_url(school), {
        f"s{staff[0].pk}": "asleep", f"s{staff[1].pk}": "late", f"n{staff[1].pk}": "堵车",
        f"n{staff[2].pk}": "长" * 201})
    assert page.status_code == 200
    assert "Nothing was saved" in " ".join(messages_of(page))
    assert AttendanceRecord.objects.count() == 0
    assert 'value="堵车"' in page.text


def test_a_holiday_thursday_is_off_and_a_make_up_saturday_is_working(login, office_user,
                                                                    township, school, staff):
    thursday, saturday = MONDAY + timedelta(days=3), MONDAY + timedelta(days=5)
    CalendarDay.objects.create(township=township, date=thursday, working=False, name="中秋节")
    CalendarDay.objects.create(township=township, date=saturday, working=True, name="调休")
    client = login(office_user)
    page = client.get(day_url(school, thursday))
    assert "is not a working day (中秋节)" in text(page)
    assert "Save the day" not in page.text
    response = client.post(day_url(school, thursday), {})
    assert AttendanceRecord.objects.count() == 0 and response.status_code == 302
    page = client.get(day_url(school, saturday))
    assert "Save the day" in page.text
    # previous and next working days skip the holiday and the plain Sunday
    assert f'href="{day_url(school, MONDAY + timedelta(days=7))}" rel="next"' in page.text
    page = client.get(day_url(school, MONDAY + timedelta(days=4)))
    assert f'href="{day_url(school, MONDAY + timedelta(days=2))}" rel="prev"' in page.text
    assert f'href="{day_url(school, saturday)}" rel="next"' in page.text
    assert "Save the day" not in client.get(day_url(school, MONDAY + timedelta(days=6))).text


def test_a_day_to_come_cannot_be_recorded(login, principal_user, school, staff):
    later = date.today() + timedelta(days=3)
    page = login(principal_user).get(day_url(school, later))
    assert "has not come yet" in page.text
    assert "Save the day" not in page.text


def test_a_bad_date_is_404(login, principal_user, school):
    client = login(principal_user)
    assert client.get(f"/attendance/school/{school.pk}/day/2025-02-30/").status_code == 404
    assert client.get(f"/attendance/school/{school.pk}/day/today/").status_code == 404


def test_the_day_page_is_bounded_in_queries_with_300_staff(
        login, principal_user, school, django_assert_max_num_queries):
    people = many_staff(school, 300)
    client = login(principal_user)
    with django_assert_max_num_queries(15):
        page = client.get(day_url(school))
    assert page.text.count("<select ") == 301
    with django_assert_max_num_queries(30):
        client.post(day_url(school), {f"s{people[0].pk}": "late"})
    assert AttendanceRecord.objects.count() == 301
    with django_assert_max_num_queries(15):
        page = client.get(day_url(school))
    assert "Recorded by principal" in page.text
    with django_assert_max_num_queries(30):
        client.post(day_url(school), {f"s{people[1].pk}": "absent"})


# --- the calendar page ---------------------------------------------------------------------


def cal_url(township, year=2025):
    return reverse("attendance:calendar", args=[township.pk, year])


def test_the_office_enters_several_days_in_one_go(login, office_user, township):
    client = login(office_user)
    page = client.post(cal_url(township), {"lines": (
        "2025-10-01~2025-10-08 国庆节 休\n\n2025-09-28 国庆调休 班\n2025-10-11 调休 班")},
        follow=True)
    assert "10 days added" in " ".join(messages_of(page))
    assert CalendarDay.objects.filter(working=False).count() == 8
    assert CalendarDay.objects.get(date=date(2025, 9, 28)).working
    # October 2025: 23 weekdays, 6 of them holidays, one make-up Saturday → 18
    assert "<th scope=\"row\">2025-10</th>\n        <td class=\"num\">18</td>" in page.text
    page = client.post(cal_url(township), {"lines": "2025-10-11 调休 休"}, follow=True)
    assert "0 days added, 1 changed" in " ".join(messages_of(page))
    assert not CalendarDay.objects.get(date=date(2025, 10, 11)).working


@pytest.mark.parametrize(("lines", "reason"), [
    ("国庆节 休", "Line 1: write a date"),
    ("2025-10-01 国庆节 不上", "not “不上”"),
    ("2025-10-01 国庆节 休\n2025-02-30 错 休", "Line 2: “2025-02-30” is not a date"),
    ("2025-10-08~2025-10-01 国庆节 休", "at most 31 days"),
    ("2026-01-01 元旦 休", "This is the calendar of 2025"),
])
def test_a_wrong_calendar_line_saves_nothing(login, office_user, township, lines, reason):
    page = login(office_user).post(cal_url(township), {"lines": lines})
    assert page.status_code == 200
    assert reason in text(page)
    assert CalendarDay.objects.count() == 0
    assert lines.splitlines()[0] in text(page)  # the text is still there


def test_deleting_a_day_asks_first(login, office_user, township):
    entry = CalendarDay.objects.create(township=township, date=date(2025, 10, 1),
                                       working=False, name="国庆节")
    client = login(office_user)
    url = reverse("attendance:calendar_delete", args=[entry.pk])
    page = client.get(url)
    assert "Take 2025-10-01 国庆节 out of the calendar?" in text(page)
    assert CalendarDay.objects.count() == 1
    page = client.post(url, follow=True)
    assert "taken out of the calendar" in " ".join(messages_of(page))
    assert CalendarDay.objects.count() == 0
    assert CalendarDay.history.filter(history_type="-").get().history_user == office_user


# --- my attendance ------------------------------------------------------------------------


def test_a_teacher_sees_their_own_month(login, teacher, teacher_user, office_user, school):
    other = StaffFactory(school=school)
    today = date.today()
    days_services.records_put(by=office_user, marks=[
        days_services.Mark(teacher.pk, school.pk, today, "late", "堵车"),
        days_services.Mark(other.pk, school.pk, today, "absent", "别人的")])
    page = login(teacher_user).get(reverse("attendance:mine"))
    assert "堵车" in page.text and "别人的" not in page.text
    assert "late 1" in page.text


# --- who may use each page ----------------------------------------------------------------


@pytest.fixture
def record(school, staff, office_user):
    days_services.records_put(by=office_user, marks=[
        days_services.Mark(staff[0].pk, school.pk, MONDAY, "late")])
    return AttendanceRecord.objects.get()


@pytest.fixture
def entry(township):
    return CalendarDay.objects.create(township=township, date=date(2025, 10, 1),
                                      working=False, name="国庆节")


def _pages(school, township, record, entry):
    return {
        "day": day_url(school),
        "today": reverse("attendance:school_today", args=[school.pk]),
        "history": reverse("attendance:record_history", args=[record.pk]),
        "calendar": cal_url(township),
        "calendar_now": reverse("attendance:calendar_now", args=[township.pk]),
        "delete": reverse("attendance:calendar_delete", args=[entry.pk]),
        "import": reverse("attendance:import"),
        "template": reverse("attendance:import_template"),
        "mine": reverse("attendance:mine"),
    }


def test_anonymous_visitors_are_sent_to_login(client, school, township, record, entry):
    for url in _pages(school, township, record, entry).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.url, url


@pytest.mark.parametrize("role", ["office_user", "principal_user", "liaison_user"])
def test_the_school_s_leaders_and_office_use_the_day_pages(request, login, role, school,
                                                           township, record, entry):
    client = login(request.getfixturevalue(role))
    pages = _pages(school, township, record, entry)
    for name in ("day", "history", "import", "template"):
        assert client.get(pages[name]).status_code == 200, name
    assert client.get(pages["today"]).status_code == 302
    office = role == "office_user"
    for name in ("calendar", "delete"):
        assert client.get(pages[name]).status_code == (200 if office else 403), name


def test_a_teacher_has_only_their_own_month(login, teacher_user, school, township, record,
                                            entry):
    client = login(teacher_user)
    pages = _pages(school, township, record, entry)
    for name, url in pages.items():
        assert client.get(url).status_code == (200 if name == "mine" else 403), name
    assert client.post(pages["day"], {}).status_code == 403
    assert AttendanceRecord.objects.count() == 1


def test_other_schools_and_townships_are_not_found(login, other_principal, foreign_office,
                                                   school, township, record, entry):
    pages = _pages(school, township, record, entry)
    client = login(other_principal)
    for name in ("day", "today", "history"):
        assert client.get(pages[name]).status_code == 404, name
    assert client.post(pages["day"], {}).status_code == 404
    client = login(foreign_office)
    for name in ("day", "today", "history", "calendar", "calendar_now", "delete"):
        assert client.get(pages[name]).status_code == 404, name
    assert client.post(pages["delete"]).status_code == 404
    assert client.post(pages["calendar"], {"lines": "2025-10-02 国庆节 休"}).status_code == 404
    assert CalendarDay.objects.count() == 1
    assert AttendanceRecord.objects.get().status == "late"
    # an office user with no staff record has no own month
    assert client.get(pages["mine"]).status_code == 403


@pytest.mark.usefixtures("media_root")
def test_uploads_are_seen_only_by_those_who_may(login, office_user, other_principal,
                                                foreign_office, township, school):
    login(office_user).post(reverse("attendance:import"), {
        "workbook": ContentFile(attendance_sheet(), name="a.xlsx")})
    record = AttendanceImport.objects.get()
    preview = reverse("attendance:import_preview", args=[record.pk])
    confirm = reverse("attendance:import_confirm", args=[record.pk])
    for user in (other_principal, foreign_office):
        client = login(user)
        assert client.get(preview).status_code == 404
        assert client.post(confirm).status_code == 404
    unrelated = UserFactory(username="nobody")  # a login with no role at all
    assert login(unrelated).get(reverse("attendance:import")).status_code == 403


def test_seed_days_records_every_working_day_for_everyone(township, school, staff,
                                                          office_user):
    CalendarDay.objects.create(township=township, date=MONDAY, working=False, name="节日")
    written = seed_days(township, MONDAY, MONDAY + timedelta(days=13), office_user)
    assert written.created == 3 * 9  # two weeks: ten weekdays, one a holiday
    assert not AttendanceRecord.objects.filter(date=MONDAY).exists()
    assert AttendanceRecord.objects.filter(recorded_by=office_user).count() == 27
