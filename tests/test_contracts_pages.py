"""Phase 8's pages: what each role sees and may do on every new page (the office, the
school's principal, another school's principal, a liaison, a teacher, another
township's office, anonymous), the messages after each action, the disabled buttons
with their reasons, the workbook, and bounded queries with hundreds of rows."""

import functools
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from attendance.models import Contract, ContractCopy, CopyKind
from attendance.selectors import contracts as contract_selectors
from attendance.services import contracts as contract_services
from recruitment.models import PhaseState

from . import contracts_world
from .contracts_world import contracts_cycle, many_hires
from .helpers import messages_of, text
from .page_text import english_words

cycle, hires = contracts_world.cycle, contracts_world.hires
pytestmark = pytest.mark.usefixtures("english_pages")


def at(name, cycle, *args):
    return reverse(f"attendance:{name}", args=[cycle.pk, *args])


@pytest.fixture
def drawn(cycle, hires, office_user):
    contract_services.contracts_draw_up(by=office_user, cycle=cycle)
    return {key: Contract.objects.get(hire=hire) for key, hire in hires.items()}


def sign(by, contracts, kinds=CopyKind.values):
    contract_services.copies_mark(by=by, contracts=contracts, kinds=kinds,
                                  action=contract_services.SIGN, office=True)


# --- who may see what -----------------------------------------------------------------------


def pages(cycle, drawn, school):
    own = drawn["teacher"]
    return {
        "overview": at("contracts", cycle),
        "template": at("contracts_template", cycle),
        "export": at("contracts_export", cycle),
        "mine": at("contract_mine", cycle),
        "school": at("contracts_school", cycle, school.pk),
        "school_pdf": at("contracts_school_pdf", cycle, school.pk),
        "contract": at("contract", cycle, own.pk),
        "contract_pdf": at("contract_pdf", cycle, own.pk),
    }


def test_anonymous_goes_to_the_login_everywhere(client, cycle, drawn, school):
    for path in [*pages(cycle, drawn, school).values(), at("contracts_draw_up", cycle),
                 at("contracts_mark", cycle, school.pk)]:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


def test_the_office_sees_every_page(login, office_user, cycle, drawn, school):
    client = login(office_user)
    for name, path in pages(cycle, drawn, school).items():
        if name == "mine":
            assert client.get(path).status_code == 403  # the office is no teacher
            continue
        assert client.get(path).status_code == 200, name


def test_another_townships_office_finds_nothing(login, foreign_office, cycle, drawn, school):
    client = login(foreign_office)
    for path in pages(cycle, drawn, school).values():
        assert client.get(path).status_code == 404, path
    assert client.post(at("contracts_draw_up", cycle)).status_code == 404


def test_the_principal_keeps_their_schools_contracts(login, principal_user, cycle, drawn,
                                                     school, other_school):
    client = login(principal_user)
    assert client.get(at("contracts", cycle)).url == at("contracts_school", cycle, school.pk)
    for name in ("school", "school_pdf", "contract", "contract_pdf"):
        assert client.get(pages(cycle, drawn, school)[name]).status_code == 200, name
    for name in ("template", "export"):
        assert client.get(pages(cycle, drawn, school)[name]).status_code == 403, name
    # another school's list and contracts: 404
    assert client.get(at("contracts_school", cycle, other_school.pk)).status_code == 404
    assert client.get(at("contracts_school_pdf", cycle, other_school.pk)).status_code == 404
    there = drawn["there"]
    assert client.get(at("contract", cycle, there.pk)).status_code == 404
    assert client.get(at("contract_pdf", cycle, there.pk)).status_code == 404
    assert client.post(at("contracts_mark", cycle, other_school.pk),
                       {"action": "sign", "kinds": ["office"],
                        "contract": [there.pk]}).status_code == 404
    assert client.post(at("contracts_draw_up", cycle),
                       {"school": other_school.pk}).status_code == 404


def test_another_schools_principal_sees_none_of_this_school(login, other_principal, cycle,
                                                            drawn, school):
    client = login(other_principal)
    for name in ("school", "school_pdf", "contract", "contract_pdf"):
        assert client.get(pages(cycle, drawn, school)[name]).status_code == 404, name


