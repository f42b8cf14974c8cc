"""The layering holds: imports go one way, every module imports on its own, tests share helpers only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from kg.core.paths import PACKAGE_DIR, REPO_ROOT

MODULES = sorted(
    ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in PACKAGE_DIR.rglob("*.py")
    if path.name != "__main__.py"
)


def test_imports_follow_the_layers():
    """`lint-imports` checks the contracts of pyproject.toml (layers, no click below kg.cli)."""
    script = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(script)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports_on_its_own(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_tests_import_no_other_test_module():
    """What tests share lives in tests/helpers/; no test imports another test module."""
    offenders = []
    for path in (REPO_ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if (node.level > 0 or parts[0] == "tests") and any(part.startswith("test_") or part == "conftest" for part in parts):
                    offenders.append(f"{path.relative_to(REPO_ROOT)}: {node.module}")
    assert offenders == []
