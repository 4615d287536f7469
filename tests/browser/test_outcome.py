"""The allocation's journey in a real browser: the office runs the engine and reviews the
run, sends it to the schools, the principal confirms, the teacher who moved finds the
result, and the office sees the outcome drawn as charts."""

import pytest
from playwright.sync_api import expect

from recruitment.models import Hire
from tests.factories import adopted_cycle

from .helpers import log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def cycle(office_user, township, school, other_school):
    """The allocation pages' world (conftest's ``posts``, ``mover``, ``selecting``): phase 6
    open, a cross-school applicant ranked "hire"."""
    return adopted_cycle(office=office_user, township=township)


def test_allocation_from_the_run_to_the_teachers_result(page, office_user, principal_user,
                                                        layer_closed, mover, posts):
    selecting = layer_closed
    log_in(page, "office")
    page.goto(f"/cycle/{selecting.pk}/allocation/")
    page.get_by_label("Own staff first").check()
    page.get_by_role("button", name="Run the engine").click()

    expect(page.locator(".message.success")).to_have_text(
        "The engine placed 1 of 1 applicants. Review the assignment, then send it to the "
        "schools.")
    expect(page.locator(f"#placements-{posts['here'][0].school_id}")).to_have_text("夏庄完小")
    expect(page.locator("table.placements")).to_contain_text("青年丙")
    page.get_by_role("button", name="Send to schools").click()
    expect(page.locator("#send-summary")).to_contain_text("1 proposal goes to 1 school(s).")
    page.get_by_role("button", name="Yes, send 1 proposal").click()
    expect(page.locator(".message.success")).to_have_text(
        "1 proposal sent to 1 school(s); each confirms or declines.")
    expect(page.get_by_role("button", name="Send to schools")).to_be_disabled()
    log_out(page)

    log_in(page, "principal")
    page.goto(f"/cycle/{selecting.pk}/proposals/")
    page.get_by_role("button", name="Confirm: hire").click()
    expect(page.locator(".message.success")).to_have_text("青年丙 is hired to post 1 at 夏庄完小.")
    assert Hire.objects.get(staff=mover).source == "allocation"
    log_out(page)

    log_in(page, "s-青年丙")
    page.goto(f"/cycle/{selecting.pk}/my-result/")
    expect(page.locator("#result")).to_contain_text("Hired at 夏庄完小")
    expect(page.locator("#result")).to_contain_text("allocated by the office")
    log_out(page)

    log_in(page, "office")
    page.goto(f"/cycle/{selecting.pk}/outcome/")
    expect(page.locator("#charts svg.chart")).to_have_count(2)
    expect(page.get_by_role("img", name="Age structure, the township")).to_be_visible()
