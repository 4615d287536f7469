"""R10 on a 375-px phone: the principal follows the home page's "your letter waits for your
signature" to the letter, reads it, signs it on the confirmation page, and sees it signed."""

import pytest
from playwright.sync_api import expect

from evaluation.models import Letter, LetterState
from tests import letters_world

from .helpers import PHONE, assert_fits_the_phone, log_in

heads, exam, drafted, sent = (letters_world.heads, letters_world.exam, letters_world.drafted,
                              letters_world.sent)
pytestmark = pytest.mark.browser


def test_a_principal_signs_the_letter_on_a_phone(page, sent):
    page.set_viewport_size(PHONE)
    log_in(page, "principal")
    page.get_by_role("link", name="Your responsibility letter waits for your signature.").click()
    expect(page.locator("#letter-text")).to_contain_text("或进入全镇前三名")
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Sign the letter…").click()
    expect(page.locator("#confirm")).to_contain_text("Signing is final")
    assert_fits_the_phone(page)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("You signed the letter.")
    expect(page.locator("#signed")).to_contain_text("Signed by 校长甲")
    assert_fits_the_phone(page)
    assert Letter.objects.get(pk=sent["here"].pk).state == LetterState.SIGNED
