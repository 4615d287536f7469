"""A principal's journey through phase 6 in a real browser: open the selection, rank an
applicant, decide to hire, confirm, and find the hire listed."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recruitment.models import Hire, Ranking
from recruitment.services import selection as selection_services
from tests.factories import adopted_cycle
from tests.helpers import apply, auxiliary, published, teaching, to_selection

from .helpers import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def selecting(office_user, principal_user, township, school, other_school, teacher):
    """Phase 6 open, the centres' layer closed; the teacher applied for post 1 (+ 2)."""
    cycle = adopted_cycle(office=office_user, township=township)
    post, aux = published(cycle, office_user, principal_user, school, teaching(1),
                          auxiliary(2, seats=3))
    apply(teacher, cycle, school, post, aux)
    to_selection(cycle, office_user)
    selection_services.first_layer_close(by=office_user, cycle=cycle)
    return cycle, post


def test_a_principal_ranks_decides_confirms_and_sees_the_hire(page, selecting, principal_user,
                                                              school, teacher):
    cycle, post = selecting
    log_in(page, "principal")

    page.goto(reverse("recruitment:selection", args=[cycle.pk]))

    school_url = reverse("recruitment:school_selection", args=[cycle.pk, school.pk])
    expect(page).to_have_url(re.compile(re.escape(school_url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Selection at 夏庄完小")
    applicants = page.locator(f"#post-{post.pk}")
    expect(applicants.get_by_role("rowheader", name="教师乙")).to_be_visible()
    expect(applicants.get_by_role("button", name="Confirm the hire of 教师乙")).to_have_count(0)

    applicants.get_by_label("Rank of 教师乙").fill("1")
    applicants.get_by_label("Decision on 教师乙").select_option(label="hire")
    applicants.get_by_role("button", name="Save the rankings of post 1").click()

    expect(page.locator(".message.success")).to_have_text("Post 1: 1 ranking saved.")
    ranking = Ranking.objects.get()
    assert (ranking.rank, ranking.decision, ranking.decided_by) == (1, "hire", principal_user)
    confirm = page.locator(f"#post-{post.pk}").get_by_role("button",
                                                           name="Confirm the hire of 教师乙")
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(page.locator("#duties-attached")).to_contain_text("#2")  # what comes with it
    page.get_by_role("button", name="Yes, confirm the hire").click()

    expect(page.locator(".message.success")).to_have_text(
        "教师乙 is hired to post 1, with the auxiliary duties #2.")
    hires = page.locator("#hires")
    expect(hires.get_by_role("heading")).to_have_text("1 hire so far")
    expect(hires.get_by_role("rowheader", name="教师乙")).to_be_visible()
    expect(hires).to_contain_text("selected by the school")
    expect(page.locator(f"#post-{post.pk}")).to_contain_text("hired to this post")
    hire = Hire.objects.get()
    assert (hire.staff, hire.post, hire.confirmed_by) == (teacher, post, principal_user)
