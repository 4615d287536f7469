"""A congress representative votes on a phone, and sees the result once the office
closes the vote."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recruitment.models import Ballot
from recruitment.services import consultation as consultation_services

from .helpers import PHONE, assert_fits_the_phone, log_in_here

pytestmark = pytest.mark.browser


@pytest.fixture
def voting(voting, reps):
    """Phase 4 open, three representatives with logins (conftest's)."""
    return voting, reps


def test_a_representative_votes_for_on_a_phone_and_sees_the_adopted_result(
    page, voting, office_user
):
    cycle, people = voting
    vote_url = reverse("recruitment:vote", args=[cycle.pk])
    page.set_viewport_size(PHONE)

    page.goto(vote_url)
    log_in_here(page, people[0].user.username)

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

    consultation_services.vote_cast(by=people[1].user, cycle=cycle, choice="for")
    consultation_services.vote_close(by=office_user, cycle=cycle)
    page.reload()

    expect(page.locator("#result")).to_have_text("Adopted")
    tally = page.locator(".tally")
    expect(tally).to_contain_text("Representatives3")
    expect(tally).to_contain_text("Took part2")
    expect(tally).to_contain_text("For2")
    expect(tally).to_contain_text("Against0")
    expect(page.locator("#voted")).to_contain_text("You voted at")
    assert_fits_the_phone(page)
