"""Issue 9: the layout of recruitment/ keeps its arrows one way (import-linter's layers, in
tests/test_import_contracts.py) and rules the linter cannot see: no private name is
imported from another module, nothing is imported inside a function, and no status is
written as a bare string where the models have its choices."""
import ast
from pathlib import Path

import pytest
from django.db import models

from recruitment import models as recruitment_models
from recruitment import sheets

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(path for package in ("recruitment", "schools", "staffing", "attendance",
                                                   "evaluation")
                 for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


def private_imports(tree: ast.AST) -> list[str]:
    return [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")]


def imports_in_functions(tree: ast.AST) -> list[int]:
    return [inner.lineno for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            for inner in ast.walk(node) if isinstance(inner, ast.Import | ast.ImportFrom)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_is_imported_and_nothing_inside_a_function(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))

    assert private_imports(tree) == []
    assert imports_in_functions(tree) == []


def test_the_scan_finds_what_it_forbids():
    tree = ast.parse("from .services import _refuse\n"
                     "def f():\n    from . import rules\n    return rules\n")

    assert private_imports(tree) == ["_refuse"]
    assert imports_in_functions(tree) == [3]


@pytest.mark.parametrize("old", ["services", "selection", "dispatching", "committee", "posting",
                                 "selectors", "outcome", "allocation_forms", "committee_forms",
                                 "consult_forms", "posts_forms"])
def test_the_dissolved_modules_are_gone(old):
    assert not (ROOT / "recruitment" / f"{old}.py").exists()


@pytest.mark.parametrize("package", ["services", "selectors", "forms"])
def test_each_part_of_the_cycle_has_its_module(package):
    parts = {path.stem for path in (ROOT / "recruitment" / package).glob("*.py")}
    expected = {"__init__", "common", "cycle", "plan", "consultation", "posts", "selection",
                "allocation", "unhired"}
    if package in ("services", "selectors"):
        expected |= {"outcome"}

    assert parts == expected


def choice_values() -> dict[str, set[str]]:
    """Every value of recruitment's choices (``PhaseState``, ``Decision``, ``Proposal.Status``
    …), each with the choices it belongs to ("pending" is several's)."""
    classes = [c for c in vars(recruitment_models).values()
               if isinstance(c, type) and issubclass(c, models.Model)]
    choices = {c for c in vars(recruitment_models).values()
               if isinstance(c, type) and issubclass(c, models.Choices) and c is not models.Choices}
    choices |= {inner for model in classes for inner in vars(model).values()
                if isinstance(inner, type) and issubclass(inner, models.Choices)}
    values: dict[str, set[str]] = {}
    for choice in choices:
        for value in choice.values:
            if isinstance(value, str):
                values.setdefault(value, set()).add(choice.__qualname__)
    return values


def bare_choice_strings(tree: ast.AST, values: dict[str, set[str]]) -> list[str]:
    """A choice's value written as a bare string where it is compared, or as the keys of a
    dict whose keys are all values of one choices class (a table keyed by a status)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            found += [f"{node.lineno}: {c.value!r}" for c in [node.left, *node.comparators]
                      if isinstance(c, ast.Constant) and c.value in values]
        if isinstance(node, ast.Dict) and node.keys and all(
                isinstance(k, ast.Constant) and k.value in values for k in node.keys):
            owners = set.intersection(*(values[k.value] for k in node.keys))
            if owners:
                found.append(f"{node.lineno}: keys of {', '.join(sorted(owners))}")
    return found


RECRUITMENT_SOURCES = [path for path in SOURCES if path.parts[len(ROOT.parts)] == "recruitment"
                       and path.name != "models.py"]


@pytest.mark.parametrize("path", RECRUITMENT_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_statuses_are_the_models_choices_not_bare_strings(path):
    assert bare_choice_strings(ast.parse(path.read_text(encoding="utf-8")), choice_values()) == []


def test_the_bare_string_scan_finds_what_it_forbids():
    values = choice_values()
    tree = ast.parse('WORDS = {"hire": "聘用", "not_hire": "不聘", "pending": "未决定"}\n'
                     'STAGES = {"plan": 1, "selection": 6}\n'
                     'if phase.state == "closed":\n    pass\n')

    assert values["closed"] == {"PhaseState"} and values["not_hire"] == {"Decision"}
    assert bare_choice_strings(tree, values) == ["1: keys of Decision", "3: 'closed'"]


def test_the_rankings_sheet_has_a_word_for_every_decision():
    assert set(sheets.DECISION_WORDS) == set(recruitment_models.Decision)
    assert all(isinstance(key, recruitment_models.Decision) for key in sheets.DECISION_WORDS)
