"""The case rules, rows and events run compiled (mypyc: compiled.txt, setup.py) — in the service
and in its worker processes — and a build made from other sources is never run: the sources are
(recoup_intake/_compiled.py). The rest of the suite runs against whatever this shows."""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from recoup_intake._compiled import RECORD, SourceFirst, running_compiled, stale_sources

INTAKE = Path(__file__).resolve().parents[1]


def compiled_list() -> list[str]:
    lines = (INTAKE / "compiled.txt").read_text(encoding="utf-8").splitlines()
    return [line.removesuffix(".py").replace("/", ".") for line in lines if line.endswith(".py")]


def test_every_module_of_the_list_runs_compiled():
    """`make venv` compiled them, and from the sources here: a failed or stale build shows."""
    assert compiled_list()
    for name in compiled_list():
        assert running_compiled(importlib.import_module(name)), f"{name} runs from source: make venv compiles it"


async def test_the_worker_processes_run_them_compiled():
    from recoup_intake.adapters.workers import PlacementWorkers
    from recoup_shared.crypto import Protector
    from recoup_shared.settings import ServiceSettings

    workers = PlacementWorkers(1, Protector.from_settings(ServiceSettings()))
    try:
        assert await workers.start() is True
    finally:
        workers.shutdown()


def _package(tmp_path: Path, modules: dict[str, str], *, record: bool = True) -> Path:
    """A package `pkg` whose modules each have a source and a "compiled" file that cannot load."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for name, source in modules.items():
        (pkg / f"{name}.py").write_text(source)
        (pkg / f"{name}{EXTENSION_SUFFIXES[0]}").write_bytes(b"not a shared library")
    if record:
        (pkg / RECORD).write_text(json.dumps({f"pkg.{name}": hashlib.sha256(source.encode()).hexdigest()
                                              for name, source in modules.items()}))
    return pkg


def test_a_build_from_the_present_sources_is_used(tmp_path):
    pkg = _package(tmp_path, {"a": "X = 1\n", "b": "Y = 2\n"})
    assert stale_sources(str(pkg), "pkg") == {}


def test_one_source_edited_after_the_build_sends_all_of_them_to_source(tmp_path):
    pkg = _package(tmp_path, {"a": "X = 1\n", "b": "Y = 2\n"})
    (pkg / "a.py").write_text("X = 3\n")
    assert stale_sources(str(pkg), "pkg") == {"pkg.a": str(pkg / "a.py"), "pkg.b": str(pkg / "b.py")}


def test_no_record_of_the_sources_is_a_stale_build(tmp_path):
    pkg = _package(tmp_path, {"a": "X = 1\n"}, record=False)
    assert set(stale_sources(str(pkg), "pkg")) == {"pkg.a"}


def test_the_source_is_imported_instead_of_the_compiled_file(tmp_path, monkeypatch):
    pkg = _package(tmp_path, {"a": "X = 1\n"})
    (pkg / "a.py").write_text("X = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    finder = SourceFirst(stale_sources(str(pkg), "pkg"))
    sys.meta_path.insert(0, finder)
    try:
        module = importlib.import_module("pkg.a")   # the "compiled" file would fail to load
        assert module.X == 42 and not running_compiled(module)
    finally:
        sys.meta_path.remove(finder)
        for name in ("pkg.a", "pkg"):
            sys.modules.pop(name, None)
    with pytest.raises(ImportError):                  # without the finder: the broken "build"
        importlib.import_module("pkg.a")
    sys.modules.pop("pkg", None)
