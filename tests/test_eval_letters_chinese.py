"""The letters' pages in Chinese (zh-hans, the default): no English word on the office's
overview, the template, the send confirmation, a letter with its outcome and history, the
principal's confirmation pages and their home page."""

from django.urls import reverse

from evaluation.models import OutcomeResult
from evaluation.services import letters as letter_services

from . import letters_world
from .letters_world import YEAR
from .page_text import english_words

heads, exam, drafted, sent, signed = (letters_world.heads, letters_world.exam,
                                      letters_world.drafted, letters_world.sent,
                                      letters_world.signed)


def english_on(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    # PDF, as xlsx, names the file kind on the download links (the contracts' do too).
    return english_words(response.content.decode()) - {"PDF"}


def test_the_letters_pages_are_in_chinese(login, signed, sent, office_user, principal_user,
                                         other_principal, township):
    letter_services.outcome_record(by=office_user, letter=signed, result=OutcomeResult.MET,
                                   vetoes={2: "校车事故"})
    office = login(office_user)
    for path in (reverse("evaluation:letters", args=[township.pk, YEAR]),
                 reverse("evaluation:letters_template", args=[township.pk]),
                 reverse("evaluation:letters_send", args=[township.pk, YEAR]),
                 reverse("evaluation:letter", args=[signed.pk]),
                 reverse("evaluation:letter", args=[sent["there"].pk])):
        assert english_on(office, path) == set(), path
    there = login(other_principal)
    for path in (reverse("home"), reverse("evaluation:letters_mine"),
                 reverse("evaluation:letter", args=[sent["there"].pk]),
                 reverse("evaluation:letter_sign", args=[sent["there"].pk]),
                 reverse("evaluation:letter_refuse", args=[sent["there"].pk])):
        assert english_on(there, path) == set(), path
    home = login(other_principal).get(reverse("home")).content.decode()
    assert "你的目标责任书等待你签订。" in home
