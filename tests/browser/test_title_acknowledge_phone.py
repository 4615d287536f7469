"""R12 on a 375-px phone: a candidate follows the home page's "scores to acknowledge" to
their unit and level's public scores, reads every competitor's item scores and totals,
acknowledges having seen them, and sees it recorded."""

import pytest
from playwright.sync_api import expect

from evaluation.models import TitleAcknowledgement
from tests import titles_world
from tests.titles_world import candidate, quota, scores, table

from .helpers import PHONE, assert_fits_the_phone, log_in

county, county_user, year = titles_world.county, titles_world.county_user, titles_world.year
pytestmark = pytest.mark.browser


def test_a_candidate_acknowledges_the_scores_on_a_phone(page, year, school, teacher):
    the_table = table(year)
    quota(year, school, recommended=1)
    me = candidate(year, teacher, lesson="88.5")
    rival = candidate(year, school=school, lesson="91")
    scores(me, the_table, A1="9", B1="18", B2="15")
    scores(rival, the_table, A1="10", B1="20")
    page.set_viewport_size(PHONE)
    log_in(page, "teacher")
    page.get_by_role("link", name="Title scores to acknowledge (高级教师)").click()
    expect(page.locator("#scores")).to_contain_text(rival.staff.name)
    expect(page.locator("#own-line")).to_contain_text("教师乙")
    expect(page.locator("#own-line")).to_contain_text("53.85")  # 0.7 × 39 + 0.3 × 88.5
    expect(page.locator("#validity")).to_contain_text("Not valid yet")
    assert_fits_the_phone(page)
    right = page.locator("#own-line .item-scores").evaluate(
        "e => e.getBoundingClientRect().right")
    assert right <= PHONE["width"], "the item scores run off the card"
    page.get_by_role("button", name="I have seen my competitors' scores").click()
    expect(page.locator(".messages")).to_contain_text(
        "You acknowledged the scores of your competitors.")
    expect(page.locator("#acknowledged")).to_contain_text(
        "You acknowledged the scores as they stand now.")
    assert_fits_the_phone(page)
    assert TitleAcknowledgement.objects.filter(candidate=me).count() == 1
