"""The month's pages: every role on every new page (403 for a page the role never has,
404 for another township's or school's), the journey publish → object → answer → lock →
reopen → export as the users make it, the weekly board, the settings, the absence chart,
and bounded queries on the month page with hundreds of staff."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from attendance.models import AttendanceRecord, AttendanceSettings
from attendance.services import days as days_services
from attendance.services import month as month_services
from staffing.models import Objection, Publication

from .factories import StaffFactory, UserFactory
from .helpers import messages_of, text
from .month_world import KEY, LAST_DAY, MONTH, YEAR, S, mark, month_of, national_holiday

pytestmark = pytest.mark.usefixtures("english_pages")
IN_WINDOW, AFTER_WINDOW = date(2026, 10, 8), date(2026, 10, 12)


@pytest.fixture
def on(monkeypatch):
    """on(day): the pages' today."""
    def _on(day):
        monkeypatch.setattr("attendance.workflow.today", lambda: day)
    _on(LAST_DAY)
    return _on


@pytest.fixture
def world(township, school, other_school, teacher, office_user, principal_user, on):
    national_holiday(township)
    month_of(office_user, teacher, {1: S.ABSENT, 2: S.LATE, 3: S.PRESENT})
    month_of(office_user, StaffFactory(school=other_school, name="丁"), {1: S.PRESENT})
    return township


def office_urls(township):
    t = township.pk
    return [reverse("attendance:month_now", args=[t]),
            reverse("attendance:month_weeks", args=[t]),
            reverse("attendance:month_settings", args=[t]),
            reverse("attendance:month_absence", args=[t]),
            reverse("attendance:month_office", args=[t, KEY]),
            reverse("attendance:month_reopen", args=[t, KEY]),
            reverse("attendance:month_export", args=[t, KEY])]


def office_posts(township):
    return [reverse(f"attendance:month_{name}", args=[township.pk, KEY])
            for name in ("publish", "lock", "reopen")]


def school_urls(school):
    return [reverse("attendance:school_weeks", args=[school.pk]),
            reverse("attendance:school_objections", args=[school.pk, KEY])]


TEACHER_URLS = [reverse("attendance:my_week"), reverse("attendance:my_month_now"),
                reverse("attendance:my_month", args=[KEY])]


# ---- who may use which page -------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_login_everywhere(client, world, school):
    for url in office_urls(world) + school_urls(school) + TEACHER_URLS:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    for url in office_posts(world):
        assert client.post(url).status_code == 302
    assert not Publication.objects.exists()


def test_the_office_s_pages_are_403_for_a_teacher_a_principal_and_a_liaison(
        login, world, teacher_user, principal_user, liaison_user):
    for user in (teacher_user, principal_user, liaison_user):
        client = login(user)
        for url in office_urls(world):
            assert client.get(url).status_code == 403, (user, url)
        for url in office_posts(world):
            assert client.post(url, {"reason": "x"}).status_code == 403, (user, url)
    assert not Publication.objects.exists()


def test_another_township_s_office_gets_404_on_this_township_s_pages(login, world,
                                                                     foreign_office):
    client = login(foreign_office)
    for url in office_urls(world):
        assert client.get(url).status_code == 404, url
    for url in office_posts(world):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    assert not Publication.objects.exists()


def test_the_office_sees_every_office_page(login, world, office_user):
    client = login(office_user)
    for url in office_urls(world):
        assert client.get(url, follow=True).status_code == 200, url


def test_a_school_s_pages_are_its_leaders(login, world, school, office_user, teacher_user,
                                          other_principal, principal_user, liaison_user):
    for user in (office_user, teacher_user):
        for url in school_urls(school):
            assert login(user).get(url).status_code == 403, (user, url)
    for url in school_urls(school):
        assert login(other_principal).get(url).status_code == 404, url
        assert login(principal_user).get(url).status_code == 200, url
        assert login(liaison_user).get(url).status_code == 200, url
    week = {"week": "2026-09-28"}
    assert login(other_principal).post(school_urls(school)[0], week).status_code == 404
    assert not Publication.objects.exists()


def test_the_teacher_pages_are_for_staff_with_a_record(login, world, office_user, liaison_user,
                                                       teacher_user):
    for user in (office_user, liaison_user):
        for url in TEACHER_URLS:
            assert login(user).get(url).status_code == 403, (user, url)
    for url in TEACHER_URLS:
        assert login(teacher_user).get(url, follow=True).status_code == 200, url


@pytest.mark.parametrize("month", ["2026-13", "2026-9", "abcd-ef", "99999-01"])
def test_a_bad_month_in_the_address_is_404(login, world, office_user, teacher_user, month):
    assert login(office_user).get(
        reverse("attendance:month_office", args=[world.pk, month])).status_code == 404
    assert login(teacher_user).get(reverse("attendance:my_month", args=[month])).status_code == 404


