"""A forbidden or missing page is the product's own, in Chinese, with a way back
(issue 10, item 15), with DEBUG on as in the demo too; 400, 500 and a CSRF failure render
without a request."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from . import outcome_world
from .helpers import text, url

cycle = outcome_world.cycle  # a Step 2 cycle, for conftest's ``posts``

WAYS_BACK = ('href="/"', "返回首页")


def assert_product_page(response, status, heading):
    page = text(response)
    assert response.status_code == status
    assert heading in page
    assert '<html lang="zh-hans">' in page
    for way in WAYS_BACK:
        assert way in page


@pytest.mark.parametrize("debug", [False, True])
def test_a_forbidden_page_is_the_products_own(settings, login, posts, other_principal, debug):
    settings.DEBUG = debug
    school_posts = url("school_posts", posts["here"][0].cycle, posts["here"][0].school_id)

    response = login(other_principal).get(school_posts)

    assert_product_page(response, 403, "您的账号无权打开此页面")
    assert 'class="site-nav"' in text(response)  # the menu is there: it is the product's page


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/no-such-page/", "/cycle/999999/"])
def test_a_missing_page_is_the_products_own(settings, login, office_user, debug, path):
    """From the URL resolver (no pattern) and from a view (a cycle the login cannot see)."""
    settings.DEBUG = debug

    response = login(office_user).get(path)

    assert_product_page(response, 404, "页面不存在")
    assert "URLconf" not in text(response)


def test_the_technical_404_when_asked(settings, client):
    settings.DEBUG = True
    settings.TECHNICAL_404 = True

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "URLconf" in text(response)


@pytest.mark.parametrize("template, heading", [
    ("500.html", "出错了"), ("400.html", "无法处理的请求"), ("403_csrf.html", "表单已失效"),
])
def test_pages_rendered_without_a_request(template, heading):
    """Django renders these with no request (and the 500 without a database at hand)."""
    with translation.override("zh-hans"):
        page = render_to_string(template)

    assert heading in page
    for way in WAYS_BACK:
        assert way in page


def test_a_csrf_failure_is_the_products_page(db, teacher_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher_user)

    response = client.post("/accounts/logout/")

    assert_product_page(response, 403, "表单已失效")
