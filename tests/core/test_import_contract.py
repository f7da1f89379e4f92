"""The import contract (docs/decisions/0018): the checker passes on the real tree and fails on a
deliberately wrong import; private helpers are not imported across modules.

``tools/test`` runs ``lint-imports`` before pytest; these tests prove that the contracts in
``pyproject.toml`` can fail at all, one deliberate violation per contract, on a throw-away copy of
the tree (the real tree is never touched).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kpo", "kennisbank", "communities", "academie", "search")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_tree(target: Path) -> None:
    """The project's Python files and pyproject.toml, nothing else."""

    def ignore(directory: str, names: list[str]) -> list[str]:
        return [
            name
            for name in names
            if name == "__pycache__"
            or (not name.endswith(".py") and not (Path(directory) / name).is_dir())
        ]

    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def test_the_contract_holds_on_the_real_tree():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    for contract in (
        "The core (kpo apps) never imports a pillar KEPT",
        "Models never import views, the API or admin views KEPT",
        "Selectors (reads) never import services (writes) KEPT",
        "No import cycles between the modules of an app KEPT",
    ):
        assert contract in result.stdout


# (file in the copy, line appended to it, the contract that must break, what it must name)
WRONG_IMPORTS = [
    pytest.param(
        "kpo/core/probe.py",
        "from communities.models import Community  # noqa: F401\n",
        "The core (kpo apps) never imports a pillar BROKEN",
        "kpo.core is not allowed to import communities",
        id="core-imports-a-pillar",
    ),
    pytest.param(
        "kpo/accounts/models.py",
        "\n\ndef _probe():\n    from search.registry import searchable  # noqa: F401\n",
        "The core (kpo apps) never imports a pillar BROKEN",
        "kpo.accounts is not allowed to import search",
        id="core-model-imports-search-lazily",
    ),
    pytest.param(
        "academie/models/probe.py",
        "import academie.views  # noqa: F401\n",
        "Models never import views, the API or admin views BROKEN",
        "academie.models is not allowed to import academie.views",
        id="model-imports-a-view",
    ),
    pytest.param(
        "search/selectors/__init__.py",
        "\nfrom search import services  # noqa: E402,F401\n",
        "Selectors (reads) never import services (writes) BROKEN",
        "search.selectors is not allowed to import search.services",
        id="selector-imports-a-service",
    ),
    pytest.param(
        "kpo/audit/context.py",
        "\nfrom kpo.audit import services  # noqa: E402,F401\n",
        "No import cycles between the modules of an app BROKEN",
        "No cycles are allowed in kpo.audit",
        id="cycle-inside-an-app",
    ),
]


@pytest.mark.parametrize(("path", "line", "broken", "detail"), WRONG_IMPORTS)
def test_the_checker_fails_on_a_wrong_import(tmp_path, path, line, broken, detail):
    _copy_tree(tmp_path)
    target = tmp_path / path
    with target.open("a", encoding="utf-8") as handle:
        handle.write(line)
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert broken in result.stdout, result.stdout
    assert detail in result.stdout, result.stdout
    # The copy without the probe is clean: the failure comes from the probe alone.
    assert "0 broken" not in result.stdout


# --- private helpers stay private -----------------------------------------------------------

FIRST_PARTY = (*PACKAGES, "tests", "bench")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


def _private_imports(path: Path) -> list[str]:
    """``from our.module import _name`` and ``our_module._name`` in one file. A package's
    ``__init__`` re-exporting a sibling's ``_name`` is no exception; third-party modules are not
    checked (their private API is their business, and a reason to look for a public one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    imported_modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in FIRST_PARTY:
                continue
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{path}:{node.lineno}: from {node.module} import {alias.name}")
                else:
                    imported_modules[alias.asname or alias.name] = node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FIRST_PARTY:
                    imported_modules[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported_modules
            and node.attr not in ("_meta", "_default_manager", "_base_manager")
        ):
            found.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_private_name_is_imported_across_modules():
    files = [
        path
        for package in FIRST_PARTY
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and ".venv" not in path.parts
    ]
    assert len(files) > 200
    found = [hit for path in files for hit in _private_imports(path)]
    assert found == []


def test_the_private_name_check_can_fail(tmp_path):
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from django.db.models.base import _has_contribute_to_class\n"  # third party: not ours
        "from kpo.security.lockout import _counter_for_update\n"
        "from kpo.core import access\n"
        "access._CACHE_ATTR\n"
    )
    hits = _private_imports(wrong)
    assert [hit.split(": ", 1)[1] for hit in hits] == [
        "from kpo.security.lockout import _counter_for_update",
        "access._CACHE_ATTR",
    ]
