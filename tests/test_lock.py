"""Supply chain (issue 14): every Python dependency is pinned with hashes (requirements/, written
by `make lock`), and the locks match what the projects declare.

- every dependency declared in a pyproject.toml or requirements file is in the lock at a version
  that satisfies the declaration (extras included), with hashes;
- each image's lock holds exactly what recoup-shared and that service need (the closure of their
  declarations), at the versions of the dev lock the tests ran;
- the environment running these tests is the lock.

A failure here means: run `make lock` and commit requirements/.
"""

from __future__ import annotations

import importlib.metadata as md
import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
LOCKS = REPO / "requirements"
FIX = "run `make lock` and commit requirements/"


# --- reading declarations and locks -----------------------------------------------------------

def _pyprojects() -> dict[str, Path]:
    paths = [REPO / "shared" / "pyproject.toml", REPO / "deploy" / "local" / "pyproject.toml",
             *sorted((REPO / "services").glob("*/pyproject.toml"))]
    return {tomllib.loads(p.read_text())["project"]["name"]: p for p in paths}


LOCAL = {canonicalize_name(n) for n in _pyprojects()}


def _third_party(reqs: list[str]) -> list[Requirement]:
    out = [Requirement(r) for r in reqs]
    return [r for r in out if canonicalize_name(r.name) not in LOCAL]


def project_requirements(path: Path) -> list[Requirement]:
    return _third_party(tomllib.loads(path.read_text())["project"].get("dependencies", []))


def build_requirements() -> list[Requirement]:
    return _third_party([r for p in _pyprojects().values()
                         for r in tomllib.loads(p.read_text()).get("build-system", {}).get("requires", [])])


def requirements_file(path: Path) -> list[Requirement]:
    out: list[Requirement] = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r"):
            out += requirements_file(REPO / line[2:].strip())
        else:
            out.append(Requirement(line))
    return out


def _applies(marker) -> bool:
    return marker is None or marker.evaluate(default_environment() | {"extra": ""})


