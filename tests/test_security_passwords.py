"""Issue 14, item 3: password rules. Every password a person sets passes the validators of
``AUTH_PASSWORD_VALIDATORS``: on the password change page (each rule refused with its
Chinese message), on the admin's pages where an office admin sets one, and for the
generated password of a guest voter."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from . import ballots_world
from .factories import PASSWORD, UserFactory
from .helpers import messages_of, text

PAGE = reverse("password_change")

# The ballots world (tests/ballots_world.py): a prepared leaders' round.
leaders, prepared = ballots_world.leaders, ballots_world.prepared


@pytest.fixture
def person(db):
    return UserFactory(username="zhangwei2026", first_name="张伟")


def change(client, new, old=PASSWORD):
    return client.post(PAGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize("new, message", [
    ("ab3-x9", "密码长度太短。密码必须包含至少 8 个字符。"),
    ("password", "这个密码太常见了。"),
    ("83920174", "密码只包含数字。"),
    ("zhangwei2026", "密码跟 登录名 太相似了。"),
])
def test_each_rule_is_refused_with_its_message(login, person, new, message):
    client = login(person)

    page = change(client, new)

    assert page.status_code == 200
    assert message in text(page)
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_the_page_lists_the_rules_and_the_menu_links_to_it(login, person):
    client = login(person)
    page = text(client.get(PAGE))
    assert "你的密码必须包含至少 8 个字符。" in page and "你的密码不能全都是数字。" in page
    assert f'href="{PAGE}"' in text(client.get(reverse("home")))


def test_a_wrong_old_password_is_refused(login, person):
    page = change(login(person), "Chalk-river-19", old="not-it")
    assert "你的旧密码不正确。请重新输入。" in text(page)


def test_a_good_password_is_kept_and_logs_in(login, person):
    client = login(person)

    answer = change(client, "Chalk-river-19")

    assert answer.status_code == 302 and answer.url == reverse("home")
    assert messages_of(client.get(reverse("home"))) == ["密码已修改。"]
    client.logout()
    logged_in = client.post(reverse("login"), {"username": "zhangwei2026",
                                               "password": "Chalk-river-19"})
    assert logged_in.status_code == 302 and logged_in.url == reverse("home")


def test_anonymous_is_sent_to_log_in(client, db):
    answer = client.get(PAGE)
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))


def test_the_admin_sets_no_password_that_breaks_the_rules(login, person):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:auth_user_password_change", args=[person.pk])

    page = login(root).post(url, {"password1": "83920174", "password2": "83920174",
                                  "usable_password": "true"})

    assert page.status_code == 200 and "密码只包含数字。" in text(page)
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_guest_voters_generated_password_passes_the_rules(office_user, prepared,
                                                           monkeypatch):
    """``guest_create`` checks the password it generates with the same validators: one
    that broke them would never be handed out."""
    from evaluation.services import ballots

    monkeypatch.setattr(ballots.secrets, "token_urlsafe", lambda n: "12345678")
    with pytest.raises(ValidationError):
        ballots.guest_create(by=office_user, ballot_round=prepared, username="guest-b",
                             name="县教育局 周科长")
    assert not get_user_model().objects.filter(username="guest-b").exists()
