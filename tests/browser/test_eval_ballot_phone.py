"""述职、民主测评 on a 375-px phone: a teacher opens the ballot from the home page, rates
everyone, confirms that the ballot cannot be changed, sends it and sees 已投票; the page
fits the phone's width at each step. The pages are in Chinese, as the teachers see them."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from evaluation.models import BallotParticipation, BallotTally
from evaluation.services import ballots as services
from tests.ballots_world import leader, leaders_round

from .helpers import PHONE, assert_fits_the_phone, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def round_open(office_user, township, school, other_school, teacher):
    leader(school, "王校长")
    leader(school, "李副校长", "副校长")
    leader(other_school, "张书记", "书记")
    ballot_round = leaders_round(office_user, township)
    return services.round_open(by=office_user, ballot_round=ballot_round)


def test_a_teacher_votes_on_a_phone(page, live_server, round_open, teacher):
    page.set_viewport_size(PHONE)
    log_in(page, "teacher")  # the login form in English, as the other browser tests fill it
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans",
                               "url": live_server.url}])
    page.goto("/")
    expect(page.locator("#ballots-home")).to_contain_text("你有一张选票待投")
    page.locator("#ballots-home").get_by_role("link", name=round_open.title).click()
    expect(page.locator("#ballot")).to_contain_text("提交后不能更改")
    assert_fits_the_phone(page)
    for name, rating in (("王校长", "优秀"), ("李副校长", "称职"), ("张书记", "基本称职")):
        page.get_by_role("group", name=name).get_by_label(rating, exact=True).check()
    page.get_by_role("button", name="提交选票").click()
    expect(page.locator(".errors").first).to_be_visible()  # not yet confirmed: nothing sent
    assert not BallotParticipation.objects.exists()
    for name, rating in (("王校长", "优秀"), ("李副校长", "称职"), ("张书记", "基本称职")):
        page.get_by_role("group", name=name).get_by_label(rating, exact=True).check()
    page.get_by_label("我已核对评价，知道提交后不能更改。").check()
    page.get_by_role("button", name="提交选票").click()
    expect(page.locator("#voted")).to_contain_text("已投票")
    assert_fits_the_phone(page)
    assert BallotParticipation.objects.filter(user=teacher.user).count() == 1
    assert sum(BallotTally.objects.values_list("count", flat=True)) == 3