@lru_cache(maxsize=None)
def lock(name: str) -> dict[str, tuple[str, frozenset[str]]]:
    """{package: (version, hashes)} of a lock file, for the entries whose markers apply here."""
    text = (LOCKS / name).read_text()
    assert not re.search(r"^-e |^--index-url|^--extra-index-url|file://", text, re.M), name
    entries: dict[str, tuple[str, frozenset[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = block.split("\\", 1)[0].strip()
        if not head or head.startswith("#"):
            continue
        req = Requirement(head)
        spec = list(req.specifier)
        assert len(spec) == 1 and spec[0].operator == "==", f"{name}: not pinned: {head}"
        hashes = frozenset(re.findall(r"--hash=(sha256:[0-9a-f]{64})", block))
        assert hashes, f"{name}: {req.name} has no hash"
        if _applies(req.marker):
            entries[canonicalize_name(req.name)] = (spec[0].version, hashes)
    return entries


def _check_covered(reqs: list[Requirement], locked: dict, where: str) -> list[str]:
    problems = []
    for r in reqs:
        if not _applies(r.marker):
            continue
        got = locked.get(canonicalize_name(r.name))
        if got is None:
            problems.append(f"{r} ({where}) is not in the lock")
        elif not r.specifier.contains(got[0], prereleases=True):
            problems.append(f"{r} ({where}) is locked at {got[0]}, which does not satisfy it")
        for extra in sorted(r.extras):        # what the extra pulls in, e.g. uvicorn[standard]
            for sub in md.requires(r.name) or []:
                s = Requirement(sub)
                if s.marker is not None and s.marker.evaluate(default_environment() | {"extra": extra}) \
                        and not _applies(s.marker) and canonicalize_name(s.name) not in locked:
                    problems.append(f"{s.name} (from {r.name}[{extra}], {where}) is not in the lock")
    return problems


def _closure(reqs: list[Requirement]) -> set[str]:
    """Every distribution `reqs` need here, from the installed metadata (markers and extras
    evaluated for this platform)."""
    seen: set[str] = set()
    todo = [(r, frozenset(r.extras)) for r in reqs if _applies(r.marker)]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen.add(key)
        for sub in md.requires(req.name) or []:
            s = Requirement(sub)
            envs = [default_environment() | {"extra": e} for e in ("", *extras)]
            if s.marker is None or any(s.marker.evaluate(env) for env in envs):
                todo.append((s, frozenset(s.extras)))
    return {k.split("[", 1)[0] for k in seen}


# the template (services/_template) is no service: no image, no image lock
SERVICES = sorted(p.parent.name for p in (REPO / "services").glob("*/pyproject.toml") if p.parent.name != "_template")
DEV_DECLARED = requirements_file(REPO / "requirements-dev.txt")


# --- the checks -----------------------------------------------------------------------------------

def test_every_declared_dependency_is_in_the_dev_lock_at_a_satisfying_version():
    locked = lock("dev.txt")
    problems = []
    for name, path in _pyprojects().items():
        problems += _check_covered(project_requirements(path), locked, str(path.relative_to(REPO)))
    problems += _check_covered(DEV_DECLARED, locked, "requirements-dev.txt")
    problems += _check_covered(build_requirements(), locked, "build-system.requires")
    assert not problems, "\n".join(problems) + f"\n{FIX}"


def test_the_dev_lock_holds_nothing_that_nothing_needs():
    wanted = _closure([*(r for p in _pyprojects().values() for r in project_requirements(p)),
                       *DEV_DECLARED, *build_requirements()])
    extra = set(lock("dev.txt")) - wanted
    assert not extra, f"locked but needed by nothing declared: {sorted(extra)}; {FIX}"


@pytest.mark.parametrize("service", SERVICES)
def test_each_image_lock_is_exactly_what_shared_and_the_service_need(service):
    path = LOCKS / "images" / f"{service}.txt"
    assert path.is_file(), f"no {path.relative_to(REPO)}; {FIX}"
    image, dev = lock(f"images/{service}.txt"), lock("dev.txt")
    declared = [*project_requirements(REPO / "shared" / "pyproject.toml"),
                *project_requirements(REPO / "services" / service / "pyproject.toml")]
    assert not _check_covered(declared, image, service)
    # the versions the tests ran with, and the same files
    for name, (version, hashes) in image.items():
        assert dev.get(name, (None,))[0] == version, f"{service}: {name} {version} != dev lock; {FIX}"
        assert hashes <= dev[name][1], f"{service}: {name} hashes differ from the dev lock; {FIX}"
    # minimal: nothing of the test tools or of another service
    assert set(image) == _closure(declared), (
        f"{service} image lock differs from its needs: extra {sorted(set(image) - _closure(declared))}, "
        f"missing {sorted(_closure(declared) - set(image))}; {FIX}")
    for tool in ("pytest", "hypothesis", "uv", "kubernetes-validate"):
        assert tool not in image, (service, tool)


def test_no_image_lock_without_a_service():
    assert sorted(p.stem for p in (LOCKS / "images").glob("*.txt")) == SERVICES, FIX


def test_build_and_kubectl_locks_cover_their_declarations():
    assert not _check_covered(build_requirements(), lock("build.txt"), "build-system.requires")
    kubectl = requirements_file(REPO / "deploy" / "k8s" / "tools" / "requirements-kubectl.txt")
    assert not _check_covered(kubectl, lock("kubectl.txt"), "requirements-kubectl.txt")


def test_this_environment_is_the_lock():
    """`make venv` installed exactly the dev lock (a venv made otherwise fails here)."""
    wrong = []
    for name, (version, _) in lock("dev.txt").items():
        try:
            installed = md.version(name)
        except md.PackageNotFoundError:
            wrong.append(f"{name} not installed")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} installed, {version} locked")
    assert not wrong, "\n".join(wrong) + "\nrun `make venv` (or `make distclean venv`)"


def test_the_check_notices_a_missing_or_unsatisfied_declaration():
    locked = {"fastapi": ("0.100.0", frozenset({"sha256:" + "0" * 64}))}
    assert _check_covered([Requirement("fastapi>=0.115")], locked, "x") == [
        "fastapi>=0.115 (x) is locked at 0.100.0, which does not satisfy it"]
    assert _check_covered([Requirement("reportlab>=4")], locked, "x") == [
        "reportlab>=4 (x) is not in the lock"]
