"""R9 on a 375-px phone: a teacher opens their awards from the home page, sees how many
excellence awards they still need to become a model teacher, opens the published award
list and objects to their own row."""

from datetime import date

import pytest
from playwright.sync_api import expect

from evaluation.services import exams as exam_services
from staffing.models import Objection
from tests.exams_world import excellent_exam
from tests.factories import StaffFactory

from .helpers import PHONE, assert_fits_the_phone, log_in

pytestmark = pytest.mark.browser


def test_a_teacher_sees_their_awards_and_objects_on_a_phone(page, township, office_user,
                                                            teacher):
    rest = StaffFactory(school=teacher.school, name="同校")
    for number in range(1, 5):
        excellent_exam(office_user, township, teacher, rest, number=number,
                       day=date(2021 + number, 6, 1))
    last = teacher.awards.order_by("-exam__date").first().exam
    exam_services.awards_publish(by=office_user, exam=last)
    page.set_viewport_size(PHONE)
    log_in(page, "teacher")
    page.get_by_role("link", name="My awards").click()
    expect(page.locator("#excellence-count")).to_have_text("4 excellence awards")
    expect(page.locator("#still-needed")).to_contain_text("2 more excellence awards")
    assert_fits_the_phone(page)
    page.get_by_role("link", name=last.name).click()
    expect(page.locator("#award-list")).to_contain_text("教师乙")
    assert_fits_the_phone(page)
    page.get_by_label("Reason").fill("少算了一个班")
    page.get_by_role("button", name="Send my objection").click()
    expect(page.locator(".messages")).to_contain_text("Your objection to 三年级语文")
    assert Objection.objects.get().staff_id == teacher.pk
