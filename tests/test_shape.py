"""The one shape (docs/architecture.md), checked on every service: the same inner layout, no test
support inside a production package, and pure rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SERVICES = sorted(p.parent.name for p in (REPO / "services").glob("*/pyproject.toml"))
# each entry: a module or a package of that name
LAYOUT = ("settings", "context", "app", "rules", "usecases", "views", "events", "handlers", "jobs",
          "store", "adapters", "api", "schemas", "migrations")
PURE_FORBIDDEN = ("fastapi", "asyncpg", "aiokafka", "starlette", "httpx")


def package(name: str) -> Path:
    d = REPO / "services" / name
    return d / ("recoup_skeleton" if name == "_template" else f"recoup_{name}")


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_has_the_one_inner_layout(name):
    pkg = package(name)
    missing = [part for part in LAYOUT if not (pkg / f"{part}.py").is_file() and not (pkg / part).is_dir()]
    assert not missing, f"{name} lacks {missing} (docs/architecture.md)"
    assert (pkg / "api" / "deps.py").is_file() and (REPO / "services" / name / "README.md").is_file()
    assert (REPO / "services" / name / "tests").is_dir()


@pytest.mark.parametrize("name", SERVICES)
def test_no_test_support_in_a_production_package(name):
    offenders = [str(p.relative_to(REPO)) for p in package(name).rglob("*.py")
                 if p.stem in ("testing", "conftest", "factories", "fixtures") or p.stem.startswith("test_")]
    assert not offenders, f"test support belongs in deploy/local/recoup_local or tests/: {offenders}"


@pytest.mark.parametrize("name", SERVICES)
def test_rules_are_pure(name):
    """rules/ imports neither the web framework, the database driver, the broker client nor HTTP."""
    bad = []
    for path in (package(name) / "rules").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            bad += [f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] in PURE_FORBIDDEN]
    assert not bad, bad
