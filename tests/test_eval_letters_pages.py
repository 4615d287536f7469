"""The letters' pages (R10): the office's overview, drafting, sending after confirming,
the template page, a letter's page with its edits, outcome and history, the principal
signing or refusing after a confirmation page, the home page's link, the workbook, each
forbidden role, bounded queries with hundreds of schools, a double submit."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import rules
from evaluation.models import Letter, LetterState, OutcomeResult, Resignation
from evaluation.services import letters as letter_services
from schools.models import Role

from . import letters_world
from .factories import UserFactory, membership
from .helpers import messages_of, section, text
from .letters_world import YEAR, many_schools

heads, exam, drafted, sent, signed = (letters_world.heads, letters_world.exam,
                                      letters_world.drafted, letters_world.sent,
                                      letters_world.signed)
pytestmark = pytest.mark.usefixtures("english_pages", "english")


def overview_url(township):
    return reverse("evaluation:letters", args=[township.pk, YEAR])


def letter_url(letter, name="letter"):
    return reverse(f"evaluation:{name}", args=[letter.pk])


def test_the_office_drafts_from_the_overview(login, office_user, township, heads, exam):
    client = login(office_user)

    response = client.post(reverse("evaluation:letters_draft", args=[township.pk, YEAR]),
                           follow=True)

    assert "2 letters drafted." in messages_of(response)
    page = text(response)
    assert "校长甲" in page and "second tier" in page and "drafted" in page
    assert "或进入全镇前三名" in page


def test_a_school_without_results_is_said_to_need_its_target(login, office_user, township,
                                                            heads):
    client = login(office_user)

    response = client.post(reverse("evaluation:letters_draft", args=[township.pk, YEAR]),
                           follow=True)

    assert any("no exam results" in m for m in messages_of(response))
    letter = Letter.objects.get(school=heads["here"].school)
    page = client.get(letter_url(letter))
    assert "had no results in the latest exam" in section(page, "state")


def test_sending_asks_for_confirmation_then_sends(login, office_user, township, drafted):
    client = login(office_user)
    send = reverse("evaluation:letters_send", args=[township.pk, YEAR])

    confirm = client.get(send)

    assert "can no longer be edited" in section(confirm, "confirm")
    assert Letter.objects.filter(state=LetterState.SENT).count() == 0
    response = client.post(send, {"letter": [drafted["here"].pk]}, follow=True)
    assert "1 letter sent to its principal." in messages_of(response)
    assert Letter.objects.get(pk=drafted["here"].pk).state == LetterState.SENT
    assert Letter.objects.get(pk=drafted["there"].pk).state == LetterState.DRAFTED


def test_the_office_edits_a_draft_on_its_page(login, office_user, drafted):
    client = login(office_user)
    letter = drafted["here"]
    data = {name: getattr(letter, name) for name in rules.TEXT_FIELDS}

    response = client.post(letter_url(letter), {**data, "target": "全镇前三名"}, follow=True)

    assert "The letter is saved." in messages_of(response)
    assert "全镇前三名" in section(response, "letter-text")
    assert "Change history" in text(response)


def test_an_unknown_placeholder_is_refused_and_the_text_kept(login, office_user, township):
    client = login(office_user)
    data = {**rules.DEFAULT_LETTER_TEXT, "safety": "{书记}负责安全", "tier_margin": "5",
            "gap_share_percent": "50"}

    response = client.post(reverse("evaluation:letters_template", args=[township.pk]), data)

    assert response.status_code == 400
    assert "Unknown placeholders: {书记}" in text(response)
    assert "{书记}负责安全" in text(response)


def test_the_principal_sees_the_letter_waiting_on_the_home_page(login, sent, principal_user):
    client = login(principal_user)

    home = client.get(reverse("home"))

    assert "Your responsibility letter waits for your signature." in text(home)
    page = client.get(letter_url(sent["here"]))
    assert "Sign the letter" in section(page, "answer")


def test_the_principal_signs_after_confirming_and_a_double_submit_signs_once(
        login, sent, principal_user):
    client = login(principal_user)
    letter = sent["here"]

    confirm = client.get(letter_url(letter, "letter_sign"))
    first = client.post(letter_url(letter, "letter_sign"), follow=True)
    second = client.post(letter_url(letter, "letter_sign"), follow=True)

    assert "Signing is final" in section(confirm, "confirm")
    assert "You signed the letter." in messages_of(first)
    assert any("already been answered" in m for m in messages_of(second))
    assert Letter.objects.get(pk=letter.pk).history.filter(
        state=LetterState.SIGNED).count() == 1
    assert "Signed by 校长甲" in section(second, "state")


def test_refusing_says_it_is_resigning_and_the_office_sees_it(login, sent, principal_user,
                                                             office_user, township):
    client = login(principal_user)
    letter = sent["here"]

    confirm = client.get(letter_url(letter, "letter_refuse"))
    empty = client.post(letter_url(letter, "letter_refuse"), {"reason": ""})
    nothing_recorded = not Resignation.objects.exists()
    response = client.post(letter_url(letter, "letter_refuse"), {"reason": "身体原因"},
                           follow=True)

    assert "Refusing to sign counts as resigning" in section(confirm, "confirm")
    assert empty.status_code == 400 and nothing_recorded
    assert any("recorded as your resignation" in m for m in messages_of(response))
    office = login(office_user).get(overview_url(township))
    refusals = section(office, "refusals")
    assert "1 principal refused to sign (resigned)" in refusals and "身体原因" in refusals
    home = text(login(office_user).get(reverse("home")))
    assert "1 principal refused to sign: it counts as resigning" in home


def test_the_office_records_the_outcome_with_vetoes(login, signed, office_user):
    client = login(office_user)

    response = client.post(letter_url(signed, "letter_outcome"), {
        "result": OutcomeResult.MET, "veto_2": "on", "reason_2": "校车事故", "note": ""},
        follow=True)

    assert "The year-end outcome is recorded." in messages_of(response)
    outcome = section(response, "outcome")
    assert "Veto clause 2 triggered: 校车事故" in outcome
    assert "held accountable" in outcome and "lose this year's honours" in outcome


def test_a_veto_without_reason_is_refused_on_the_page(login, signed, office_user):
    response = login(office_user).post(letter_url(signed, "letter_outcome"), {
        "result": OutcomeResult.MET, "veto_3": "on", "reason_3": ""})

    assert response.status_code == 400
    assert "Give the reason for this clause." in text(response)


def test_the_workbook_lists_the_letters(login, signed, office_user, township):
    letter_services.outcome_record(by=office_user, letter=signed, result=OutcomeResult.BELOW,
                                   vetoes={})
    response = login(office_user).get(reverse("evaluation:letters_export",
                                              args=[township.pk, YEAR]))

    sheet = load_workbook(io.BytesIO(response.content))["目标责任书"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["夏庄完小"][1] == "校长甲" and rows["夏庄完小"][3] == "第二档"
    assert rows["夏庄完小"][-2:] == ("是", "是")
    assert rows["东张完小"][6] == "sent to the principal"


# ---- who may ---------------------------------------------------------------------------------


def office_pages(township):
    return [overview_url(township),
            reverse("evaluation:letters_template", args=[township.pk]),
            reverse("evaluation:letters_send", args=[township.pk, YEAR]),
            reverse("evaluation:letters_export", args=[township.pk, YEAR])]


@pytest.mark.parametrize("who", ["teacher", "principal", "foreign"])
def test_only_the_township_office_sees_the_office_pages(login, drafted, township, who,
                                                       teacher_user, principal_user,
                                                       foreign_office):
    client = login({"teacher": teacher_user, "principal": principal_user,
                    "foreign": foreign_office}[who])

    for path in office_pages(township):
        assert client.get(path).status_code == 403, path
    assert client.post(reverse("evaluation:letters_draft",
                               args=[township.pk, YEAR])).status_code == 403


def test_anonymous_is_sent_to_log_in(client, drafted, township):
    for path in [*office_pages(township), letter_url(drafted["here"])]:
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_letter_is_seen_by_its_office_and_its_principal_only(login, sent, office_user,
                                                               principal_user, teacher_user,
                                                               other_principal,
                                                               foreign_office):
    letter = sent["here"]
    assert login(office_user).get(letter_url(letter)).status_code == 200
    assert login(principal_user).get(letter_url(letter)).status_code == 200
    for user in (teacher_user, other_principal, foreign_office):
        assert login(user).get(letter_url(letter)).status_code == 403
        assert login(user).get(letter_url(letter, "letter_pdf")).status_code == 403
    assert login(office_user).get("/evaluation/letters/99999/").status_code == 404


def test_a_principal_cannot_sign_or_refuse_another_principals_letter(login, sent,
                                                                    other_principal):
    client = login(other_principal)

    assert client.post(letter_url(sent["here"], "letter_sign")).status_code == 403
    assert client.post(letter_url(sent["here"], "letter_refuse"),
                       {"reason": "x"}).status_code == 403
    assert Letter.objects.get(pk=sent["here"].pk).state == LetterState.SENT


def test_a_co_leader_sees_the_school_letter_but_does_not_sign_it(login, sent, school):
    secretary = UserFactory(username="secretary")
    membership(secretary, Role.PRINCIPAL, school)
    client = login(secretary)

    page = client.get(letter_url(sent["here"]))

    assert page.status_code == 200 and 'id="sign-link"' not in text(page)
    assert client.post(letter_url(sent["here"], "letter_sign")).status_code == 403


def test_the_principal_does_not_edit_or_record_outcomes(login, signed, principal_user):
    client = login(principal_user)
    data = {name: getattr(signed, name) for name in rules.TEXT_FIELDS}

    assert client.post(letter_url(signed), {**data, "target": "x"}).status_code == 403
    assert client.post(letter_url(signed, "letter_outcome"),
                       {"result": OutcomeResult.MET}).status_code == 403
    assert client.post(letter_url(signed, "letter_withdraw")).status_code == 403


def test_bad_ids_and_years_answer_404(login, office_user, township):
    client = login(office_user)

    assert client.get(f"/evaluation/township/{township.pk}/letters/1900/").status_code == 404
    assert client.get("/evaluation/township/99999999/letters/2026/").status_code == 404


# ---- bounded queries -----------------------------------------------------------------------


def test_the_overview_with_hundreds_of_schools_makes_a_bounded_number_of_queries(
        login, office_user, township, django_assert_max_num_queries):
    many_schools(township, 300)
    letter_services.letters_draft(by=office_user, township=township, school_year=YEAR)
    client = login(office_user)

    with django_assert_max_num_queries(20):
        response = client.get(overview_url(township))

    assert response.status_code == 200
    assert response.context["overview"].counts["drafted"] == 300
    assert "Page 1 of 3" in text(response)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:letters_export",
                                  args=[township.pk, YEAR])).status_code == 200


def test_drafting_hundreds_of_letters_makes_a_bounded_number_of_queries(
        office_user, township, django_assert_max_num_queries):
    many_schools(township, 300)

    # SQLite caps a statement's parameters: the bulk inserts go in batches of some dozens
    # rows (one statement on PostgreSQL), so the bound is per batch, not per letter.
    with django_assert_max_num_queries(40):
        drafted = letter_services.letters_draft(by=office_user, township=township,
                                                school_year=YEAR)

    assert drafted.made == 300


def test_only_the_principal_answers_whoever_else_asks(login, sent, teacher_user, office_user,
                                                     foreign_office, other_principal):
    letter = sent["here"]
    for user in (teacher_user, office_user, foreign_office, other_principal):
        client = login(user)
        for name in ("letter_sign", "letter_refuse"):
            assert client.get(letter_url(letter, name)).status_code == 403, (user, name)
            assert client.post(letter_url(letter, name), {"reason": "x"}).status_code == 403
    assert Letter.objects.get(pk=letter.pk).state == LetterState.SENT
    assert not Resignation.objects.exists()


def test_my_letter_is_the_principals_page(login, client, sent, principal_user, teacher_user):
    assert "login" in client.get(reverse("evaluation:letters_mine"))["Location"]
    assert login(teacher_user).get(reverse("evaluation:letters_mine")).status_code == 403
    page = login(principal_user).get(reverse("evaluation:letters_mine"))
    assert "sent to the principal" in text(page) and "夏庄完小" in text(page)
