"""The pages run in Chromium under the enforced Content-Security-Policy: nothing on them
is refused (no console "Refused to …", no securitypolicyviolation event), their scripts
run, and an inline script slipped into a page does not."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import outcome_world
from tests.helpers import apply, url

from .helpers import log_in

pytestmark = pytest.mark.browser

# The outcome page's world: phase 6 closed, a hire by selection and one by allocation.
cycle, people, done = outcome_world.cycle, outcome_world.people, outcome_world.done


# Each document records the violations the browser reports on it (Playwright runs this
# script outside the page's policy).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


class Watch:
    """What the browser said about the policy on the pages a test opened."""

    def __init__(self, page):
        self.page = page
        self.refusals = []
        self.documents = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.refusals.append(message.text)

    def _response(self, response):
        if response.request.resource_type == "document":
            self.documents.append((response.url, response.headers))

    def check(self):
        """The page shown ran without a refusal, under the enforced policy."""
        assert self.page.evaluate("window.cspViolations") == [], self.page.url
        assert self.refusals == [], self.page.url
        url, headers = self.documents[-1]
        assert "content-security-policy" in headers, url
        assert "content-security-policy-report-only" not in headers, url
        assert "'unsafe-inline'" not in headers["content-security-policy"], url


@pytest.fixture
def watch(page):
    return Watch(page)


def test_an_inline_script_is_refused_not_only_reported(page, watch, db):
    page.goto(reverse("login"))
    watch.check()

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.body.append(script);
        }"""
    )

    page.wait_for_function("window.cspViolations.length > 0")
    assert page.evaluate("window.cspViolations")[0].startswith("script-src")
    assert page.evaluate("window.inlineRan === undefined")


def test_login_home_and_the_admin_run_under_the_policy(page, watch, office_user, teacher):
    log_in(page, "office")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    watch.check()  # the login page and the office's home

    for path in (
        reverse("admin:index"),
        reverse("admin:schools_staff_changelist"),
        reverse("admin:schools_staff_change", args=[teacher.pk]),
        reverse("admin:schools_staff_history", args=[teacher.pk]),
    ):
        page.goto(path)
        # The admin's own scripts ran: theme.js marks the page, its toggle answers.
        expect(page.locator("html")).to_have_attribute("data-theme", "auto")
        watch.check()

    page.goto(reverse("admin:schools_staff_change", args=[teacher.pk]))
    page.locator("button.theme-toggle").first.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    watch.check()


def test_the_outcome_charts_run_under_the_policy(page, watch, office_user, done):
    log_in(page, "office")
    page.goto(url("outcome", done))

    expect(page.locator("#charts svg.chart")).to_have_count(2)
    expect(page.get_by_role("img", name="Age structure, the township")).to_be_visible()
    watch.check()


def test_the_print_button_runs_under_the_policy(page, watch, cycle, posts, teacher):
    apply(teacher, cycle, teacher.school, posts["here"][0], posts["here"][1])
    log_in(page, "teacher")
    page.goto(url("intention_print", cycle))
    page.evaluate("window.print = () => { window.printed = true; }")

    page.get_by_role("button", name="Print").click()

    assert page.evaluate("window.printed === true")
    watch.check()
