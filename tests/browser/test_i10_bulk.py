"""Issue 10 in a real browser on a phone-sized window: the committee numbers a post's
applicants and decides each in one form, then the principal picks both hires, reviews
them and confirms them at once; nothing scrolls sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recruitment.models import Hire, Ranking
from recruitment.services import selection as selection_services
from tests.factories import adopted_cycle
from tests.helpers import apply, auxiliary, person, published, teaching, to_selection

from .helpers import PHONE, assert_fits_the_phone, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def selecting(office_user, principal_user, township, school):
    """Phase 6 open, the layer closed; post 1 has two seats and three applicants."""
    cycle = adopted_cycle(office=office_user, township=township)
    post, aux = published(cycle, office_user, principal_user, school, teaching(1, seats=2),
                          auxiliary(2, seats=3))
    people = [person(school, name) for name in ("张一", "李二", "王三")]
    for staff in people:
        apply(staff, cycle, school, post, aux)
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    return cycle, post, people


def test_a_committee_ranks_a_post_and_confirms_two_hires_on_a_phone(page, selecting,
                                                                    principal_user, school):
    cycle, post, (zhang, li, wang) = selecting
    page.set_viewport_size(PHONE)
    log_in(page, "principal")
    page.goto(reverse("recruitment:school_selection", args=[cycle.pk, school.pk]))
    card = page.locator(f"#post-{post.pk}")
    assert_fits_the_phone(page)

    for staff, rank, decision in ((zhang, "1", "hire"), (li, "2", "hire"),
                                  (wang, "3", "not hire")):
        card.get_by_label(f"Rank of {staff.name}").fill(rank)
        card.get_by_label(f"Decision on {staff.name}").select_option(label=decision)
    card.get_by_role("button", name="Save the rankings of post 1").click()

    expect(page.locator(".message.success")).to_have_text("Post 1: 3 rankings saved.")
    assert sorted(Ranking.objects.values_list("rank", "decision")) == [
        (1, "hire"), (2, "hire"), (3, "not_hire")]
    assert_fits_the_phone(page)

    page.get_by_label("Pick 张一").check()
    page.get_by_label("Pick 李二").check()
    page.get_by_role("button", name="Review the picked hires").click()

    review = page.locator("#confirm-many")
    expect(review.get_by_role("heading")).to_have_text("Confirm several hires")
    expect(review).to_contain_text("Confirm these 2 hires at 夏庄完小?")
    assert not Hire.objects.exists()
    assert_fits_the_phone(page)
    review.get_by_role("button", name="Yes, confirm these hires").click()

    expect(page.locator(".message.success")).to_have_text(
        "2 hires confirmed: 张一 (#1), 李二 (#1).")
    expect(page.locator("#hires").get_by_role("heading")).to_have_text("2 hires so far")
    assert {h.staff for h in Hire.objects.all()} == {zhang, li}
    assert_fits_the_phone(page)
