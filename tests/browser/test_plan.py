"""The office's journey through phase 1 in a real browser: open the phase, write the
plan, save it, and find revision 1 on the plan page."""

import pytest
from playwright.sync_api import expect

from recruitment.models import PhaseState, PlanRevision
from recruitment.selectors import common as common_selectors
from recruitment.services import cycle as cycle_services
from tests.helpers import TEXT

from .helpers import log_in

pytestmark = pytest.mark.browser


def test_office_opens_phase_1_writes_the_plan_and_sees_revision_1(page, office_user, township,
                                                                  school, other_school):
    cycle = cycle_services.cycle_create(by=office_user, township=township, school_year=2026)
    log_in(page, "office")

    page.get_by_role("link", name="Staffing cycle").first.click()
    phase_1 = page.locator("#phase-1")
    expect(page.locator("#phase-2").get_by_role("button", name="Open")).to_be_disabled()
    phase_1.get_by_role("button", name="Open").click()

    expect(page.locator(".message.success")).to_have_text("Phase 1 (Draft the plan) is open.")
    expect(phase_1.locator(".state")).to_have_text("open")

    phase_1.get_by_role("link", name="Write the plan").click()
    page.get_by_label("Text of the plan").fill(TEXT)
    page.get_by_label("What changed").fill("初稿")
    page.get_by_label("Training test pass mark (R7)").fill("70")
    page.get_by_label("Posts of 夏庄完小").fill("18")
    page.get_by_label("夏庄完小 recruits township-wide first").check()
    page.get_by_role("button", name="Save as a new revision").click()

    expect(page.locator(".message.success")).to_have_text(
        "Revision 1 of the plan has been saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("The staffing plan")
    expect(page.locator("#revision-line")).to_contain_text("Revision 1, saved by office at")
    expect(page.get_by_role("heading", name="二、岗位设置")).to_be_visible()
    expect(page.locator("#settings")).to_contain_text("70")
    expect(page.locator("#schools").get_by_role("row", name="夏庄完小")).to_contain_text(
        "first: recruits township-wide")
    expect(page.locator("#total-posts")).to_have_text("38")
    revision = PlanRevision.objects.get(cycle=cycle)
    assert (revision.number, revision.note, revision.training_pass_mark) == (1, "初稿", 70)
    assert common_selectors.phase_of(cycle, 1).state == PhaseState.OPEN
