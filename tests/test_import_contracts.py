"""The import contracts of pyproject.toml ([tool.importlinter], run by bin/test): they hold
on the project as it is, and each one breaks when a forbidden import comes back.

Each breaking case copies the apps and pyproject.toml into a temporary directory, adds one
import the contract forbids, and runs lint-imports there: the real tree is never touched.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("staffing", "schools", "recruitment", "attendance", "evaluation")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def project_copy(tmp_path: Path) -> Path:
    """The five packages' Python files and pyproject.toml, copied under ``tmp_path``."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "static",
                                                      "locale"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_project_keeps_every_contract():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout
    assert "BROKEN" not in result.stdout


def test_a_copy_of_the_project_keeps_every_contract(tmp_path):
    result = lint_imports(project_copy(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("schools/models.py", "import recruitment",
     "schools uses none of recruitment, attendance, evaluation"),
    ("schools/selectors.py", "from recruitment import models",
     "schools uses none of recruitment, attendance, evaluation"),
    ("schools/access.py", "import evaluation",
     "schools uses none of recruitment, attendance, evaluation"),
    ("staffing/history.py", "from schools import models",
     "staffing's shared modules use no app"),
    ("staffing/workbook.py", "import recruitment.phases",
     "staffing's shared modules use no app"),
    ("attendance/models.py", "import evaluation.models",
     "attendance and evaluation use neither each other"),
    ("evaluation/views.py", "from recruitment import services",
     "attendance and evaluation read the cycle only through its selectors"),
    ("attendance/views.py", "from recruitment.views import allocation",
     "attendance and evaluation read the cycle only through its selectors"),
    ("recruitment/selectors/plan.py", "from recruitment.services import cycle",
     "recruitment: pages over services over selectors over access over rules"),
    ("recruitment/rules.py", "from recruitment import access",
     "recruitment: pages over services over selectors over access over rules"),
    ("recruitment/forms/posts.py", "from recruitment.selectors import posts",
     "recruitment: pages over services over selectors over access over rules"),
    ("recruitment/access.py", "from recruitment.selectors import common",
     "recruitment: pages over services over selectors over access over rules"),
    ("recruitment/services/posts.py", "from recruitment.forms import posts",
     "recruitment: only the pages use forms"),
    ("recruitment/selectors/plan.py", "from recruitment.forms import common",
     "recruitment: only the pages use forms"),
    ("recruitment/services/plan.py", "from recruitment.services import selection",
     "recruitment.services: one module per part, no cycle"),
    ("recruitment/selectors/unhired.py", "from recruitment.selectors import cycle",
     "recruitment.selectors: one module per part, no cycle"),
])
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, line, contract):
    project = project_copy(tmp_path)
    with (project / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{line}  # noqa\n")

    result = lint_imports(project)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout
