"""A congress representative votes on a phone, and sees the result once the office
closes the vote."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recruitment import services
from recruitment.models import Ballot
from recruitment.phases import DRAFT, OPINIONS, REVIEW, VOTE
from tests.conftest import PASSWORD
from tests.test_cycle_services import TEXT, phase, run, staff_user

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def voting(office_user, township, school, other_school):
    """Phase 4 open, three representatives with logins."""
    cycle = services.cycle_create(by=office_user, township=township, school_year=2026)
    services.phase_open(by=office_user, phase=phase(cycle, DRAFT))
    services.plan_revise(by=office_user, cycle=cycle, text=TEXT)
    people = [staff_user(school if i < 2 else other_school, f"代表{i}") for i in range(3)]
    for person in people:
        services.representative_add(by=office_user, cycle=cycle, staff=person)
    run(cycle, office_user, DRAFT, REVIEW, OPINIONS)
    services.phase_open(by=office_user, phase=phase(cycle, VOTE))
    return cycle, people


def assert_fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px wide"


def test_a_representative_votes_for_on_a_phone_and_sees_the_adopted_result(
    page, voting, office_user
):
    cycle, people = voting
    vote_url = reverse("recruitment:vote", args=[cycle.pk])
    page.set_viewport_size(PHONE)

    page.goto(vote_url)
    page.get_by_label("Username").fill(people[0].user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(re.escape(vote_url) + "$"))
    expect(page.get_by_role("heading", name="Revision 1 is being voted")).to_be_visible()
    vote_for = page.get_by_role("button", name="For", exact=True)
    box = vote_for.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 48  # a thumb hits it
    assert_fits_the_phone(page)

    vote_for.click()
    expect(page.get_by_text("You vote FOR revision 1. This cannot be changed.")).to_be_visible()
    assert not Ballot.objects.exists()  # nothing is cast before the confirmation
    page.get_by_role("button", name="Confirm my vote").click()

    expect(page.locator(".message.success")).to_contain_text("Your vote has been cast at")
    expect(page.locator("#voted")).to_contain_text("You voted at")
    expect(page.get_by_role("button", name="For", exact=True)).to_have_count(0)
    expect(page.locator("#turnout")).to_contain_text("1 of 3 representatives have voted")
    assert Ballot.objects.get().choice == "for"

    services.vote_cast(by=people[1].user, cycle=cycle, choice="for")
    services.vote_close(by=office_user, cycle=cycle)
    page.reload()

    expect(page.locator("#result")).to_have_text("Adopted")
    tally = page.locator(".tally")
    expect(tally).to_contain_text("Representatives3")
    expect(tally).to_contain_text("Took part2")
    expect(tally).to_contain_text("For2")
    expect(tally).to_contain_text("Against0")
    expect(page.locator("#voted")).to_contain_text("You voted at")
    assert_fits_the_phone(page)
