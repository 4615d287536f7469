"""``/healthz`` (issue 14, item 1): 200 after one query, 503 without a database, no login,
no session, no HTTPS redirect."""

from unittest import mock

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_healthz_answers_ok_after_one_query_without_login(client, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert queries.captured_queries[0]["sql"] == "SELECT 1"
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response and not response.cookies


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_cannot_be_reached(client, caplog):
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unreachable\n"
    assert "healthz.database_unreachable error=OperationalError" in caplog.text


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301  # the rest is redirected


@pytest.mark.django_db
def test_healthz_answers_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
