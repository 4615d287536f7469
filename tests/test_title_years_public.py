"""Five publics and one supervision (五公开、一监督, R12): the public page of a year needs no
login, shows only what the county published and never a resident ID; objections from it
reach the county office, whose answers are recorded and published when it chooses."""

from datetime import date

import pytest
from django.urls import reverse

from evaluation.models import TitleDocument, TitlePublicObjection
from evaluation.selectors import title_years as selectors
from evaluation.services import title_years as services

from . import titles_world
from .factories import SchoolFactory, StaffFactory
from .titles_world import candidate, quota, scores, table

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def world(county_user, year, school):
    the_table = table(year)
    quota(year, school, recommended=1, posts=3)
    shown = candidate(year, StaffFactory(school=school, name="张明"), lesson="88")
    hidden = candidate(year, StaffFactory(school=school, name="李暗"), lesson="70")
    scores(shown, the_table, A1="9", B1="20")
    scores(hidden, the_table, A1="5")
    services.summary_save(by=county_user, year=year, candidate=shown,
                          text="任教十五年，县级优秀教师，主持县级课题一项", published=True)
    services.summary_save(by=county_user, year=year, candidate=hidden,
                          text="未公开的材料文字", published=False)
    for title, published in (("公开的实施方案", True), ("内部草稿文件", False)):
        services.document_save(by=county_user, year=year, document=TitleDocument(
            year=year, title=title, number="县职改〔2027〕3号", date=date(2027, 3, 5),
            text=title + "的正文", published=published))
    return shown, hidden


def public(client, year):
    return client.get(reverse("evaluation:titles_public", args=[year.pk]))


def test_the_public_page_needs_no_login_and_shows_nothing_unpublished(client, year, world):
    shown, hidden = world
    page = public(client, year)
    assert page.status_code == 200
    body = page.content.decode()
    assert "公开的实施方案" in body and "内部草稿文件" not in body
    assert "任教十五年" in body and "未公开的材料文字" not in body
    # Quotas, method and results are not published yet.
    assert "师德考核优秀" not in body
    assert "李暗" not in body
    for person in (shown, hidden):
        assert person.staff.resident_id not in body
        assert person.staff.resident_id[:10] not in body  # nor a masked one


def test_what_the_county_publishes_appears_and_still_no_resident_id(
        client, county_user, year, world):
    shown, hidden = world
    services.publication_set(by=county_user, year=year, quotas=True, method=True, results=True)
    body = public(client, year).content.decode()
    assert "师德考核优秀" in body  # the method
    assert 'id="public-quotas"' in body and shown.school.name in body
    assert "张明" in body and "李暗" in body  # the results name every ranked candidate
    for person in (shown, hidden):
        assert person.staff.resident_id not in body
    assert "未公开的材料文字" not in body


def test_an_objection_reaches_the_county_office_and_its_answer_is_published_when_chosen(
        client, county_user, year, world, login, english_pages):
    page = client.post(reverse("evaluation:titles_public_objection", args=[year.pk]),
                       {"name": "王", "contact": "138", "text": "某校评分不公开", "website": ""},
                       follow=True)
    assert "reached the county office" in page.content.decode()
    objection = TitlePublicObjection.objects.get()
    assert objection.text == "某校评分不公开" and objection.client_key != "127.0.0.1"
    assert "某校评分不公开" not in public(client, year).content.decode()  # not answered
    office = login(county_user)
    listing = office.get(reverse("evaluation:titles_objections", args=[year.pk]))
    assert "某校评分不公开" in listing.content.decode()
    url = reverse("evaluation:titles_objection", args=[year.pk, objection.pk])
    page = office.post(url, {"answer": "", "published": "on"}, follow=True)
    assert "before publishing" in page.content.decode()
    office.post(url, {"answer": "已核实，该校已公开评分", "published": ""})
    objection.refresh_from_db()
    assert objection.answered_by == county_user and objection.answered_at is not None
    client.logout()
    assert "已核实" not in public(client, year).content.decode()  # answered, not published
    login(county_user).post(url, {"answer": "已核实，该校已公开评分", "published": "on"})
    client.logout()
    body = public(client, year).content.decode()
    assert "已核实，该校已公开评分" in body and "某校评分不公开" in body
    assert "138" not in body  # the sender's contact is the office's only
    assert objection.history.count() >= 3


def test_the_objection_form_is_bounded_limited_and_checks_csrf(year, world, english_pages):
    from django.test import Client

    url = reverse("evaluation:titles_public_objection", args=[year.pk])
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url, {"text": "x"}).status_code == 403
    client = english_pages
    assert client.post(url, {"text": "长" * 2001}).status_code == 400
    assert client.post(url, {"text": ""}).status_code == 400
    for n in range(3):
        assert client.post(url, {"text": f"异议{n}"}).status_code == 302
    page = client.post(url, {"text": "第四条"})
    assert page.status_code == 429 and "Too many objections" in page.content.decode()
    # A robot filling the hidden field is thanked and nothing is kept.
    assert client.post(url, {"text": "spam", "website": "http://x"}).status_code == 302
    assert TitlePublicObjection.objects.count() == 3


def test_an_unknown_year_answers_404(client, db):
    assert client.get(reverse("evaluation:titles_public", args=[999])).status_code == 404


def test_bounded_queries_on_the_public_page_with_hundreds_of_candidates(
        client, county_user, year, township, django_assert_max_num_queries):
    the_table = table(year)
    for _ in range(30):
        school = SchoolFactory(township=township)
        quota(year, school, recommended=2)
        for _ in range(10):
            person = candidate(year, school=school, lesson="80")
            scores(person, the_table, A1="5")
            services.summary_save(by=county_user, year=year, candidate=person,
                                  text="主要业绩", published=True)
    services.publication_set(by=county_user, year=year, quotas=True, method=True, results=True)
    assert sum(len(r.rows) for r in selectors.public_year(year).results) == 300
    with django_assert_max_num_queries(20):
        page = public(client, year)
    assert page.status_code == 200


def test_after_the_final_decision_the_public_page_shows_it_and_takes_no_objection(
        client, county_user, year, world):
    services.year_close(by=county_user, year=year, document_number="县职评〔2027〕1号",
                        reason="同意各单位推荐结果")
    body = public(client, year).content.decode()
    assert "县职评〔2027〕1号" in body and 'id="objection-form"' not in body
    page = client.post(reverse("evaluation:titles_public_objection", args=[year.pk]),
                       {"text": "迟到的异议"})
    assert page.status_code == 400
    assert not TitlePublicObjection.objects.exists()
