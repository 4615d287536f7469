"""Plain helpers the browser tests share: logging in and out, and a phone's screen."""

import re

from playwright.sync_api import expect

from tests.factories import PASSWORD

PHONE = {"width": 375, "height": 740}


def log_in(page, username):
    """From the home page, which sends a visitor to the login form."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    log_in_here(page, username)


def log_in_here(page, username):
    """On the login form a protected page sent the visitor to."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def assert_fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px wide"
