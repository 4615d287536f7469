"""Issue 14, item 3: idle logout. A session with no request for ``IDLE_LOGOUT_MINUTES`` is
logged out on its next one, and the login page says why; the last activity is written to
the session at most once a minute, not on every request."""

import pytest
from django.urls import reverse

from staffing import middleware

from .helpers import text

HOME = reverse("home")
START = 1_800_000_000  # seconds since the epoch: the clock the middleware reads


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved by the test: ``clock.now += seconds``."""

    class Clock:
        now = START

    monkeypatch.setattr(middleware, "now", lambda: Clock.now)
    return Clock


def test_a_session_idle_past_the_setting_is_logged_out_and_told_why(login, teacher_user,
                                                                    clock, settings):
    settings.IDLE_LOGOUT_MINUTES = 30
    client = login(teacher_user)
    assert client.get(HOME).status_code == 200

    clock.now += 30 * 60 + 1
    answer = client.get(reverse("attendance:mine"))

    assert answer.status_code == 302
    assert answer.url == f"{reverse('login')}?next={reverse('attendance:mine')}"
    page = text(client.get(answer.url))
    assert "因长时间未操作，已自动退出，请重新登录。" in page
    assert client.get(HOME).status_code == 302  # logged out for good, not for one page


def test_a_session_used_within_the_setting_stays(login, teacher_user, clock, settings):
    settings.IDLE_LOGOUT_MINUTES = 30
    client = login(teacher_user)
    for _step in range(4):  # two hours in all, never 30 minutes apart
        clock.now += 29 * 60
        assert client.get(HOME).status_code == 200


def test_the_setting_is_read_from_the_environment_default_30(settings):
    assert settings.IDLE_LOGOUT_MINUTES == 30


def test_zero_turns_it_off(login, teacher_user, clock, settings):
    settings.IDLE_LOGOUT_MINUTES = 0
    client = login(teacher_user)
    client.get(HOME)
    clock.now += 24 * 3600
    assert client.get(HOME).status_code == 200


def test_the_session_is_written_once_a_minute_not_on_every_request(login, teacher_user,
                                                                   clock, settings):
    settings.IDLE_LOGOUT_MINUTES = 30
    client = login(teacher_user)
    client.get(HOME)
    first = client.session[middleware.LAST_ACTIVITY]

    clock.now += 59
    client.get(HOME)
    assert client.session[middleware.LAST_ACTIVITY] == first  # unchanged: no write

    clock.now += 1
    client.get(HOME)
    assert client.session[middleware.LAST_ACTIVITY] == START + 60


def test_the_login_page_in_english_says_so_too(login, teacher_user, clock, settings,
                                               english_pages):
    settings.IDLE_LOGOUT_MINUTES = 30
    client = login(teacher_user)
    client.get(HOME)
    clock.now += 31 * 60
    page = client.get(HOME, follow=True)
    assert "You were logged out after a long time without activity." in text(page)
