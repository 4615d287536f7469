"""Issue 9: the layout of recruitment/ keeps its arrows one way (import-linter's layers, in
tests/test_import_contracts.py) and two rules the linter cannot see: no private name is
imported from another module, and nothing is imported inside a function."""
import ast
from pathlib import Path

import pytest

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
