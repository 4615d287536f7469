"""The suite's own layout: fixtures come from conftest.py files, helpers from plain helper
modules; no test module imports another test module or a conftest."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def imported_modules(path: Path) -> set[str]:
    """The last dotted part of every module ``path`` imports (``from . import x`` counts
    ``x``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.rsplit(".", 1)[-1] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                names.add(node.module.rsplit(".", 1)[-1])
            if not node.module or node.level:
                names.update(alias.name for alias in node.names)
    return names


def test_no_test_module_imports_another_or_a_conftest():
    borrowed = {
        str(path.relative_to(TESTS)): sorted(
            name for name in imported_modules(path)
            if name.startswith("test_") or name == "conftest")
        for path in TESTS.rglob("*.py")
    }
    assert {path: names for path, names in borrowed.items() if names} == {}
