"""五公开、一监督 on a 375-px phone, with no login: a resident reads a year's published
policy, quotas, method and results without scrolling sideways, and sends an objection that
reaches the county office."""

from datetime import date

import pytest
from playwright.sync_api import expect

from evaluation.models import TitleDocument, TitlePublicObjection
from evaluation.services import title_years as services
from tests import titles_world
from tests.factories import StaffFactory
from tests.titles_world import candidate, quota, scores, table

from .helpers import PHONE, assert_fits_the_phone

county, county_user, year = titles_world.county, titles_world.county_user, titles_world.year
pytestmark = pytest.mark.browser


def test_anyone_reads_the_public_page_and_objects_on_a_phone(page, county_user, year, school):
    the_table = table(year)
    quota(year, school, recommended=1, posts=3)
    person = candidate(year, StaffFactory(school=school, name="张明"), lesson="88")
    scores(person, the_table, A1="9", B1="20")
    services.document_save(by=county_user, year=year, document=TitleDocument(
        year=year, title="中小学教师专业技术职务评审工作实施方案", number="县职改〔2027〕3号",
        date=date(2027, 3, 5), text="岗位职数核定到各基层单位。", published=True))
    services.summary_save(by=county_user, year=year, candidate=person,
                          text="任教十五年，县级优秀教师", published=True)
    services.publication_set(by=county_user, year=year, quotas=True, method=True, results=True)
    page.set_viewport_size(PHONE)
    page.goto(f"/evaluation/titles/public/{year.pk}/")
    expect(page.locator("#public-documents")).to_contain_text("实施方案")
    expect(page.locator("#public-quotas")).to_contain_text(school.name)
    expect(page.locator("#public-method")).to_contain_text("师德考核优秀")
    expect(page.locator("#public-results")).to_contain_text("张明")
    assert person.staff.resident_id not in page.content()
    assert_fits_the_phone(page)
    page.get_by_label("Your objection").fill("某校未公开评分")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".messages")).to_contain_text("reached the county office")
    assert_fits_the_phone(page)
    assert TitlePublicObjection.objects.get().text == "某校未公开评分"
