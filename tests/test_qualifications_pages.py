"""Teacher-qualification certification's pages (R13): the waiting lists and their
search, entering, recording a check one by one and in bulk (with its confirmation),
the export, full IDs shown and recorded, who may open what, the home card, the demo."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluation.demo import qualifications as demo
from evaluation.models import (
    QualificationApplication,
    QualificationCheck,
    QualificationIdView,
    QualificationState,
)

from . import qualifications_world, titles_world
from .factories import CountyFactory, StaffFactory, TownshipFactory, UserFactory, membership
from .helpers import messages_of, text
from .qualifications_world import applicant_id, application
from .titles_world import county_office

pytestmark = pytest.mark.usefixtures("english", "english_pages")
# The worlds' fixtures, used here by name.
county, county_user = titles_world.county, titles_world.county_user
applications = qualifications_world.applications


def list_url(county, state="certificates", **params):
    query = "&".join(f"{k}={v}" for k, v in {"state": state, **params}.items())
    return reverse("evaluation:qualification_list", args=[county.pk]) + "?" + query


def page_url(found):
    return reverse("evaluation:qualification", args=[found.pk])


def many(county, by, n, *, state=QualificationState.CERTIFICATES, start=0):
    """``n`` applications written straight to the table, each with its checks so far."""
    rows = QualificationApplication.objects.bulk_create(
        QualificationApplication(county=county, name=f"批量{i}", resident_id=applicant_id(i),
                                 phone="13800000000", kind="小学", subject="数学",
                                 applied_on=date(2026, 3, 1), state=state, entered_by=by)
        for i in range(start, start + n))
    steps = {"physical": ["certificates"], "decision": ["certificates", "physical"]}
    QualificationCheck.objects.bulk_create(
        QualificationCheck(application=a, step=s, passed=True, checked_by=by)
        for a in rows for s in steps.get(state, []))
    return rows


# ---- the lists --------------------------------------------------------------------------------


def test_each_check_has_its_waiting_list(login, county, county_user, applications):
    client = login(county_user)
    waiting, at_physical, at_decision = applications
    for state, expected, absent in [("certificates", waiting, at_physical),
                                    ("physical", at_physical, at_decision),
                                    ("decision", at_decision, waiting)]:
        response = client.get(list_url(county, state))
        assert response.status_code == 200
        page = text(response)
        assert expected.name in page and absent.name not in page
    page = text(client.get(list_url(county, "certificates")))
    assert "waiting for the physical examination (1)" in page
    assert "all (3)" in page


def test_a_failed_application_shows_its_reason(login, county, county_user):
    from evaluation.services import qualifications as services
    found = application(county, county_user, 1)
    services.check_record(by=county_user, application=found, step="certificates",
                          passed=False, note="学历不符合要求")
    page = text(login(county_user).get(list_url(county, "failed")))
    assert found.name in page and "学历不符合要求" in page


def test_search_by_name_and_by_the_ids_last_four_only(login, county, county_user):
    first = application(county, county_user, 1, name="张三丰")
    second = application(county, county_user, 2, name="李四")
    client = login(county_user)
    page = text(client.get(list_url(county, q="三丰")))
    assert "张三丰" in page and "李四" not in page
    page = text(client.get(list_url(county, q=second.resident_id[-4:])))
    assert "李四" in page and "张三丰" not in page
    for tail in (second.resident_id[-5:], second.resident_id[-6:], second.resident_id[-3:]):
        assert "李四" not in text(client.get(list_url(county, q=tail)))
    page = text(client.get(list_url(county, q=first.resident_id)))
    assert "张三丰" in page and "李四" not in page


def test_the_list_shows_ids_masked(login, county, county_user):
    found = application(county, county_user, 1)
    body = login(county_user).get(list_url(county)).content.decode()
    assert found.resident_id not in body
    assert found.masked_id in body


def test_the_list_is_paginated(login, county, county_user):
    many(county, county_user, 60)
    client = login(county_user)
    first = text(client.get(list_url(county)))
    assert "60 applications." in first and "Page 1 of 2" in first
    assert "批量59" not in first
    assert "批量59" in text(client.get(list_url(county, page=2)))


def test_the_lists_in_a_bounded_number_of_queries(login, county, county_user,
                                                 django_assert_max_num_queries):
    for state in ("certificates", "physical", "decision"):
        many(county, county_user, 100, state=state, start={"certificates": 0,
                                                          "physical": 100,
                                                          "decision": 200}[state])
    client = login(county_user)
    for state in ("certificates", "decision", ""):
        with django_assert_max_num_queries(14):
            assert client.get(list_url(county, state)).status_code == 200


# ---- the export --------------------------------------------------------------------------------


def _sheet(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book["教师资格认定"].iter_rows(values_only=True))


def test_the_export_holds_the_tabs_applications_with_ids_masked(login, county, county_user,
                                                               applications):
    waiting, at_physical, at_decision = applications
    response = login(county_user).get(
        reverse("evaluation:qualification_export", args=[county.pk]) + "?state=decision")
    assert response.status_code == 200
    rows = _sheet(response)
    assert rows[0][:4] == ("姓名", "身份证号", "联系电话", "资格种类")
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == at_decision.name and row[1] == at_decision.masked_id
    assert row[9] == "通过" and row[12] == "通过" and row[15] is None
    assert not QualificationIdView.objects.exists()


def test_the_full_export_is_a_post_and_is_recorded(login, county, county_user, applications):
    client = login(county_user)
    url = reverse("evaluation:qualification_export_full", args=[county.pk])
    assert client.get(url).status_code == 405
    rows = _sheet(client.post(url, {"state": ""}))
    assert {r[1] for r in rows[1:]} == {a.resident_id for a in applications}
    view = QualificationIdView.objects.get()
    assert (view.kind, view.rows, view.viewer) == ("export", 3, county_user)
    assert "全部" in view.export
    assert "3 rows" in text(client.get(reverse("evaluation:qualification_id_views",
                                               args=[county.pk])))


def test_the_export_in_a_bounded_number_of_queries(login, county, county_user,
                                                  django_assert_max_num_queries):
    many(county, county_user, 300, state="decision")
    client = login(county_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("evaluation:qualification_export", args=[county.pk])
                              + "?state=decision")
    assert len(_sheet(response)) == 301


# ---- entering --------------------------------------------------------------------------------


def _form(n=1, **extra):
    return {"name": "孙小美", "resident_id": applicant_id(n), "phone": "138 0000 1111",
            "kind": "初级中学", "subject": "英语", "applied_on": "2026-03-02", **extra}


def test_the_office_enters_an_application_once_on_a_double_submit(login, county,
                                                                  county_user):
    client = login(county_user)
    url = reverse("evaluation:qualification_new", args=[county.pk])
    response = client.post(url, _form(), follow=True)
    found = QualificationApplication.objects.get()
    assert response.redirect_chain[-1][0] == page_url(found)
    assert "waits for the certificates review" in " ".join(messages_of(response))
    assert (found.entered_by, found.state, found.kind) == (county_user, "certificates", "初级中学")
    again = client.post(url, _form())
    assert again.status_code == 200
    assert "already has a standing application" in " ".join(messages_of(again))
    assert QualificationApplication.objects.count() == 1


def test_a_staff_applicant_is_linked(login, county, county_user, school):
    staff = StaffFactory(school=school)
    response = login(county_user).post(
        reverse("evaluation:qualification_new", args=[county.pk]),
        _form(resident_id=staff.resident_id), follow=True)
    assert QualificationApplication.objects.get().staff == staff
    assert school.name in " ".join(messages_of(response))


@pytest.mark.parametrize(("field", "value"), [
    ("resident_id", "421127199901011234"), ("resident_id", "12345"), ("phone", "电话"),
    ("applied_on", "2999-01-01"), ("kind", "大学"), ("name", "")])
def test_bad_input_is_refused_with_the_field_marked(login, county, county_user, field, value):
    response = login(county_user).post(
        reverse("evaluation:qualification_new", args=[county.pk]), _form(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not QualificationApplication.objects.exists()


# ---- one check -----------------------------------------------------------------------------


def check_url(found, step):
    return reverse("evaluation:qualification_check", args=[found.pk, step])


def test_recording_the_checks_in_order_on_the_page(login, county, county_user):
    found = application(county, county_user, 1)
    client = login(county_user)
    page = text(client.get(page_url(found)))
    assert "Record the certificates review" in page
    assert "The earlier checks must pass first." in page
    response = client.post(check_url(found, "physical"), {"outcome": "pass"}, follow=True)
    assert "The earlier checks must pass first." in " ".join(messages_of(response))
    found.refresh_from_db()
    assert found.state == "certificates"
    response = client.post(check_url(found, "certificates"),
                           {"outcome": "pass", "note": "证件齐全"}, follow=True)
    assert "goes on to the physical examination" in " ".join(messages_of(response))
    page = text(response)
    assert "certificates review" in page and "证件齐全" in page
    assert "Record the physical examination" in page
    again = client.post(check_url(found, "certificates"), {"outcome": "pass"}, follow=True)
    assert "already recorded" in " ".join(messages_of(again))
    assert found.checks.count() == 1


def test_a_fail_without_a_reason_is_refused_and_with_one_ends_it(login, county, county_user):
    found = application(county, county_user, 1, passed=1)
    client = login(county_user)
    response = client.post(check_url(found, "physical"), {"outcome": "fail", "note": " "})
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    response = client.post(check_url(found, "physical"),
                           {"outcome": "fail", "note": "体检不合格"}, follow=True)
    assert "it has ended" in " ".join(messages_of(response))
    found.refresh_from_db()
    assert found.state == "failed"
    assert "Record the" not in text(response)


def test_the_decision_pass_certifies_with_its_number(login, county, county_user):
    found = application(county, county_user, 1, passed=2)
    response = login(county_user).post(
        check_url(found, "decision"), {"outcome": "pass", "certificate_number": "2026A1"},
        follow=True)
    assert "1 application is certified." in messages_of(response)
    found.refresh_from_db()
    assert (found.state, found.certificate_number) == ("certified", "2026A1")


def test_a_junk_step_is_a_refusal_not_an_error(login, county, county_user):
    found = application(county, county_user, 1)
    response = login(county_user).post(check_url(found, "interview"), {"outcome": "pass"},
                                       follow=True)
    assert "There is no such check." in messages_of(response)


# ---- bulk ------------------------------------------------------------------------------


def bulk_url(county):
    return reverse("evaluation:qualification_bulk", args=[county.pk])


def test_bulk_asks_to_confirm_then_records(login, county, county_user, applications):
    waiting = applications[0]
    more = application(county, county_user, 5)
    client = login(county_user)
    form = {"step": "certificates", "outcome": "pass", "note": "",
            "ids": [waiting.pk, more.pk]}
    confirm = client.post(bulk_url(county), form)
    assert confirm.status_code == 200
    page = text(confirm)
    assert "Record this outcome?" in page and waiting.name in page and more.name in page
    assert not QualificationCheck.objects.filter(step="certificates",
                                                 application__in=[waiting, more]).exists()
    response = client.post(bulk_url(county), {**form, "confirm": "on"}, follow=True)
    assert "passed for 2 applications" in " ".join(messages_of(response))
    assert set(QualificationApplication.objects.filter(pk__in=[waiting.pk, more.pk])
               .values_list("state", flat=True)) == {"physical"}
    again = client.post(bulk_url(county), {**form, "confirm": "on"}, follow=True)
    assert "already recorded" in " ".join(messages_of(again))
    assert QualificationCheck.objects.filter(step="certificates").count() == 4


def test_bulk_fail_needs_a_reason(login, county, county_user, applications):
    response = login(county_user).post(bulk_url(county), {
        "step": "certificates", "outcome": "fail", "ids": [applications[0].pk],
        "confirm": "on"}, follow=True)
    assert "Give the reason the check failed." in " ".join(messages_of(response))
    applications[0].refresh_from_db()
    assert applications[0].state == "certificates"


@pytest.mark.parametrize("ids", [[], ["x"], ["1" * 30], ["-3"]])
def test_bulk_with_junk_ids_is_refused(login, county, county_user, ids):
    response = login(county_user).post(bulk_url(county), {
        "step": "certificates", "outcome": "pass", "ids": ids}, follow=True)
    assert response.status_code == 200
    assert messages_of(response)
    assert not QualificationCheck.objects.exists()


def test_bulk_confirmation_leaves_out_those_of_another_check(login, county, county_user,
                                                             applications):
    waiting, at_physical, _ = applications
    page = text(login(county_user).post(bulk_url(county), {
        "step": "certificates", "outcome": "pass", "ids": [waiting.pk, at_physical.pk]}))
    assert waiting.name in page and at_physical.name not in page
    assert "no longer waits at this check" in page


# ---- full IDs ---------------------------------------------------------------------------------


def test_the_full_id_is_shown_on_request_and_recorded(login, county, county_user):
    found = application(county, county_user, 1)
    client = login(county_user)
    assert found.resident_id not in client.get(page_url(found)).content.decode()
    response = client.post(reverse("evaluation:qualification_full_id", args=[found.pk]))
    assert found.resident_id in response.content.decode()
    assert QualificationIdView.objects.filter(application=found, viewer=county_user).count() == 1
    assert "Nobody has viewed the full ID." not in text(response)


# ---- who may -------------------------------------------------------------------------------


@pytest.fixture
def other_county_office(db):
    return county_office(CountyFactory(name="别的县"), "foreign-county")


def _urls(county, found):
    return [("get", list_url(county)), ("get", page_url(found)),
            ("get", reverse("evaluation:qualification_new", args=[county.pk])),
            ("get", reverse("evaluation:qualification_export", args=[county.pk])),
            ("post", reverse("evaluation:qualification_export_full", args=[county.pk])),
            ("get", reverse("evaluation:qualification_id_views", args=[county.pk])),
            ("post", bulk_url(county)),
            ("post", reverse("evaluation:qualification_full_id", args=[found.pk])),
            ("post", check_url(found, "certificates"))]


@pytest.mark.parametrize("who", ["other_county_office", "office_user", "principal_user",
                                 "teacher_user", "liaison_user"])
def test_every_other_role_is_refused(request, login, county, county_user, who):
    found = application(county, county_user, 1)
    client = login(request.getfixturevalue(who))
    for method, url in _urls(county, found):
        response = getattr(client, method)(url, {"outcome": "pass"} if method == "post"
                                           else {})
        assert response.status_code == 403, (who, url)
    found.refresh_from_db()
    assert found.state == "certificates" and not QualificationIdView.objects.exists()


def test_a_township_office_of_the_same_county_is_refused(login, county, county_user):
    user = UserFactory(username="township-office")
    membership(user, "township_office", TownshipFactory(county=county))
    found = application(county, county_user, 1)
    assert login(user).get(page_url(found)).status_code == 403


def test_ids_that_are_not_an_application_answer_404(login, county, county_user):
    client = login(county_user)
    for url in ("/evaluation/qualifications/999999/", "/evaluation/qualifications/x/",
                "/evaluation/qualifications/county/999999/",
                "/evaluation/qualifications/county/１/"):
        assert client.get(url).status_code == 404, url


def test_anonymous_goes_to_the_login(client, county):
    response = client.get(list_url(county))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---- home and demo -----------------------------------------------------------------------------


def test_the_county_offices_home_card_counts_each_check(login, county, county_user,
                                                        applications, principal_user):
    page = login(county_user).get("/").content.decode()
    assert 'id="qualifications-home"' in page
    assert f"{list_url(county, 'physical')}" in page.replace("&amp;", "&")
    assert 'id="qualifications-home"' not in login(principal_user).get("/").content.decode()


def test_the_demo_seeds_every_stage_once(county, county_user, township, school):
    StaffFactory(school=school)
    assert demo.seed(township) == []
    states = list(QualificationApplication.objects.values_list("state", flat=True))
    assert len(states) == 10
    assert {s: states.count(s) for s in set(states)} == {
        "certificates": 2, "physical": 2, "decision": 2, "certified": 2, "failed": 2}
    assert all(c.note for c in QualificationCheck.objects.filter(passed=False))
    assert QualificationApplication.objects.filter(staff__isnull=False).count() == 1
    assert demo.seed(township) == []
    assert QualificationApplication.objects.count() == 10
    assert timezone.localdate() >= max(QualificationApplication.objects.values_list(
        "applied_on", flat=True))
