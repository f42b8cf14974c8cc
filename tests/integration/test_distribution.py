"""The distributions, as a new user gets them: build the sdist and the wheel, check them,
install the wheel into a fresh virtualenv, and run ``kg`` outside and inside a checkout.

Integration test (marked slow): it runs ``python -m build`` (which installs
hatchling into an isolated environment) and ``pip install`` of the wheel
with its dependencies, from the package index pip is configured with.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from kg.core.paths import REPO_ROOT
from kg.core.release import VERSION
from tests.helpers.data import copy_data

pytestmark = pytest.mark.slow

WHEEL_LIMIT_BYTES = 1_500_000


def _clean_environment(home: Path) -> dict:
    """The environment of a new user's shell: no KG_DATA, no PYTHONPATH, no active virtualenv."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"KG_DATA", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    environment.update({"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")})
    return environment


def _run(args, cwd: Path, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _backend_warnings(output: str) -> list[str]:
    # This machine's pip configuration names two local package indexes that
    # may be absent; pip's notice about them is not the package's warning.
    return [line for line in output.splitlines()
            if "warn" in line.lower() and not (line.startswith("WARNING: Location 'file://") and "is ignored" in line)]


@pytest.fixture(scope="module")
def distributions(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    # The wheel is built from the sdist (build's default), so this proves the sdist is complete too.
    result = _run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO_ROOT)], REPO_ROOT,
                  _clean_environment(tmp_path_factory.mktemp("home")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert _backend_warnings(result.stdout + result.stderr) == []
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_twine_check_passes(distributions):
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, distributions.values())],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_wheel_carries_the_graph_and_both_licences(distributions):
    wheel = distributions["wheel"]
    assert wheel.name == f"kazakhstan_kg-{VERSION}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    info = f"kazakhstan_kg-{VERSION}.dist-info"
    assert {f"{info}/licenses/LICENSE", f"{info}/licenses/LICENSE-DATA"} <= set(names)
    assert {"kg/bundled/ontology.ttl", "kg/bundled/exports/kazakhstan.ttl", "kg/bundled/LICENSE-DATA",
            "kg/check/shapes.ttl", "kg/render/templates/view.html", "kg/serve/templates/entity.html",
            "kg/serve/static/query.js", "kg/serve/static/yasgui/yasgui.min.js",
            "kg/serve/static/yasgui/LICENSE"} <= set(names)
    assert len([n for n in names if n.startswith("kg/bundled/seeds/texts/") and n.endswith(".txt")]) == 5
    assert any(n.startswith("kg/sparql/queries/") and n.endswith(".rq") for n in names)
    assert not [n for n in names if n.endswith(".html") and "templates" not in n], "no generated views in the wheel"
    assert wheel.stat().st_size < WHEEL_LIMIT_BYTES
    metadata = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()
    assert "License-Expression: MIT AND CC-BY-4.0" in metadata
    assert "License-File: LICENSE\n" in metadata and "License-File: LICENSE-DATA\n" in metadata


def test_the_sdist_carries_the_source_data_and_both_licences(distributions):
    names = tarfile.open(distributions["sdist"]).getnames()
    root = f"kazakhstan_kg-{VERSION}"
    for path in ("LICENSE", "LICENSE-DATA", "ontology.ttl", "pyproject.toml", "README.md", "exports/kazakhstan.ttl",
                 "kg/__init__.py", "tests/conftest.py"):
        assert f"{root}/{path}" in names, path
    assert any(n.startswith(f"{root}/seeds/texts/") for n in names)
    assert not any(n.startswith(f"{root}/exports/views/") for n in names)


@pytest.fixture(scope="module")
def installed(distributions, tmp_path_factory):
    """A fresh virtualenv with the wheel installed (and its dependencies), and a clean environment."""
    home = tmp_path_factory.mktemp("home")
    venv = home / "venv"
    env = _clean_environment(home)
    # The virtualenv starts empty (no pip of its own: ensurepip costs a few seconds and the tests never
    # use it); this suite's pip, the same version, installs the wheel and resolves its dependencies into it.
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], home, env).returncode == 0
    started = time.monotonic()
    result = _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                   str(distributions["wheel"])], home, env)
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"\ninstalled the wheel with its dependencies in {time.monotonic() - started:.1f} s")
    outside = home / "outside"
    outside.mkdir()
    return {"bin": venv / "bin", "env": env, "outside": outside, "home": home}