def test_a_liaison_keeps_no_contracts(login, liaison_user, cycle, drawn, school):
    client = login(liaison_user)
    for name in ("overview", "template", "export", "school", "school_pdf"):
        assert client.get(pages(cycle, drawn, school)[name]).status_code == 403, name
    assert client.get(pages(cycle, drawn, school)["contract"]).status_code == 404
    assert client.post(at("contracts_draw_up", cycle)).status_code == 403


def test_a_teacher_sees_their_own_contract_only(login, teacher_user, cycle, drawn, school):
    client = login(teacher_user)
    assert client.get(at("contracts", cycle)).url == at("contract_mine", cycle)
    mine = client.get(at("contract_mine", cycle))
    assert mine.status_code == 200
    assert "乙方（受聘方）：教师乙" in text(mine)
    assert at("contract_pdf", cycle, drawn["teacher"].pk) in text(mine)
    assert client.get(at("contract_pdf", cycle, drawn["teacher"].pk)).status_code == 200
    own = client.get(at("contract", cycle, drawn["teacher"].pk))
    assert own.status_code == 200 and 'id="edit"' not in text(own)
    for key in ("colleague", "there"):
        assert client.get(at("contract", cycle, drawn[key].pk)).status_code == 404
        assert client.get(at("contract_pdf", cycle, drawn[key].pk)).status_code == 404
    for name in ("template", "export", "school", "school_pdf"):
        assert client.get(pages(cycle, drawn, school)[name]).status_code == 403, name
    assert client.post(at("contract", cycle, drawn["teacher"].pk),
                       {"title": "改", "clauses": "改"}).status_code == 403
    assert client.post(at("contracts_mark", cycle, school.pk),
                       {"action": "sign", "kinds": ["teacher"],
                        "contract": [drawn["teacher"].pk]}).status_code == 403


def test_a_teacher_before_the_contract_is_drawn_up(login, teacher_user, cycle, hires):
    response = login(teacher_user).get(at("contract_mine", cycle))

    assert response.status_code == 200
    assert "has not been drawn up yet" in text(response)


# --- the office's overview and the drawing up ------------------------------------------------


def test_the_office_draws_up_all_and_sees_the_figures(login, office_user, cycle, hires):
    client = login(office_user)

    response = client.post(at("contracts_draw_up", cycle), follow=True)
    again = client.post(at("contracts_draw_up", cycle), follow=True)

    assert messages_of(response) == ["3 contracts drawn up."]
    assert messages_of(again) == ["Every hire already has its contract."]
    assert Contract.objects.count() == 3
    page = text(again)
    assert "夏庄完小" in page and "东张完小" in page


def test_the_button_is_disabled_with_its_reason_before_phase_7_closes(
        login, office_user, township, school):
    early = contracts_cycle(office_user, township, phase7=PhaseState.OPEN,
                            phase8=PhaseState.NOT_STARTED)

    response = login(office_user).get(at("contracts", early))
    refused = login(office_user).post(at("contracts_draw_up", early), follow=True)

    assert 'disabled aria-describedby="refusal"' in text(response)
    assert "once phase 7" in text(response)
    assert "once phase 7" in messages_of(refused)[0]


def test_a_principal_draws_up_their_schools(login, principal_user, cycle, hires, school):
    response = login(principal_user).post(at("contracts_draw_up", cycle), follow=True)

    assert messages_of(response) == ["2 contracts drawn up."]
    assert response.redirect_chain[-1][0] == at("contracts_school", cycle, school.pk)
    assert set(Contract.objects.values_list("school", flat=True)) == {school.pk}


@pytest.mark.parametrize("bad", ["abc", "-1", "1" * 30, "0"])
def test_a_bad_school_id_is_404(login, office_user, cycle, hires, bad):
    assert login(office_user).post(at("contracts_draw_up", cycle),
                                   {"school": bad}).status_code == 404


# --- marking copies ----------------------------------------------------------------------------


