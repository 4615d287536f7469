"""A teacher chooses posts on a phone: one teaching post plus an auxiliary post at their
own school, submits, sees what they submitted, and opens the printable form."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recruitment.models import Intention
from tests.factories import adopted_cycle
from tests.helpers import auxiliary, published, teaching

from .helpers import PHONE, assert_fits_the_phone, log_in_here

pytestmark = pytest.mark.browser


@pytest.fixture
def posts(office_user, principal_user, township, school, other_school):
    """Phase 5 open; 夏庄完小 has published a teaching post and two auxiliary posts."""
    cycle = adopted_cycle(office=office_user, township=township)
    found = published(cycle, office_user, principal_user, school, teaching(1),
                      auxiliary(2, duty="实验室管理"), auxiliary(3, duty="宿舍管理"))
    return cycle, found


def test_a_teacher_submits_an_intention_on_a_phone_and_prints_it(page, posts, teacher):
    cycle, (lesson, lab, _dorm) = posts
    intention_url = reverse("recruitment:intention", args=[cycle.pk])
    page.set_viewport_size(PHONE)

    page.goto(intention_url)
    log_in_here(page, teacher.user.username)

    expect(page).to_have_url(re.compile(re.escape(intention_url) + "$"))
    expect(page.get_by_role("heading", name="My post intention")).to_be_visible()
    first = page.locator("fieldset#choice-1")
    # Their own school comes first, its posts already shown.
    expect(first.get_by_label("School")).to_have_value(str(teacher.school_id))
    assert_fits_the_phone(page)

    first.get_by_label("Teaching post (optional)").select_option(str(lesson.pk))
    lab_box = first.get_by_label("Post 2: 实验室管理")
    box = lab_box.locator("xpath=..").bounding_box()
    assert box["height"] >= 40  # a thumb hits the whole line
    lab_box.check()
    submit = page.get_by_role("button", name="Submit my intention")
    assert submit.bounding_box()["width"] >= 300
    submit.click()

    expect(page.locator(".message.success")).to_contain_text("Your intention has been submitted")
    expect(page.locator(".message.success")).to_contain_text("until the deadline, 2026-08-22")
    submitted = page.locator("#submitted")
    expect(submitted).to_contain_text("夏庄完小")
    expect(submitted).to_contain_text("Post 1")
    expect(submitted).to_contain_text("实验室管理")
    expect(submitted).not_to_contain_text("宿舍管理")
    expect(page.locator("#staff-status")).to_contain_text("You count as teaching staff.")
    assert_fits_the_phone(page)
    application = Intention.objects.get(staff=teacher).applications.get()
    assert application.teaching_post == lesson
    assert list(application.auxiliary_posts.all()) == [lab]

    page.get_by_role("link", name="Print my intention form").click()

    form = page.locator("#intention-form")
    expect(form.get_by_role("heading", name="Post intention form")).to_be_visible()
    expect(page.locator("#print-name")).to_have_text(teacher.name)
    expect(page.locator("#print-id")).to_have_text(teacher.masked_id)
    choices = page.locator("#print-choices")
    expect(choices).to_contain_text("夏庄完小")
    expect(choices).to_contain_text("语文")
    expect(choices).to_contain_text("实验室管理")
    expect(form).to_contain_text("Applicant's signature")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true")  # the vendored script, no inline JS
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
