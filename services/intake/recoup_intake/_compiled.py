"""The modules compiled with mypyc (../compiled.txt, ../setup.py) are used only while their
sources are the ones they were compiled from (setup.py records each source's SHA-256 in
compiled-sources.json): after an edit, until `make venv` compiles again, the source runs — all of
it, since compiled modules call each other directly (never a mix of old and new code). Hashes,
not file times: pip installs a wheel's files in any order, all with the time of the install."""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import json
import os
import sys
import warnings
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec

_SUFFIXES = sorted(EXTENSION_SUFFIXES, key=len, reverse=True)
RECORD = "compiled-sources.json"   # {module: SHA-256 of the source it was compiled from}


def source_sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def compiled_modules(package_dir: str, package: str) -> dict[str, tuple[str, str]]:
    """module name -> (compiled file, source file) of the package's compiled modules."""
    found: dict[str, tuple[str, str]] = {}
    for root, dirs, files in os.walk(package_dir):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = os.path.relpath(root, package_dir)
        prefix = package if rel == "." else f"{package}.{rel.replace(os.sep, '.')}"
        for name in files:
            suffix = next((s for s in _SUFFIXES if name.endswith(s)), None)
            if suffix is None:
                continue
            source = os.path.join(root, name[:-len(suffix)] + ".py")
            if os.path.exists(source):
                found[f"{prefix}.{name[:-len(suffix)]}"] = (os.path.join(root, name), source)
    return found


def stale_sources(package_dir: str, package: str) -> dict[str, str]:
    """module name -> source file of every compiled module when one of them was not compiled
    from its present source (or the record is missing); else nothing."""
    modules = compiled_modules(package_dir, package)
    if not modules:
        return {}
    try:
        with open(os.path.join(package_dir, RECORD), encoding="utf-8") as f:
            recorded = json.load(f)
    except (OSError, ValueError):
        recorded = {}
    if isinstance(recorded, dict) and all(recorded.get(name) == source_sha256(py)
                                          for name, (_so, py) in modules.items()):
        return {}
    return {name: py for name, (_so, py) in modules.items()}


class SourceFirst(importlib.abc.MetaPathFinder):
    """Imports these modules from their source files."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources

    def find_spec(self, fullname: str, path=None, target=None) -> ModuleSpec | None:
        source = self.sources.get(fullname)
        return importlib.util.spec_from_file_location(fullname, source) if source else None


def use_source_if_stale(package_dir: str, package: str) -> bool:
    """Call before any compiled module is imported; True when the source runs instead."""
    sources = stale_sources(package_dir, package)
    if not sources:
        return False
    sys.meta_path.insert(0, SourceFirst(sources))
    warnings.warn(f"{package}: compiled modules were built from other sources; running the sources "
                  "(slower) until `make venv` compiles them again", RuntimeWarning, stacklevel=2)
    return True


def running_compiled(module: object) -> bool:
    """Whether `module` is the compiled one (tests, the service's start-up log)."""
    return not str(getattr(module, "__file__", "")).endswith(".py")


def compiled_in_use() -> bool:
    """Whether this process runs the compiled modules (the service logs it at start)."""
    from .rules.validation import case

    return running_compiled(case)