def test_another_school_s_objection_is_404_to_answer(login, world, school, other_school,
                                                     other_principal, teacher, teacher_user,
                                                     office_user):
    pub = month_services.month_publish(by=office_user, township=world, year=YEAR, month=MONTH)
    objection = month_services.month_object(by=teacher_user, staff=teacher, pub=pub,
                                            day=date(2026, 9, 1), reason="x", on=IN_WINDOW)
    url = reverse("attendance:school_answer", args=[other_school.pk, KEY, objection.pk])

    assert login(other_principal).post(url, {"action": "decline",
                                             "answer": "no"}).status_code == 404
    too_big = reverse("attendance:school_answer", args=[school.pk, KEY, 10 ** 20])
    assert login(other_principal).post(too_big).status_code == 404
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


# ---- the journey ------------------------------------------------------------------------------


def test_publish_object_answer_lock_reopen_and_export(login, world, on, office_user,
                                                      teacher, teacher_user, principal_user,
                                                      school):
    office = reverse("attendance:month_office", args=[world.pk, KEY])
    response = login(office_user).post(reverse("attendance:month_publish", args=[world.pk, KEY]),
                                       follow=True)
    assert "objections until 2026-10-10" in " ".join(messages_of(response))

    on(IN_WINDOW)
    page = login(office_user).get(office)
    assert "The objection window is open until 2026-10-10." in text(page)
    mine = reverse("attendance:my_month", args=[KEY])
    response = login(teacher_user).post(mine, {"day": "2026-09-01", "reason": "At a meeting"},
                                        follow=True)
    assert "Your objection to 2026-09-01 is sent" in " ".join(messages_of(response))
    response = login(teacher_user).post(mine, {"day": "2026-09-01", "reason": "   "})
    assert Objection.objects.count() == 1  # an empty reason sends nothing
    response = login(teacher_user).post(mine, {"day": "2026-09-29", "reason": "no record"})
    assert Objection.objects.count() == 1  # a day without a record is not offered

    on(AFTER_WINDOW)
    assert "1 objections are waiting for an answer." in text(login(office_user).get(office))
    objection = Objection.objects.get()
    answer = reverse("attendance:school_answer", args=[school.pk, KEY, objection.pk])
    response = login(principal_user).post(answer, {"action": "correct", "status": "official",
                                                   "answer": "meeting"}, follow=True)
    assert "is corrected" in " ".join(messages_of(response))
    assert AttendanceRecord.objects.get(staff=teacher, date=date(2026, 9, 1)).status == "official"
    assert login(principal_user).post(answer, {"action": "decline", "answer": "no"},
                                      follow=True).status_code == 200
    assert Objection.objects.get().status == Objection.Status.CORRECTED  # answered once

    response = login(teacher_user).post(mine, {"day": "2026-09-02", "reason": "late?"},
                                        follow=True)
    assert "closed on 2026-10-10" in " ".join(messages_of(response))

    response = login(office_user).post(reverse("attendance:month_lock", args=[world.pk, KEY]),
                                       follow=True)
    assert "locked" in " ".join(messages_of(response))
    day = reverse("attendance:month_reopen", args=[world.pk, KEY])
    assert "Reopen 2026-09?" in text(login(office_user).get(day))
    response = login(office_user).post(day, {"reason": " "})
    assert Publication.objects.get().state == "locked"  # no reason, no reopening
    response = login(office_user).post(day, {"reason": "a late sick note"}, follow=True)
    assert Publication.objects.get().state == "reopened"
    assert "a late sick note" in text(response)

    export = login(office_user).get(reverse("attendance:month_export", args=[world.pk, KEY]))
    rows = list(load_workbook(io.BytesIO(export.content))["月汇总"].values)
    assert rows[0][-5:] == ("旷工扣款", "迟到早退扣款", "病假扣款", "事假扣款", "扣款合计")
    by_name = {r[1]: r for r in rows[1:]}
    # 1 late (free), 1 official after the correction, 1 present: nothing deducted
    assert by_name["教师乙"][3:11] == (1, 1, 0, 0, 0, 1, 0, 3)
    assert by_name["教师乙"][-1] == 0


def test_the_lock_button_is_disabled_with_its_reason(login, world, office_user):
    page = login(office_user).get(reverse("attendance:month_office", args=[world.pk, KEY]))
    assert "It has not been published." in text(page)
    assert 'disabled aria-describedby="lock-refusal"' in page.content.decode()


def test_a_month_cannot_be_published_before_its_last_working_day(login, world, on, office_user):
    on(date(2026, 9, 20))
    response = login(office_user).post(reverse("attendance:month_publish", args=[world.pk, KEY]),
                                       follow=True)
    assert "from its last working day, 2026-09-30" in " ".join(messages_of(response))
    assert not Publication.objects.exists()


