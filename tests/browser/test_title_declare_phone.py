"""R12 on a 375-px phone: a teacher follows the home page's link to the county's title
evaluation, reads the scoring table (items, groups, caps) before declaring, declares for
高级教师, sees the declaration waiting for the unit and withdraws it after confirming."""

import pytest
from playwright.sync_api import expect

from evaluation.models import CandidateState, TitleCandidate
from tests import titles_world
from tests.titles_world import table

from .helpers import PHONE, assert_fits_the_phone, log_in

county, county_user, year = titles_world.county, titles_world.county_user, titles_world.year
pytestmark = pytest.mark.browser


def test_a_teacher_declares_on_a_phone(page, year, teacher):
    table(year)
    page.set_viewport_size(PHONE)
    log_in(page, "teacher")
    page.get_by_role("link", name="Title evaluation 2027: read the scoring table and declare"
                     ).click()
    expect(page.locator("#scoring-table")).to_contain_text("师德考核优秀")
    expect(page.locator("#scoring-table")).to_contain_text("group cap 30.00")
    assert_fits_the_phone(page)
    page.get_by_label("Level declared for").select_option("高级教师")
    page.get_by_label("Title held now").select_option("一级教师")
    page.get_by_label("Obtained on").fill("2016-09-01")
    page.get_by_role("button", name="Send my declaration").click()
    expect(page.locator(".messages")).to_contain_text("Your declaration for 高级教师 is sent")
    expect(page.locator("#candidacy-state")).to_contain_text("waiting for the unit's check")
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Withdraw the declaration…").click()
    assert_fits_the_phone(page)
    page.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".messages")).to_contain_text("Your declaration is withdrawn.")
    assert TitleCandidate.objects.get(staff=teacher).state == CandidateState.WITHDRAWN
