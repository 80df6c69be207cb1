"""`recoup new-service`: a service generated from the template is complete and passes its own
tests against a real stack (the template's tests, renamed), without an edit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from recoup_local.newservice import create
from recoup_local.stack import repo_root


def _checkout(tmp: Path) -> Path:
    root = repo_root()
    shutil.copytree(root / "services" / "_template", tmp / "services" / "_template",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (tmp / "deploy" / "k8s").mkdir(parents=True)
    shutil.copy(root / "deploy" / "k8s" / "services.yaml", tmp / "deploy" / "k8s" / "services.yaml")
    return tmp


def test_generated_service_is_renamed_registered_and_passes_its_own_tests(tmp_path):
    root = _checkout(tmp_path)
    target = create(root, "dunning", 8097)
    files = [p for p in target.rglob("*") if p.is_file()]
    assert (target / "recoup_dunning" / "app.py").is_file()
    assert not [p for p in files if "skeleton" in p.read_text(encoding="utf-8").lower()
                or "skeleton" in str(p.relative_to(target))]
    spec = yaml.safe_load((root / "deploy" / "k8s" / "services.yaml").read_text(encoding="utf-8"))
    assert spec["services"]["dunning"] == {"port": 8097, "consumes": ["case.received"], "emits": []}

    env = {**os.environ, "PYTHONPATH": f"{target}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env.pop("RECOUP_PROFILE", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "recoup_local.testing", "--import-mode=importlib",
         "-o", "asyncio_mode=auto", "-o", "asyncio_default_fixture_loop_scope=session",
         "-o", "asyncio_default_test_loop_scope=session", "-p", "no:cacheprovider", "-p", "no:cloudcoil", str(target / "tests")],
        cwd=target, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


def test_refuses_a_taken_name_or_port_and_bad_names(tmp_path):
    root = _checkout(tmp_path)
    for name, port in (("intake", 8097), ("dunning", 8001), ("Bad-Name", 8097)):
        try:
            create(root, name, port)
        except ValueError:
            continue
        raise AssertionError(f"{name}:{port} was accepted")


def test_fill_existing_adds_the_missing_files_and_keeps_the_service_own(tmp_path):
    root = _checkout(tmp_path)
    own = root / "services" / "dunning" / "recoup_dunning" / "rules"
    own.mkdir(parents=True)
    (own / "__init__.py").write_text('"""the service\'s own rules"""\n', encoding="utf-8")
    try:
        create(root, "dunning", 8097)
        raise AssertionError("an existing directory was accepted without --fill-existing")
    except ValueError:
        pass
    target = create(root, "dunning", 8097, fill_existing=True)
    assert (own / "__init__.py").read_text(encoding="utf-8") == '"""the service\'s own rules"""\n'
    assert (target / "recoup_dunning" / "app.py").is_file() and (target / "tests" / "test_api.py").is_file()


def test_a_planned_service_keeps_its_reserved_entry_and_loses_the_flag(tmp_path):
    root = _checkout(tmp_path)
    spec_file = root / "deploy" / "k8s" / "services.yaml"
    text = spec_file.read_text(encoding="utf-8")
    spec_file.write_text(text.rstrip("\n") + "\n  dunning:\n    port: 8097\n    planned: true\n"
                         "    emits: [contact.logged]\n    consumes: [case.received]\n", encoding="utf-8")
    create(root, "dunning", 8097)
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    assert spec["services"]["dunning"] == {"port": 8097, "emits": ["contact.logged"], "consumes": ["case.received"]}