def test_installed_kg_counts_the_triples_from_outside_a_checkout(installed):
    result = _run([str(installed["bin"] / "kg"), "query", "--format", "csv",
                   "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], installed["outside"], installed["env"])
    assert result.returncode == 0, result.stderr
    header, count = result.stdout.split()
    described = _run([str(installed["bin"] / "kg"), "query", "--format", "csv",
                      "SELECT ?n WHERE { <https://w3id.org/kzkg/> void:triples ?n }"], installed["outside"], installed["env"])
    assert header == "n" and int(count) > 5000 and described.stdout.split()[1] == count


def test_installed_kg_shows_russia(installed):
    result = _run([str(installed["bin"] / "kg"), "show", "Russia"], installed["outside"], installed["env"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Russia  <https://w3id.org/kzkg/id/Russia>\n")
    assert "label@kk: Ресей" in result.stdout


def test_installed_python_api_counts_the_facts(installed):
    result = _run([str(installed["bin"] / "python"), "-c", "import kg; print(len(kg.load().facts()))"],
                  installed["outside"], installed["env"])
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 300
    where = _run([str(installed["bin"] / "python"), "-c", "import kg; print(kg.load())"], installed["outside"], installed["env"])
    assert where.stdout.strip() == "<KnowledgeGraph: the graph packaged with kg>"


def test_installed_kg_serve_answers_from_the_packaged_graph(installed):
    """`kg serve` on a fresh install: the packaged graph over HTTP (a query, Russia's Turtle, the
    query page with its vendored assets), then a clean stop on SIGTERM."""
    import json
    import signal
    import urllib.parse

    from tests.helpers.serve import request

    process = subprocess.Popen([str(installed["bin"] / "kg"), "serve", "--port", "0", "--workers", "2"],
                               cwd=installed["outside"], env=installed["env"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert line.startswith("kg serve: http://127.0.0.1:"), line + (process.stderr.read() if process.poll() else "")
        assert "bundled/exports/kazakhstan.ttl" in line
        url = line.split()[2]
        query = urllib.parse.urlencode({"query": "ASK { kz:Kazakhstan kzo:memberOf kz:UN }"})
        status, _, body = request(f"{url}sparql?{query}", headers={"Accept": "application/sparql-results+json"})
        assert status == 200 and json.loads(body)["boolean"] is True
        status, headers, body = request(url + "id/Russia", headers={"Accept": "text/turtle"})
        assert status == 200 and headers["Content-Type"].startswith("text/turtle")
        assert '"Ресей"@kk' in body
        status, _, page = request(url)
        assert status == 200 and "yasgui" in page
        assert request(url + "static/yasgui/yasgui.min.js")[0] == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_installed_kg_build_on_the_packaged_graph_says_how_to_get_a_working_copy(installed):
    result = _run([str(installed["bin"] / "kg"), "build"], installed["outside"], installed["env"])
    assert result.returncode == 2
    assert result.stderr == ("Error: kg build needs a working copy of the data, not the graph packaged with kg: "
                             "run `kg init DIR`, then `kg --data DIR build`\n")
    assert result.stdout == ""


def test_installed_kg_builds_inside_a_checkout(installed):
    checkout = copy_data(installed["home"] / "clone").root
    shutil.rmtree(checkout / "exports")
    inside = checkout / "seeds" / "facts"  # any directory under the checkout
    result = _run([str(installed["bin"] / "kg"), "build"], inside, installed["env"], timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (checkout / "exports" / "kazakhstan.ttl").is_file()
    assert "wrote exports/kazakhstan.ttl" in result.stdout


def test_installed_kg_init_then_build(installed):
    target = installed["home"] / "my-graph"
    result = _run([str(installed["bin"] / "kg"), "init", str(target)], installed["outside"], installed["env"])
    assert result.returncode == 0, result.stderr
    built = _run([str(installed["bin"] / "kg"), "--data", str(target), "build"], installed["outside"], installed["env"], timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (target / "LICENSE-DATA").is_file()