def test_the_principal_records_many_copies_signed_at_once(login, principal_user, cycle,
                                                         drawn, school):
    client = login(principal_user)
    ids = [drawn["teacher"].pk, drawn["colleague"].pk]

    response = client.post(at("contracts_mark", cycle, school.pk),
                           {"action": "sign", "kinds": CopyKind.values, "contract": ids},
                           follow=True)
    double = client.post(at("contracts_mark", cycle, school.pk),
                         {"action": "sign", "kinds": CopyKind.values, "contract": ids},
                         follow=True)

    assert messages_of(response) == ["6 copies recorded as signed."]
    assert messages_of(double)[0] == "0 copies recorded as signed."
    assert "6 copies left as they were" in messages_of(double)[1]
    assert ContractCopy.objects.filter(signed_by=principal_user).count() == 6
    assert "signed (principal," in text(double)


def test_the_principal_may_not_file_the_offices_copy(login, principal_user, office_user,
                                                     cycle, drawn, school):
    sign(office_user, [drawn["teacher"]])
    client = login(principal_user)

    response = client.post(at("contracts_mark", cycle, school.pk),
                           {"action": "file", "kinds": CopyKind.values,
                            "contract": [drawn["teacher"].pk]}, follow=True)

    assert messages_of(response)[0] == "2 copies recorded as filed."
    assert "The office records the filing of its own copy." in messages_of(response)[1]
    office_copy = ContractCopy.objects.get(contract=drawn["teacher"], kind=CopyKind.OFFICE)
    assert office_copy.filed_at is None


@pytest.mark.parametrize("data, words", [
    ({"action": "sign", "kinds": ["office"]}, "Tick at least one contract."),
    ({"action": "sign", "kinds": ["office"], "contract": ["x", "1" * 30, "-3"]},
     "Tick at least one contract."),
    ({"action": "burn", "kinds": ["office"], "contract": ["1"]}, "Select a valid choice."),
    ({"action": "sign", "contract": ["1"]}, "This field is required."),
])
def test_bad_marks_say_what_is_wrong(login, principal_user, cycle, drawn, school, data,
                                     words):
    response = login(principal_user).post(at("contracts_mark", cycle, school.pk), data,
                                          follow=True)

    assert words in messages_of(response)[0]
    assert not ContractCopy.objects.filter(signed_at__isnull=False).exists()


def test_another_schools_contract_ticked_is_ignored(login, principal_user, cycle, drawn,
                                                    school):
    response = login(principal_user).post(
        at("contracts_mark", cycle, school.pk),
        {"action": "sign", "kinds": ["office"], "contract": [drawn["there"].pk]}, follow=True)

    assert "Tick at least one contract and one copy." in messages_of(response)[0]
    assert not ContractCopy.objects.filter(signed_at__isnull=False).exists()


# --- editing a contract --------------------------------------------------------------------------


def test_the_principal_edits_before_signing(login, principal_user, cycle, drawn):
    contract = drawn["teacher"]

    response = login(principal_user).post(at("contract", cycle, contract.pk),
                                          {"title": "聘约", "clauses": "乙方兼任班主任。"},
                                          follow=True)

    assert messages_of(response) == ["The contract is saved."]
    contract.refresh_from_db()
    assert contract.clauses == "乙方兼任班主任。"
    assert "Change history" in text(response)


def test_after_signing_the_edit_button_is_disabled_with_its_reason(login, principal_user,
                                                                   office_user, cycle, drawn):
    contract = drawn["teacher"]
    sign(office_user, [contract], kinds=[CopyKind.TEACHER])
    client = login(principal_user)

    page = client.get(at("contract", cycle, contract.pk))
    refused = client.post(at("contract", cycle, contract.pk),
                          {"title": "聘约", "clauses": "改掉"})

    assert 'disabled aria-describedby="edit-refusal"' in text(page)
    assert "frozen as signed" in text(page)
    assert refused.status_code == 400
    assert "frozen as signed" in text(refused) and "改掉" in text(refused)
    contract.refresh_from_db()
    assert "改掉" not in contract.clauses


