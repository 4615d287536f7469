"""Playwright (sync API) on Debian's Chromium, against pytest-django's live server.

The browser is launched once for the package. Playwright's own browser download is
never used: the executable is the system's ``chromium``, and a missing one fails the
run instead of skipping it.
"""

import shutil

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

# The closed network refuses Chromium's background connections; without these flags it
# keeps retrying them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not on PATH (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) showing the pages in English."""
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