def test_the_teacher_sees_their_month_only_once_published(login, world, office_user,
                                                          teacher_user):
    mine = reverse("attendance:my_month", args=[KEY])
    assert "has not published this month yet" in text(login(teacher_user).get(mine))
    month_services.month_publish(by=office_user, township=world, year=YEAR, month=MONTH)

    page = text(login(teacher_user).get(mine))

    assert "absent without leave 1" in page and "Deductions this month: 100" in page
    assert "丁" not in page


# ---- the week --------------------------------------------------------------------------------


def test_a_school_publishes_its_week_and_the_office_sees_who_has_not(
        login, world, on, school, other_school, principal_user, office_user, teacher_user):
    on(date(2026, 9, 4))
    response = login(principal_user).post(reverse("attendance:school_weeks", args=[school.pk]),
                                          {"week": "2026-09-01"}, follow=True)
    assert "published to your staff and reported to the office" in " ".join(
        messages_of(response))
    assert login(principal_user).post(reverse("attendance:school_weeks", args=[school.pk]),
                                      {"week": "junk"}).status_code == 302
    assert Publication.objects.count() == 1

    board = login(office_user).get(reverse("attendance:month_weeks", args=[world.pk]))
    assert board.context["missing"][0] == 1  # 东张完小 has not published this week
    assert [row.published[0] is not None for row in board.context["rows"]] == [False, True]

    week = text(login(teacher_user).get(reverse("attendance:my_week") + "?week=2026-09-02"))
    assert "absent without leave" in week and "late" in week
    unpublished = text(login(teacher_user).get(reverse("attendance:my_week") + "?week=2026-08-24"))
    assert "has not published this week yet" in unpublished


# ---- settings and chart ------------------------------------------------------------------------


def test_the_office_edits_the_settings_and_a_bad_value_loses_nothing(login, world, office_user):
    url = reverse("attendance:month_settings", args=[world.pk])
    fields = {"contract_filing_days": 7, "objection_working_days": 5, "absent_deduction": "120",
              "free_late_early": 3, "late_early_deduction": "10", "sick_allowance": 2,
              "sick_deduction": "30", "personal_allowance": 1, "personal_deduction": "50"}
    bad = login(office_user).post(url, fields | {"absent_deduction": "-5",
                                                 "objection_working_days": "0"})
    assert "Nothing was saved" in " ".join(messages_of(bad))
    assert 'value="3"' in bad.content.decode()  # what was typed is still there
    assert not AttendanceSettings.objects.exists()

    response = login(office_user).post(url, fields, follow=True)

    assert "are saved" in " ".join(messages_of(response))
    saved = AttendanceSettings.objects.get(township=world)
    assert (saved.objection_working_days, saved.absent_deduction) == (5, 120)


def test_the_absence_chart_counts_staff_with_an_absent_day_per_month(login, world, on,
                                                                     office_user, teacher,
                                                                     school):
    on(date(2026, 10, 20))
    for person in StaffFactory.create_batch(3, school=school):
        mark(office_user, person, 2, S.ABSENT)
    mark(office_user, teacher, 8, S.ABSENT, month=10)

    page = login(office_user).get(reverse("attendance:month_absence", args=[world.pk]))

    assert page.context["totals"][-2:] == [4, 1]  # September 4 people, October 1
    assert "<svg" in page.content.decode() and "<script" not in page.content.decode()
    assert dict(page.context["table"])["夏庄完小"][-2:] == [4, 1]


# ---- bounded queries ----------------------------------------------------------------------------


def test_the_month_page_s_queries_do_not_grow_with_its_staff(login, world, school, office_user,
                                                             django_assert_max_num_queries):
    people = StaffFactory.create_batch(300, school=school)
    days_services.records_put(by=office_user, marks=[
        days_services.Mark(staff_id=p.pk, school_id=school.pk, date=date(2026, 9, d),
                           status=S.PRESENT if d % 5 else S.LATE)
        for p in people for d in (1, 2, 3, 4, 7)])
    month_services.month_publish(by=office_user, township=world, year=YEAR, month=MONTH)
    client = login(office_user)
    url = reverse("attendance:month_office", args=[world.pk, KEY])
    client.get(url)

    with django_assert_max_num_queries(25):
        page = client.get(url)
    with django_assert_max_num_queries(25):
        searched = client.get(url, {"q": people[0].resident_id[-4:], "page": "2"})

    assert len(page.context["rows"]) == 50 and page.context["page"].paginator.count == 302
    assert people[0].name in text(searched)


def test_the_staff_list_searches_by_name(login, world, office_user):
    page = login(office_user).get(reverse("attendance:month_office", args=[world.pk, KEY]),
                                  {"q": "丁"})
    assert [row.name for row in page.context["rows"]] == ["丁"]


def test_another_teacher_sees_only_their_own_week(login, world, teacher):
    other = StaffFactory(school=teacher.school, user=UserFactory(username="t2"))
    page = text(login(other.user).get(reverse("attendance:my_week") + "?week=2026-08-31"))
    assert teacher.name not in page
