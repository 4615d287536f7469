"""Issue 14, item 3: a login locked by django-axes after repeated failures is unlocked by
an office admin from a page: the township office sees the locked logins of its own
township only, the county office those of its county, a superuser all; the unlock is a
confirmed POST, says so, is recorded with who and when, and a second click is harmless."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from schools.models import LoginUnlock, Role

from .factories import PASSWORD, UserFactory, membership
from .helpers import messages_of, text

LIST = reverse("schools:lockouts")
ADDRESS = "10.1.2.3"

pytestmark = pytest.mark.usefixtures("english_pages")


def log_in(username, password):
    return Client().post(reverse("login"), {"username": username, "password": password},
                         REMOTE_ADDR=ADDRESS)


def unlock_url(username):
    return reverse("schools:lockout_unlock", args=[username])


@pytest.fixture
def locked(teacher_user):
    """The teacher of 夏庄完小 (葛石镇), locked after AXES_FAILURE_LIMIT wrong passwords."""
    answers = [log_in(teacher_user.username, "wrong").status_code
               for _attempt in range(settings.AXES_FAILURE_LIMIT)]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # locked at the limit
    assert log_in(teacher_user.username, PASSWORD).status_code == 429
    return teacher_user


@pytest.fixture
def county_office(township):
    user = UserFactory(username="county-office", is_staff=True)
    membership(user, Role.COUNTY_OFFICE, township.county)
    return user


@pytest.mark.parametrize("who", ["office_user", "county_office"])
def test_the_township_and_county_office_see_the_locked_login(request, login, locked, who):
    page = login(request.getfixturevalue(who)).get(LIST)

    assert page.status_code == 200
    rows = text(page).split('id="lockouts"')[1].split("</table>")[0]
    assert locked.username in rows and "教师乙" in rows
    failures = AccessAttempt.objects.get(username=locked.username).failures_since_start
    assert f">{failures}<" in rows
    assert unlock_url(locked.username) in rows


def test_a_superuser_sees_every_locked_name_even_one_that_is_no_login(login, locked, db):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in("no-such-login", "guess")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    rows = text(login(root).get(LIST)).split('id="lockouts"')[1]
    assert locked.username in rows and "no-such-login" in rows


def test_the_office_of_another_township_neither_sees_nor_unlocks(login, locked,
                                                                 foreign_office):
    client = login(foreign_office)

    assert locked.username not in text(client.get(LIST)).split('id="lockouts"')[1]
    assert client.get(unlock_url(locked.username)).status_code == 404
    assert client.post(unlock_url(locked.username)).status_code == 403

    assert log_in(locked.username, PASSWORD).status_code == 429  # still locked
    assert not LoginUnlock.objects.exists()


@pytest.mark.parametrize("who", ["teacher_user", "principal_user", "liaison_user"])
def test_a_teacher_principal_or_liaison_is_refused(request, login, locked, who):
    client = login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(unlock_url(locked.username)).status_code == 403
    assert client.post(unlock_url(locked.username)).status_code == 403
    assert log_in(locked.username, PASSWORD).status_code == 429


def test_the_unlock_asks_first_then_unlocks_records_and_lets_the_login_in(login, locked,
                                                                        office_user):
    client = login(office_user)
    confirm = client.get(unlock_url(locked.username))
    assert confirm.status_code == 200
    assert f'action="{unlock_url(locked.username)}"' in text(confirm)
    assert log_in(locked.username, PASSWORD).status_code == 429  # asking changes nothing
    failures = AccessAttempt.objects.get(username=locked.username).failures_since_start

    answer = client.post(unlock_url(locked.username), follow=True)

    assert messages_of(answer) == [f"{locked.username} is unlocked and may log in again."]
    record = LoginUnlock.objects.get()
    assert (record.username, record.unlocked_by, record.failures) == (
        locked.username, office_user, failures)
    assert failures >= settings.AXES_FAILURE_LIMIT
    assert "office" in text(answer).split('id="unlocks"')[1]  # who unlocked
    assert locked.username not in text(answer).split('id="lockouts"')[1].split("</table>")[0]
    logged_in = log_in(locked.username, PASSWORD)
    assert logged_in.status_code == 302 and logged_in.url == reverse("home")


def test_a_second_click_is_harmless(login, locked, office_user):
    client = login(office_user)
    client.post(unlock_url(locked.username), follow=True)

    again = client.post(unlock_url(locked.username), follow=True)

    assert again.status_code == 200
    assert messages_of(again) == [f"{locked.username} was not locked (any more): nothing "
                                  "to unlock."]
    assert LoginUnlock.objects.count() == 1


def test_the_office_home_links_to_the_page(login, office_user):
    assert f'href="{LIST}"' in text(login(office_user).get(reverse("home")))


def test_the_page_is_in_chinese(client, login, office_user, locked):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    page = text(login(office_user).get(LIST))
    assert "被锁定的登录" in page and "解锁" in page


@pytest.mark.parametrize("name", ["\x00", "a\x00b", "x" * 300])
def test_a_junk_login_name_is_a_404_never_a_500(login, office_user, name):
    """A NUL byte cannot reach PostgreSQL's text (it answered 500 there); a name longer
    than any login is none."""
    client = login(office_user)
    client.raise_request_exception = False
    assert client.get(unlock_url(name)).status_code == 404
    assert client.post(unlock_url(name)).status_code == 404
    assert LoginUnlock.objects.count() == 0
