"""The county office's title year (R12, part ``title_years``): the year and its shares,
quotas from ratios (1:1) and extra quotas, the final decision closing the year, and who
may do what."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation.models import (
    TitleExtraAllocation,
    TitleFinalDecision,
    TitleLevel,
    TitleQuota,
    YearState,
)
from evaluation.selectors import titles as title_selectors
from evaluation.services import title_years as services
from schools.models import Role

from . import titles_world
from .factories import CountyFactory, SchoolFactory, StaffFactory, TownshipFactory, UserFactory
from .factories import membership as grant
from .titles_world import candidate, quota, scores, table

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def staff(school, n, title):
    for _ in range(n):
        StaffFactory(school=school, title=title)


# ---- the year -----------------------------------------------------------------------------


def test_the_county_office_creates_a_year_with_shares_adding_up_to_one(
        county, county_user, login, english_pages):
    client = login(county_user)
    page = client.post(reverse("evaluation:titles"), {
        "county": county.pk, "year": 2030, "quantitative_share": "0.6", "lesson_share": "0.3"})
    assert page.status_code == 200
    assert "add up to 1" in page.content.decode()
    page = client.post(reverse("evaluation:titles"), {
        "county": county.pk, "year": 2030, "quantitative_share": "0.6", "lesson_share": "0.4"},
        follow=True)
    created = county.title_years.get(year=2030)
    assert (created.quantitative_share, created.lesson_share) == (D("0.60"), D("0.40"))
    assert "created" in page.content.decode()
    assert created.history.first().history_user == county_user


def test_a_year_twice_is_refused(county, county_user, year):
    with pytest.raises(ValidationError):
        services.year_create(by=county_user, county=county, year=year.year,
                             quantitative_share=D("0.7"), lesson_share=D("0.3"))


def test_the_default_shares_are_seventy_thirty(county, county_user, login):
    page = login(county_user).get(reverse("evaluation:titles"))
    form = page.context["form"]
    assert (form["quantitative_share"].value(), form["lesson_share"].value()) == (
        D("0.70"), D("0.30"))
    created = services.year_create(by=county_user, county=county, year=2031,
                                   quantitative_share=D("0.70"), lesson_share=D("0.30"))
    assert created.is_open


# ---- quotas -------------------------------------------------------------------------------


def test_quotas_from_the_ratios_give_one_recommendation_per_vacant_post(
        county_user, year, school, other_school):
    staff(school, 8, TitleLevel.FIRST)
    staff(school, 12, "二级教师")  # 20 staff
    staff(other_school, 10, TitleLevel.FIRST)  # 10 staff, all holding 一级 already
    services.ratios_set(by=county_user, year=year,
                        ratios={TitleLevel.FIRST: D("0.5"), TitleLevel.SENIOR: D("0.125")})
    assert services.quotas_compute(by=county_user, year=year) == 4
    got = {(q.school_id, q.level): (q.posts, q.recommended)
           for q in TitleQuota.objects.filter(year=year)}
    assert got[(school.pk, TitleLevel.FIRST)] == (10, 2)  # 20 × 0.5 = 10 posts, 8 held
    assert got[(school.pk, TitleLevel.SENIOR)] == (2, 2)  # floor(20 × 0.125) = 2, none held
    assert got[(other_school.pk, TitleLevel.FIRST)] == (5, 0)  # more held than posts: 0
    assert got[(other_school.pk, TitleLevel.SENIOR)] == (1, 1)  # floor(1.25)
    first = TitleQuota.objects.get(year=year, school=school, level=TitleLevel.FIRST)
    assert first.history.first().history_change_reason == services.COMPUTE_REASON
    assert services.quotas_compute(by=county_user, year=year) == 0  # nothing changed


def test_an_extra_quota_goes_to_the_units_the_office_chooses_never_more_than_granted(
        county_user, year, school, other_school):
    a = quota(year, school, recommended=1)
    b = quota(year, other_school, recommended=0)
    extra = services.extra_create(by=county_user, year=year, level=TitleLevel.SENIOR, count=2,
                                  document_number="市职改〔2027〕12号", date=date(2027, 4, 8))
    with pytest.raises(ValidationError, match="grants only 2"):
        services.extra_allocate(by=county_user, extra=extra, counts={a.pk: 2, b.pk: 1})
    assert services.extra_allocate(by=county_user, extra=extra, counts={a.pk: 1, b.pk: 1}) == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.recommended, b.recommended) == (2, 1)
    # Moved later: the difference only.
    services.extra_allocate(by=county_user, extra=extra, counts={a.pk: 0, b.pk: 2})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.recommended, b.recommended) == (1, 2)
    assert TitleExtraAllocation.objects.get(extra=extra, quota=a).history.count() == 2
    # A unit's quota never drops below its extra places.
    with pytest.raises(ValidationError, match="extra quotas"):
        services.quota_set(by=county_user, quota=b, posts=3, recommended=1)
    assert b.history.first().history_change_reason == services.EXTRA_REASON


def test_an_extra_quota_of_another_level_cannot_be_allocated_to_a_unit(
        county_user, year, school):
    first = quota(year, school, level=TitleLevel.FIRST)
    extra = services.extra_create(by=county_user, year=year, level=TitleLevel.SENIOR, count=1,
                                  document_number="x", date=date(2027, 1, 1))
    with pytest.raises(ValidationError):
        services.extra_allocate(by=county_user, extra=extra, counts={first.pk: 1})


def test_a_quota_changed_after_candidates_exist_moves_only_the_line_of_recommendation(
        county_user, year, school):
    the_table = table(year)
    the_quota = quota(year, school, recommended=1)
    strong = candidate(year, school=school, lesson="90")
    weak = candidate(year, school=school, lesson="60")
    scores(strong, the_table, A1="10")
    scores(weak, the_table, A1="5")
    [ranking] = title_selectors.rankings(year)
    assert [(r.candidate, r.rank, r.recommended) for r in ranking.rows] == [
        (strong, 1, "是"), (weak, 2, "否")]
    services.quota_set(by=county_user, quota=the_quota, posts=3, recommended=2)
    [ranking] = title_selectors.rankings(year)
    assert [(r.candidate, r.rank, r.recommended) for r in ranking.rows] == [
        (strong, 1, "是"), (weak, 2, "是")]
    the_quota.refresh_from_db()
    assert the_quota.revision == 0  # the scores did not change: acknowledgements stand
    assert the_quota.history.first().history_user == county_user


def test_the_quota_pages_edit_and_export(county_user, year, school, login, english_pages):
    the_quota = quota(year, school, recommended=1, posts=2)
    client = login(county_user)
    page = client.get(reverse("evaluation:titles_quotas", args=[year.pk]))
    assert school.name in page.content.decode()
    page = client.post(reverse("evaluation:titles_quota", args=[year.pk, the_quota.pk]),
                       {"posts": 4, "recommended": 3}, follow=True)
    assert "saved" in page.content.decode()
    the_quota.refresh_from_db()
    assert (the_quota.posts, the_quota.recommended) == (4, 3)
    export = client.get(reverse("evaluation:titles_quotas_export", args=[year.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_ratios_and_compute_from_the_page(county_user, year, school, login, english_pages):
    staff(school, 10, "二级教师")
    client = login(county_user)
    url = reverse("evaluation:titles_quotas_ratios", args=[year.pk])
    page = client.post(url, {"ratio_0": "0.3", "ratio_1": "0.1", "compute": "1"})
    body = page.content.decode()
    assert "Computing will create or change 2 quotas" in body  # asked first
    assert 'name="confirmed"' in body and not TitleQuota.objects.exists()
    page = client.post(url, {"ratio_0": "0.3", "ratio_1": "0.1", "compute": "1",
                             "confirmed": "1"}, follow=True)
    assert "Quotas computed" in page.content.decode()
    assert TitleQuota.objects.get(year=year, school=school, level=TitleLevel.FIRST).posts == 3


# ---- the final decision -----------------------------------------------------------------


def test_the_final_decision_closes_the_year_and_every_change_is_refused_after(
        county_user, year, school, login, english_pages):
    the_quota = quota(year, school)
    client = login(county_user)
    page = client.get(reverse("evaluation:titles_close", args=[year.pk]))
    assert "What follows" in page.content.decode()
    page = client.post(reverse("evaluation:titles_close", args=[year.pk]),
                       {"document_number": "", "reason": "", "confirm": "on"})
    assert "document number or its text" in page.content.decode()
    page = client.post(reverse("evaluation:titles_close", args=[year.pk]),
                       {"document_number": "县职评〔2027〕1号", "reason": "同意推荐",
                        "confirm": "on"}, follow=True)
    assert "is closed" in page.content.decode()
    year.refresh_from_db()
    assert year.state == YearState.CLOSED
    decision = TitleFinalDecision.objects.get(year=year)
    assert (decision.decided_by, decision.document_number) == (county_user, "县职评〔2027〕1号")
    closed = "closed this year"
    with pytest.raises(ValidationError, match=closed):
        services.quota_set(by=county_user, quota=the_quota, posts=9, recommended=9)
    with pytest.raises(ValidationError, match=closed):
        services.ratios_set(by=county_user, year=year, ratios={TitleLevel.FIRST: D("0.1")})
    with pytest.raises(ValidationError, match=closed):
        services.extra_create(by=county_user, year=year, level=TitleLevel.FIRST, count=1,
                              document_number="x", date=date(2027, 1, 1))
    with pytest.raises(ValidationError, match=closed):
        services.publication_set(by=county_user, year=year, quotas=True, method=True,
                                 results=True)
    with pytest.raises(ValidationError, match=closed):
        services.year_close(by=county_user, year=year, document_number="again", reason="")
    with pytest.raises(ValidationError, match=closed):
        services.objection_submit(year=year, text="异议")
    page = client.post(reverse("evaluation:titles_quota", args=[year.pk, the_quota.pk]),
                       {"posts": 9, "recommended": 9}, follow=True)
    assert closed in page.content.decode()
    the_quota.refresh_from_db()
    assert the_quota.posts != 9


# ---- who may ----------------------------------------------------------------------------


@pytest.fixture
def foreign_county_office(db):
    other = CountyFactory(name="别的县")
    TownshipFactory(county=other)
    user = UserFactory(username="other-county")
    grant(user, Role.COUNTY_OFFICE, other)
    return user


def county_pages(year, the_quota):
    return [reverse(name, args=args) for name, args in [
        ("evaluation:titles_year", [year.pk]),
        ("evaluation:titles_quotas", [year.pk]),
        ("evaluation:titles_quotas_export", [year.pk]),
        ("evaluation:titles_quota", [year.pk, the_quota.pk]),
        ("evaluation:titles_extras", [year.pk]),
        ("evaluation:titles_documents", [year.pk]),
        ("evaluation:titles_summaries", [year.pk]),
        ("evaluation:titles_publication", [year.pk]),
        ("evaluation:titles_objections", [year.pk]),
        ("evaluation:titles_close", [year.pk]),
        ("evaluation:titles_table_import", [year.pk]),
        ("evaluation:titles_year_history", [year.pk]),
    ]]


def test_another_county_township_offices_and_principals_cannot_run_the_year(
        year, school, foreign_county_office, office_user, principal_user, teacher_user, login,
        client):
    the_quota = quota(year, school)
    for user in (foreign_county_office, office_user, principal_user, teacher_user):
        login(user)
        for url in county_pages(year, the_quota):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(reverse("evaluation:titles_quota", args=[year.pk, the_quota.pk]),
                           {"posts": 9, "recommended": 9}).status_code == 403
        assert client.post(reverse("evaluation:titles_close", args=[year.pk]), {
            "reason": "x", "confirm": "on"}).status_code == 403
        if user != foreign_county_office:  # which lists its own county's years
            assert client.get(reverse("evaluation:titles")).status_code == 403
    the_quota.refresh_from_db()
    assert the_quota.posts == 1
    with pytest.raises(PermissionDenied):
        services.quota_set(by=foreign_county_office, quota=the_quota, posts=9, recommended=9)


def test_an_id_that_is_not_one_answers_404(county_user, year, school, login, client):
    login(county_user)
    assert client.get(reverse("evaluation:titles_year", args=[year.pk + 99])).status_code == 404
    assert client.get(reverse("evaluation:titles_quota", args=[year.pk, 999])).status_code == 404
    other_year = titles_world.title_year(year.county, county_user, year=2028)
    foreign = quota(other_year, school)
    assert client.get(reverse("evaluation:titles_quota", args=[year.pk, foreign.pk])
                      ).status_code == 404


def test_staff_of_the_county_read_the_table_before_they_declare(
        year, teacher_user, foreign_county_office, login, client):
    table(year)
    login(teacher_user)
    page = client.get(reverse("evaluation:titles_table", args=[year.pk]))
    assert page.status_code == 200
    assert "师德考核优秀" in page.content.decode()
    login(foreign_county_office)
    assert client.get(reverse("evaluation:titles_table", args=[year.pk])).status_code == 403


def test_the_home_card_shows_the_county_office_what_needs_doing(
        county_user, year, login, english_pages):
    page = login(county_user).get("/")
    body = page.content.decode()
    assert 'id="title-years-home"' in body
    assert reverse("evaluation:titles_table_import", args=[year.pk]) in body


def test_every_list_exports(county_user, year, school, login):
    quota(year, school)
    client = login(county_user)
    for name, args in [("evaluation:titles_export", []),
                       ("evaluation:titles_quotas_export", [year.pk]),
                       ("evaluation:titles_extras_export", [year.pk]),
                       ("evaluation:titles_documents_export", [year.pk]),
                       ("evaluation:titles_summaries_export", [year.pk]),
                       ("evaluation:titles_objections_export", [year.pk]),
                       ("evaluation:titles_table_export", [year.pk])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), name


def test_bounded_queries_on_the_quota_list_with_hundreds_of_units(
        county_user, year, township, login, django_assert_max_num_queries):
    schools = SchoolFactory.create_batch(150, township=township)
    for school in schools:
        quota(year, school, level=TitleLevel.FIRST)
        quota(year, school, level=TitleLevel.SENIOR)
    StaffFactory.create_batch(30, school=schools[0])
    client = login(county_user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("evaluation:titles_quotas", args=[year.pk]))
    assert page.status_code == 200
    with django_assert_max_num_queries(20):
        page = client.get(reverse("evaluation:titles_quotas", args=[year.pk]) + "?page=3")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:titles_quotas_export", args=[year.pk])
                          ).status_code == 200


def test_the_extra_quota_pages_record_allocate_and_show_history(
        county_user, year, school, login, english_pages):
    the_quota = quota(year, school, recommended=1)
    client = login(county_user)
    page = client.post(reverse("evaluation:titles_extras", args=[year.pk]), {
        "level": TitleLevel.SENIOR, "count": 1, "document_number": "市职改〔2027〕9号",
        "date": "2027-04-08", "note": ""}, follow=True)
    assert "recorded" in page.content.decode()
    extra = year.extra_quotas.get()
    url = reverse("evaluation:titles_extra", args=[year.pk, extra.pk])
    page = client.post(url, {f"q{the_quota.pk}": 2}, follow=True)
    assert "grants only 1" in page.content.decode()
    page = client.post(url, {f"q{the_quota.pk}": 1}, follow=True)
    body = page.content.decode()
    assert "Allocation saved" in body and f"Allocation to {school.name}" in body
    the_quota.refresh_from_db()
    assert the_quota.recommended == 2
    history = client.get(reverse("evaluation:titles_extra_history", args=[year.pk, extra.pk]))
    assert "市职改〔2027〕9号" in history.content.decode()


def test_documents_materials_and_publication_pages_keep_history(
        county_user, year, school, login, english_pages):
    person = candidate(year, school=school)
    client = login(county_user)
    page = client.post(reverse("evaluation:titles_documents", args=[year.pk]), {
        "title": "实施方案", "number": "县职改〔2027〕3号", "date": "2027-03-05",
        "text": "正文", "published": "on"}, follow=True)
    assert "saved" in page.content.decode()
    document = year.documents.get()
    client.post(reverse("evaluation:titles_document", args=[year.pk, document.pk]), {
        "title": "实施方案（修订）", "number": "县职改〔2027〕3号", "date": "2027-03-05",
        "text": "正文", "published": ""})
    document.refresh_from_db()
    assert (document.title, document.published) == ("实施方案（修订）", False)
    assert document.history.count() == 2
    page = client.get(reverse("evaluation:titles_summary", args=[year.pk, person.pk]))
    assert person.staff.name in page.content.decode()
    assert person.staff.resident_id not in page.context["form"]["text"].value()
    client.post(reverse("evaluation:titles_summary", args=[year.pk, person.pk]),
                {"text": "主要业绩", "published": "on"})
    assert person.public_summary.published
    client.post(reverse("evaluation:titles_publication", args=[year.pk]),
                {"quotas": "on", "method": "", "results": ""})
    assert year.publication.quotas and not year.publication.results


def test_the_home_card_is_the_county_offices_only(year, office_user, teacher_user, login):
    for user in (office_user, teacher_user):
        assert 'id="title-years-home"' not in login(user).get("/").content.decode()


def test_the_year_dashboard_leads_to_every_part_of_the_year(
        county_user, year, school, login, english_pages):
    """The county office finds the candidates', scoring and review pages from the year."""
    table(year)
    quota(year, school)
    client = login(county_user)
    page = client.get(reverse("evaluation:titles_year", args=[year.pk]))
    text = page.content.decode()
    names = ["title_eligibility", "title_units", "title_import", "title_rankings",
             "title_acknowledgements", "title_objections", "title_exceptional_home"]
    for name in names:
        url = reverse(f"evaluation:{name}", args=[year.pk])
        assert f'href="{url}"' in text, name
        assert client.get(url, follow=True).status_code == 200, name
