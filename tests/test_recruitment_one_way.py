"""Issue 9, the items the restructuring left: one entry point per change, pages that ask
the rules' own checks instead of writing their texts again, one access predicate per
question, each of R1–R7 in a function whose docstring names it, and no language left
over from one test to the next."""

import ast
import importlib
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from recruitment import rules
from recruitment.models import Phase, PhaseState
from recruitment.phases import INTENTIONS
from recruitment.services import allocation as allocation_services
from recruitment.services import consultation as consultation_services
from recruitment.services import selection as selection_services
from schools.models import Position

from .factories import StaffFactory, adopted_cycle

ROOT = Path(__file__).resolve().parent.parent
RECRUITMENT = ROOT / "recruitment"
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext"}


def msgids(path: Path) -> set[str]:
    return {node.args[0].value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)}


def sources(*parts: str) -> list[Path]:
    return sorted(path for part in parts for path in
                  ((RECRUITMENT / part).glob("*.py") if (RECRUITMENT / part).is_dir()
                   else [RECRUITMENT / part]))


# --- 1. one entry point per change --------------------------------------------------------


def test_an_allocation_is_sent_only_through_its_preview():
    assert not hasattr(allocation_services, "allocation_run")
    assert callable(allocation_services.allocation_preview)
    assert callable(allocation_services.allocation_send)


# --- 2. the pages ask the rule; they do not write its text again ----------------------------

# The same msgid, but not a refusal a page restates: the phase page's success message,
# and the ballot form's shape (the service checks the choice again for other callers).
# A success message, a form's own prompt, and the bare "who: why" frame of a bulk action's
# refusals (the why is the service's text).
NOT_RESTATED = {"%(phase)s is closed.", "Choose for, against or abstain.", "%(name)s: %(reason)s"}


def test_no_view_writes_a_text_the_rules_services_or_selectors_write():
    views = {m for path in sources("views") for m in msgids(path)}
    checks = {m for path in sources("rules.py", "workflow.py", "access.py", "services",
                                    "selectors") for m in msgids(path)}

    assert views & checks == NOT_RESTATED


@pytest.fixture
def due_vice(office_user, township, school):
    cycle = adopted_cycle(office=office_user, township=township)
    vice = Position.objects.create(staff=StaffFactory(school=school), school=school,
                                   title="副校长", start_date="2020-09-01")
    return cycle, vice


def test_the_vices_page_and_the_service_give_the_same_reason_out_of_phase(
        login, principal_user, school, due_vice, english_pages):
    cycle, vice = due_vice
    Phase.objects.filter(cycle=cycle, number=INTENTIONS).update(state=PhaseState.CLOSED)

    page = login(principal_user).get(reverse("recruitment:vice_assessments",
                                             args=[cycle.pk, school.pk]))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        selection_services.vice_assess(by=principal_user, cycle=cycle, position=vice, keep=True)

    assert refused.value.messages == ["Vice principals are assessed while phase 5 or 6 is open."]
    assert refused.value.messages[0] in page.text
    assert 'disabled aria-describedby="vice-refusal"' in page.text


def test_the_vice_removal_page_asks_the_same_check(login, principal_user, school, due_vice,
                                                    english_pages):
    cycle, vice = due_vice
    url = reverse("recruitment:vice_remove", args=[cycle.pk, school.pk, vice.pk])

    assert "not due" not in login(principal_user).get(url).text
    selection_services.vice_assess(by=principal_user, cycle=cycle, position=vice, keep=True)
    assert "This vice principal is not due for the term assessment." in \
        login(principal_user).get(url).text


# --- 3. one access predicate per question ---------------------------------------------------


@pytest.mark.parametrize("path", sources("services", "selectors", "views"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_office_and_principal_are_asked_of_access_only(path):
    text = path.read_text(encoding="utf-8")

    assert "principal_school_ids" not in text
    assert "townships_managed(" not in text


def test_each_rule_text_is_written_once():
    written: dict[str, list[str]] = {}
    for path in sorted(RECRUITMENT.rglob("*.py")):
        if "migrations" not in path.parts:
            for msgid in msgids(path):
                written.setdefault(msgid, []).append(str(path.relative_to(ROOT)))

    assert {m: where for m in msgids(RECRUITMENT / "rules.py")
            if len(where := written[m]) > 1} == {}


def test_a_representative_from_elsewhere_is_refused_by_the_township_staff_rule(
        drafted, office_user, foreign_school, english):
    stranger = StaffFactory(school=foreign_school)
    with pytest.raises(ValidationError) as refused:
        consultation_services.representative_add(by=office_user, cycle=drafted,
                                                 staff=stranger)

    assert refused.value.messages == [rules.township_staff_refusal(drafted, stranger)]


# --- 4. R4's term limit and R5's share in one rules function each ---------------------------


@pytest.mark.parametrize("start, limit", [(date(2026, 9, 1), date(2023, 9, 1)),
                                          (date(2028, 2, 29), date(2025, 2, 28))])
def test_r4_a_full_term_is_three_years_before_the_intentions_open(start, limit):
    assert rules.vice_term_limit(start) == limit


@pytest.mark.parametrize("establishment, needed", [(9, 6), (10, 7), (0, 0)])
def test_r5_own_staff_are_two_thirds_of_the_establishment_rounded_up(establishment, needed):
    assert rules.own_staff_needed(establishment, 2, 3) == needed


# --- 5. R1–R7, each in functions whose docstrings name it -----------------------------------


def rule_table() -> dict[int, list[str]]:
    text = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    section = text.split("## Layout of recruitment/ (issue 9)", 1)[1].split("\n## ", 1)[0]
    return {int(number): re.findall(r"`([\w/.]+)`", where)
            for number, where in re.findall(r"^\| R(\d) [^|]*\| (.*) \|$", section, re.M)}


def resolve(name: str):
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module("recruitment." + module.replace("/", ".")),
                   attribute)


def test_the_decisions_table_lists_r1_to_r7():
    assert sorted(rule_table()) == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("number, name", [(n, name) for n, names in rule_table().items()
                                          for name in names])
def test_every_function_of_the_rule_table_names_its_rule(number, name):
    function = resolve(name)

    assert f"R{number}" in (function.__doc__ or "")


# --- 6. no language left over --------------------------------------------------------------


def test_a_page_in_english(login, office_user, english_pages, db):
    assert login(office_user).get(reverse("recruitment:cycle_list")).status_code == 200
    assert translation.get_language() == "en"  # the middleware activated it


def test_the_next_test_starts_in_the_default_language():
    # pytest-django runs the database tests first, so this one runs after the page above.
    assert translation.get_language() == "zh-hans"
