"""recoup-intake's build: the modules in compiled.txt compiled to C with mypyc.

A 100,000-case placement spends most of its CPU validating, sealing and serialising cases in
pure Python in the worker processes (issue 15); compiled, the same code takes ~17 % less CPU
per case (same results: the whole test suite runs against the compiled modules). mypyc, part of
mypy, compiles the typed Python we already have — no second language to maintain.
RECOUP_COMPILE=0 builds without it (the Makefile's editable install, which compiles in place
afterwards: the `compiled` stamp). recoup_intake/_compiled.py runs the sources instead of a
build made from other sources."""

import hashlib
import json
import os
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent


def compiled_paths() -> list[str]:
    lines = (HERE / "compiled.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def record_sources(paths: list[str]) -> None:
    """What the modules are compiled from (recoup_intake/_compiled.py compares at import)."""
    record = {p.removesuffix(".py").replace("/", "."): hashlib.sha256((HERE / p).read_bytes()).hexdigest()
              for p in paths}
    (HERE / "recoup_intake" / "compiled-sources.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def ext_modules() -> list:
    if os.environ.get("RECOUP_COMPILE", "1") == "0":
        return []
    from mypyc.build import mypycify

    record_sources(compiled_paths())
    # Imports outside these modules (recoup_shared, third-party packages) are called as Python
    # objects; their type errors are not this build's business.
    return mypycify(["--ignore-missing-imports", "--follow-imports=silent", *compiled_paths()],
                    opt_level="3", group_name="recoup_intake.native")


setup(ext_modules=ext_modules())
