"""The Content-Security-Policy header: sent on every page, enforced, no inline code."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import PASSWORD

pytestmark = pytest.mark.usefixtures("english_pages")


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_strict(response):
    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = directives(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_login_page_is_sent_with_the_enforced_policy(client, db):
    assert_strict(client.get(reverse("login")))


def test_pages_behind_the_login_and_the_admin_carry_it(login, office_user, teacher):
    client = login(office_user)

    for path in (
        reverse("home"),
        reverse("admin:index"),
        reverse("admin:schools_staff_changelist"),
        reverse("admin:schools_staff_change", args=[teacher.pk]),
        reverse("admin:schools_staff_history", args=[teacher.pk]),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)


def test_the_lockout_page_carries_it(client, teacher_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "teacher", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})

    assert response.status_code == 429
    assert_strict(response)


INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=|javascript:", re.I)


def test_no_template_of_ours_holds_inline_script_style_or_handler():
    templates = [
        path
        for folder in [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
        for path in folder.rglob("*.html")
    ]

    assert len(templates) > 20
    assert [str(path) for path in templates if INLINE.search(path.read_text())] == []


def test_the_history_page_keeps_the_plain_policy(login, office_user, teacher):
    """Its history list is ours, without simple-history's inline style (issue 10)."""
    client = login(office_user)

    history = client.get(reverse("admin:schools_staff_history", args=[teacher.pk]))

    assert history.status_code == 200
    assert_strict(history)
    assert "style-src-attr" not in directives(history)
    assert "style=" not in history.text
