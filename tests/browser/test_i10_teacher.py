"""Issue 10, item 12 in a real browser, on a phone: a teacher who was not hired logs in
and finds on the home page their result and what comes next, and on "my result" why
they did not get the post they chose — in plain words, without rule codes."""

import re

import pytest
from playwright.sync_api import expect

from recruitment.phases import SELECTION
from recruitment.services import selection as selection_services
from tests.factories import adopted_cycle
from tests.helpers import apply, close_phase, person, to_selection

from .helpers import PHONE, assert_fits_the_phone, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def cycle(office_user, township, school, other_school):
    return adopted_cycle(office=office_user, township=township)


def test_an_unhired_teacher_sees_their_result_and_next_step_on_a_phone(
        page, office_user, principal_user, cycle, posts, school):
    here = posts["here"]
    me, rival = person(school, "王老师"), person(school, "李老师")
    for staff in (me, rival):
        apply(staff, cycle, school, here[0], here[1])
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    selection_services.ranking_record(by=principal_user, post=here[0], staff=rival, rank=1,
                                      decision="hire")
    selection_services.ranking_record(by=principal_user, post=here[0], staff=me, rank=2,
                                      decision="hire")
    selection_services.hire_confirm(by=principal_user, post=here[0], staff=rival)
    close_phase(cycle, office_user, SELECTION)
    page.set_viewport_size(PHONE)

    log_in(page, "s-王老师")

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, 王老师")
    result = page.locator("#own-result")
    expect(result).to_contain_text("Not hired yet")
    expect(result.locator("#next-step")).to_contain_text("training class with a test")
    assert_fits_the_phone(page)
    result.get_by_role("link", name="See your result").click()
    why = page.locator("#why-not")
    expect(why).to_contain_text("Choice 1, post 1 at 夏庄完小:")
    expect(why).to_contain_text("filled by 1 applicant its committee ranked higher")
    assert not re.search(r"R[1-9]", page.locator("main").inner_text())
    assert_fits_the_phone(page)
