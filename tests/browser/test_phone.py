"""Steps 1–2 on a 375-px phone (issue 10, item 17): the committee page (a principal
ranking applicants) and the cycle page's phase table fit the screen without sideways
scrolling, and the rank and decision controls are reachable."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recruitment.services import selection as selection_services
from tests.factories import adopted_cycle
from tests.helpers import apply, auxiliary, person, published, teaching, to_selection

from .helpers import PHONE, assert_fits_the_phone, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def selecting(office_user, principal_user, township, school, other_school, teacher):
    """Phase 6 open, the centres' layer closed; three applicants for post 1 (+ 2), one of
    them with a long name."""
    cycle = adopted_cycle(office=office_user, township=township)
    post, aux = published(cycle, office_user, principal_user, school, teaching(1),
                          auxiliary(2, duty="实验室管理与图书室管理及课后服务", seats=3))
    for applicant in (teacher, person(school, "欧阳丙丁戊"), person(other_school, "青年己")):
        apply(applicant, cycle, school, post, aux)
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    return cycle, post


def assert_on_the_screen(locator):
    """Within the screen's width as the page lays it out: reached by scrolling down,
    not sideways (neither the page nor a table's box)."""
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def assert_no_box_scrolls_sideways(page):
    wide = page.evaluate("""Array.from(document.querySelectorAll('.table-wrap'))
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.scrollWidth)""")
    assert wide == [], f"a table scrolls sideways in its box: {wide}px wide"


def test_the_committee_page_fits_a_phone(page, selecting, school):
    cycle, post = selecting
    page.set_viewport_size(PHONE)
    log_in(page, "principal")

    page.goto(reverse("recruitment:school_selection", args=[cycle.pk, school.pk]))

    applicants = page.locator(f"#post-{post.pk}")
    expect(applicants.get_by_label("Rank of 欧阳丙丁戊")).to_be_visible()
    assert_fits_the_phone(page)
    assert_no_box_scrolls_sideways(page)
    save = applicants.get_by_role("button", name=f"Save the rankings of post {post.number}")
    for control in (applicants.get_by_label("Rank of 欧阳丙丁戊"),
                    applicants.get_by_label("Decision on 欧阳丙丁戊"), save):
        assert_on_the_screen(control)


def test_the_phase_table_fits_a_phone(page, selecting):
    cycle, _post = selecting
    page.set_viewport_size(PHONE)
    log_in(page, "office")

    page.goto(reverse("recruitment:dashboard", args=[cycle.pk]))

    expect(page.locator("#phase-6")).to_be_visible()
    assert_fits_the_phone(page)
    assert_no_box_scrolls_sideways(page)
    assert_on_the_screen(page.locator("#phase-6").get_by_role("button", name="Close"))
    assert_on_the_screen(page.locator("#phase-7").get_by_role("button", name="Open"))


def test_the_step_tables_fit_a_phone_for_those_who_are_not_the_office(page, selecting):
    """Every role but the office reads the phases in one table per step (item 13): on a
    phone each row is a card too, its deadline and state on the screen."""
    cycle, _post = selecting
    page.set_viewport_size(PHONE)
    log_in(page, "principal")

    page.goto(reverse("recruitment:dashboard", args=[cycle.pk]))

    expect(page.locator("#step-2")).to_be_visible()
    assert_fits_the_phone(page)
    assert_no_box_scrolls_sideways(page)
    for number in (6, 10):
        row = page.locator(f"#phase-{number}")
        assert_on_the_screen(row.locator("time").last)
        assert_on_the_screen(row.locator("td").last)
