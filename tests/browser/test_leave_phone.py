"""R8 on a 375-px phone: a teacher asks for leave from the home page, the principal ticks
it on the queue and approves it, and the teacher sees it approved."""

import pytest
from playwright.sync_api import expect

from attendance.models import AttendanceRecord, LeaveRequest
from tests.leave_world import monday

from .helpers import PHONE, assert_fits_the_phone, log_in, log_out

pytestmark = pytest.mark.browser


def test_a_teacher_asks_on_a_phone_and_the_principal_approves(page, teacher, principal_user):
    page.set_viewport_size(PHONE)
    log_in(page, "teacher")
    page.get_by_role("link", name="Ask for leave, follow your requests").click()
    assert_fits_the_phone(page)
    page.get_by_label("Type of leave").select_option("sick_leave")
    page.get_by_label("From").fill(monday(1).isoformat())
    page.get_by_label("Until (included)").fill(monday(1).isoformat())
    page.get_by_label("Reason").fill("发烧，去医院")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".messages")).to_contain_text("Your leave of 1 working day is asked")
    expect(page.locator("#requests")).to_contain_text("waiting for the school's principal")
    assert_fits_the_phone(page)
    log_out(page)

    log_in(page, "principal")
    page.get_by_role("link", name="Leave requests waiting for your decision").click()
    expect(page.locator("#decide-many")).to_contain_text("This term: 0 days taken, 1 days waiting")
    assert_fits_the_phone(page)
    page.get_by_label("Tick 教师乙").check()
    page.get_by_role("button", name="Approve the ticked requests").click()
    expect(page.locator(".messages")).to_contain_text("1 request approved: 教师乙.")
    expect(page.get_by_text("No leave is waiting for you.")).to_be_visible()
    assert_fits_the_phone(page)
    log_out(page)

    log_in(page, "teacher")
    page.goto("/attendance/leave/")
    expect(page.locator("#requests .leave-status")).to_have_text("approved")
    leave = LeaveRequest.objects.get()
    assert AttendanceRecord.objects.get().leave_id == leave.pk
