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


#: One interpreter that has imported no module of kg forks one child per module, which imports
#: that module first: an interpreter per module, without starting 70 of them. The third-party
#: libraries kg builds on are imported before the fork (they are not what is checked here).
_IMPORT_EACH_ALONE = """
import os, sys, traceback
import click, jinja2, networkx, pyoxigraph, rdflib, starlette, uvicorn
assert not [name for name in sys.modules if name == "kg" or name.startswith("kg.")]
for module in sys.argv[1:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            __import__(module)
            os._exit(0)
        except BaseException:
            os.write(write, traceback.format_exc().encode())
            os._exit(1)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        error = stream.read().decode()
    _, status = os.waitpid(pid, 0)
    print(repr((module, os.waitstatus_to_exitcode(status), error)))
"""


@pytest.fixture(scope="module")
def imported_alone() -> dict[str, tuple[int, str]]:
    """Each module of kg imported first in an interpreter of its own: (exit code, traceback)."""
    import ast as literal

    result = subprocess.run([sys.executable, "-c", _IMPORT_EACH_ALONE, *MODULES], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = [literal.literal_eval(line) for line in result.stdout.splitlines()]
    return {module: (code, error) for module, code, error in rows}


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports_on_its_own(imported_alone, module):
    code, error = imported_alone[module]
    assert code == 0, error


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
