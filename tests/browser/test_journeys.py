"""The journeys a person makes in a real browser: log in and see one's home page; the
office uploads a roster, reads the preview and confirms it."""


import pytest
from playwright.sync_api import expect

from schools.demo import SCHOOLS, roster_workbook
from schools.models import RosterImport, Staff
from staffing.workbook import XLSX_CONTENT_TYPE

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("media_root")]


def test_office_logs_in_and_sees_the_township_overview(page, office_user, school):
    log_in(page, "office")

    overview = page.locator("#office")
    expect(overview.get_by_role("heading", name="Township overview")).to_be_visible()
    expect(overview.get_by_role("rowheader", name="葛石镇")).to_be_visible()
    expect(overview.get_by_role("link", name="Import a roster")).to_be_visible()


def test_liaison_logs_in_and_sees_the_schools_covered(page, liaison_user, school, other_school):
    log_in(page, "liaison")

    section = page.locator("#liaison")
    expect(section.get_by_role("heading", name="Schools you liaise with")).to_be_visible()
    expect(section.get_by_role("link", name="夏庄完小", exact=True)).to_be_visible()
    expect(page.get_by_text("东张完小")).to_have_count(0)


def test_principal_logs_in_and_sees_the_school_against_its_establishment(
    page, principal_user, school
):
    log_in(page, "principal")

    row = page.locator("#principal tbody tr")
    expect(row.get_by_role("link", name="夏庄完小", exact=True)).to_be_visible()
    expect(row.locator("td.shortfall")).to_contain_text("-19")  # 1 staff for 20 posts


def test_teacher_logs_in_and_sees_their_own_record(page, teacher_user):
    log_in(page, "teacher")

    section = page.locator("#teacher")
    expect(section.get_by_role("heading", name="Your record")).to_be_visible()
    expect(section).to_contain_text("教师乙")
    section.get_by_role("link", name="See your full record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("教师乙")


def test_office_uploads_a_roster_previews_and_confirms_it(page, office_user, township):
    staff_total = sum(establishment for *_rest, establishment in SCHOOLS)
    log_in(page, "office")

    page.get_by_role("link", name="Roster import").first.click()
    page.get_by_label("Roster workbook (.xlsx)").set_input_files(
        {"name": "花名册.xlsx", "mimeType": XLSX_CONTENT_TYPE, "buffer": roster_workbook()}
    )
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("花名册.xlsx")
    expect(page.locator("#schools-created")).to_have_text(str(len(SCHOOLS)))
    expect(page.locator("#staff-created")).to_have_text(str(staff_total))
    expect(page.locator("#changes")).to_contain_text("夏庄完小")
    assert not Staff.objects.exists()

    page.get_by_role("button", name="Confirm and import").click()

    expect(page.locator(".message.success")).to_contain_text(f"staff created: {staff_total}")
    expect(page.get_by_role("cell", name="imported", exact=True)).to_be_visible()
    assert Staff.objects.filter(school__township=township).count() == staff_total
    assert RosterImport.objects.get().status == RosterImport.Status.COMMITTED