def test_an_unknown_placeholder_keeps_what_was_typed(login, office_user, cycle):
    response = login(office_user).post(at("contracts_template", cycle),
                                       {"title": "聘约", "clauses": "聘{姓名}为{官职}"})

    assert response.status_code == 200
    assert "Unknown placeholders: {官职}" in text(response)
    assert "聘{姓名}为{官职}" in text(response)


def test_the_office_saves_the_template(login, office_user, cycle, township):
    response = login(office_user).post(at("contracts_template", cycle),
                                       {"title": "聘约", "clauses": "聘{姓名}"}, follow=True)

    assert "The contract template is saved." in messages_of(response)[0]
    assert township.contract_template.clauses == "聘{姓名}"


# --- the workbook and bounded pages ---------------------------------------------------------------


def test_the_office_exports_the_contracts(login, office_user, cycle, drawn):
    sign(office_user, [drawn["teacher"]])

    response = login(office_user).get(at("contracts_export", cycle))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["聘约"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("学校", "姓名", "岗位")
    names = {row[1]: row for row in rows[1:]}
    assert set(names) == {"教师乙", "同事丁", "东张教师"}
    assert names["教师乙"][6] and names["教师乙"][7] == "office"
    assert not names["同事丁"][6]


def test_pages_with_hundreds_of_contracts_are_bounded(login, office_user, principal_user,
                                                      cycle, school, other_school,
                                                      django_assert_max_num_queries):
    many_hires(cycle, school, 250)
    many_hires(cycle, other_school, 100, start=5000)
    contract_services.contracts_draw_up(by=office_user, cycle=cycle)
    office, principal = login(office_user), None

    with django_assert_max_num_queries(25):
        assert office.get(at("contracts", cycle)).status_code == 200
    with django_assert_max_num_queries(25):
        assert office.get(at("contracts_export", cycle)).status_code == 200
    principal = login(principal_user)
    with django_assert_max_num_queries(25):
        response = principal.get(at("contracts_school", cycle, school.pk) + "?page=3")
    assert response.status_code == 200 and "250 contracts" in text(response)
    ids = list(Contract.objects.filter(school=school).values_list("pk", flat=True))
    with django_assert_max_num_queries(50):  # the bulk update in batches, then the page
        response = principal.post(at("contracts_mark", cycle, school.pk),
                                  {"action": "sign", "kinds": CopyKind.values,
                                   "contract": ids}, follow=True)
    assert messages_of(response)[0] == "750 copies recorded as signed."


def test_the_search_finds_by_name(login, principal_user, cycle, drawn, school):
    response = login(principal_user).get(at("contracts_school", cycle, school.pk) + "?q=同事")

    assert "同事丁" in text(response) and "教师乙" not in text(response)


def test_the_pages_are_in_chinese(client, login, office_user, principal_user, teacher_user,
                                  cycle, drawn, school, settings):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    sign(office_user, [drawn["teacher"]], kinds=[CopyKind.OFFICE])
    seen = {}
    login(office_user)
    for name in ("contracts", "contracts_template"):
        seen[name] = english_words(client.get(at(name, cycle)).content.decode())
    seen["school"] = english_words(
        client.get(at("contracts_school", cycle, school.pk)).content.decode())
    login(principal_user)
    seen["contract"] = english_words(
        client.get(at("contract", cycle, drawn["teacher"].pk)).content.decode())
    login(teacher_user)
    seen["mine"] = english_words(client.get(at("contract_mine", cycle)).content.decode())
    seen["home"] = english_words(client.get("/").content.decode())

    assert {name: words - {"xlsx", "PDF", "office", "principal", "teacher"}
            for name, words in seen.items()} == {name: set() for name in seen}


def test_a_long_overdue_list_says_it_is_cut(login, office_user, cycle, drawn, monkeypatch):
    """The overview lists the oldest overdue contracts only (200 by default; 2 here, for
    the 3 of the world), and says where the rest are."""
    monkeypatch.setattr(contract_selectors, "overview",
                        functools.partial(contract_selectors.overview, overdue_limit=2))

    page = text(login(office_user).get(at("contracts", cycle)))

    assert "3 contracts past the deadline" in page
    assert ("The 2 with the oldest deadline are listed; each school's list and the xlsx "
            "export have them all.") in page
