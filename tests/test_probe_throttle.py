"""Login throttling: a username+address pair is locked after AXES_FAILURE_LIMIT failures,
a whole address after AXES_IP_FAILURE_LIMIT failures across any usernames."""

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import PASSWORD

pytestmark = pytest.mark.usefixtures("english_pages")

OFFICE_NAT = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


def _log_in(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_one_wrong_password_for_each_of_many_usernames_locks_the_address(
    client, teacher_user
):
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        _log_in(client, f"guess{n}", "wrong", OFFICE_NAT)

    response = _log_in(client, "teacher", PASSWORD, OFFICE_NAT)

    assert response.status_code == 429
    assert "from this network address" in response.text
    assert "_auth_user_id" not in client.session


def test_the_address_limit_reached_locks_at_the_failure_that_reaches_it(client, db):
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        assert _log_in(client, f"guess{n}", "wrong", OFFICE_NAT).status_code == 200

    response = _log_in(client, "guess-last", "wrong", OFFICE_NAT)

    assert response.status_code == 429


def test_an_office_behind_one_address_is_not_locked_by_a_few_typos(client, teacher_user):
    for n in range(4):
        _log_in(client, f"colleague{n}", "wrong", OFFICE_NAT)

    assert _logged_in(_log_in(client, "teacher", PASSWORD, OFFICE_NAT))


def test_one_failure_below_the_address_limit_does_not_lock(client, teacher_user):
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        _log_in(client, f"guess{n}", "wrong", OFFICE_NAT)

    assert _logged_in(_log_in(client, "teacher", PASSWORD, OFFICE_NAT))


def test_the_pair_is_still_locked_at_its_own_limit_while_others_log_in(
    client, teacher_user, principal_user
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "teacher", "wrong", OFFICE_NAT)

    locked = _log_in(client, "teacher", PASSWORD, OFFICE_NAT)
    colleague = _log_in(client, "principal", PASSWORD, OFFICE_NAT)

    assert locked.status_code == 429
    assert f"({settings.AXES_FAILURE_LIMIT} in a row)" in locked.text
    assert _logged_in(colleague)


def test_a_locked_address_does_not_lock_another_address(client, teacher_user):
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        _log_in(client, f"guess{n}", "wrong", OFFICE_NAT)

    assert _logged_in(_log_in(client, "teacher", PASSWORD, ELSEWHERE))


def test_logging_in_to_an_own_account_does_not_clear_the_address_count(
    client, teacher_user
):
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        _log_in(client, f"guess{n}", "wrong", OFFICE_NAT)
    assert _logged_in(_log_in(client, "teacher", PASSWORD, OFFICE_NAT))
    client.post(reverse("logout"))

    response = _log_in(client, "guess-last", "wrong", OFFICE_NAT)

    assert response.status_code == 429


def test_behind_a_proxy_each_client_address_is_counted_apart(client, teacher_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR=proxy,
            # the attacker forges a left part; the proxy appends the address it saw
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {OFFICE_NAT}",
        )

    attacker = client.post(
        reverse("login"),
        {"username": "teacher", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=OFFICE_NAT,
    )
    elsewhere = client.post(
        reverse("login"),
        {"username": "teacher", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )

    assert attacker.status_code == 429
    assert _logged_in(elsewhere)
