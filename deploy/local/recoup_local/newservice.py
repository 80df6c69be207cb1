"""`recoup new-service NAME --port PORT`: a new service from services/_template/.

Copies the template to services/NAME/, renaming the package (recoup_skeleton → recoup_NAME) and
the words skeleton/Skeleton/SKELETON, sets the port, and adds the service to
deploy/k8s/services.yaml — the one list the deployment, the compose file and the local launcher
are generated from. The new service starts, migrates, serves /healthz, /readyz, /metrics,
consumes case.received and passes its own tests; then it is yours to fill in.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

TOKEN = "skeleton"
TEMPLATE_PORT = "8099"
_SKIP = {"__pycache__", ".pytest_cache", ".hypothesis"}
_NAME_RE = re.compile(r"^[a-z][a-z0-9]{1,30}$")


def _camel(name: str) -> str:
    return name[:1].upper() + name[1:]


def _rewrite(text: str, name: str, port: int) -> str:
    text = text.replace(TOKEN.upper(), name.upper()).replace(_camel(TOKEN), _camel(name))
    return text.replace(TOKEN, name).replace(TEMPLATE_PORT, str(port))


def _yaml_entry(name: str, port: int) -> str:
    return (f"  {name}:\n    port: {port}\n    consumes: [case.received]\n    emits: []\n")


def create(root: Path, name: str, port: int, *, fill_existing: bool = False) -> Path:
    """`fill_existing`: the service's directory exists already (its rules written first): add
    the template's files that are missing, never overwrite one."""
    if not _NAME_RE.match(name):
        raise ValueError("a service name is 2-31 lower-case letters/digits, starting with a letter")
    template = root / "services" / "_template"
    target = root / "services" / name
    if target.exists() and not fill_existing:
        raise ValueError(f"{target} exists already (--fill-existing adds the missing files)")
    spec = root / "deploy" / "k8s" / "services.yaml"
    text = spec.read_text(encoding="utf-8")
    planned = re.search(rf"^  {name}:\n(?:    .*\n)*?    planned: true\n", text, re.M)
    if planned is None and re.search(rf"^  {name}:\s*$", text, re.M):
        raise ValueError(f"{name} is already in {spec}")
    if planned is None and re.search(rf"^    port: {port}\s*$", text, re.M):
        raise ValueError(f"port {port} is taken in {spec}")
    for src in sorted(template.rglob("*")):
        rel = src.relative_to(template)
        if _SKIP.intersection(rel.parts) or any(p.endswith(".egg-info") for p in rel.parts):
            continue
        dest = target / Path(*[_rewrite(p, name, port) for p in rel.parts])
        if dest.is_file():
            continue  # fill_existing: what the service has already stays
        if src.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif src.suffix in (".py", ".md", ".toml", ".sql", ".txt", ".yaml"):
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(_rewrite(src.read_text(encoding="utf-8"), name, port), encoding="utf-8")
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    if planned is not None:  # its port and topology were reserved: the service now exists
        text = text[:planned.start()] + planned.group(0).replace("    planned: true\n", "") + text[planned.end():]
        spec.write_text(text, encoding="utf-8")
    else:
        spec.write_text(text.rstrip("\n") + "\n" + _yaml_entry(name, port), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    from .stack import repo_root

    parser = argparse.ArgumentParser(prog="recoup new-service", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", help="e.g. contact (package recoup_contact, database recoup_contact)")
    parser.add_argument("--port", type=int, required=True, help="its HTTP port, e.g. 8003")
    parser.add_argument("--root", type=Path, default=None, help="the checkout (default: this one)")
    parser.add_argument("--fill-existing", action="store_true",
                        help="services/NAME exists (e.g. its rules came first): add the missing files only")
    args = parser.parse_args(argv)
    root = args.root or repo_root()
    try:
        target = create(root, args.name, args.port, fill_existing=args.fill_existing)
    except ValueError as exc:
        print(f"recoup new-service: {exc}")
        return 2
    print(f"created {target.relative_to(root)} and its entry in deploy/k8s/services.yaml. Next:\n"
          f"  make venv                                  # installs recoup_{args.name}\n"
          f"  python deploy/k8s/tools/generate.py        # Dockerfile, k8s manifests, compose\n"
          f"  make test ARGS='services/{args.name}'        # its own tests pass as generated\n"
          f"then replace the example case table with what the service owns (docs/architecture.md).")
    return 0
