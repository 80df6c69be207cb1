"""The per-client configuration document, and the purity of the rules package."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from recoup_contact.rules import ContactConfig, InvalidConfig, config_errors, load_config

RULES = Path(__file__).resolve().parents[1] / "recoup_contact" / "rules"


def test_defaults_round_trip_through_jsonb():
    doc = json.loads(json.dumps(ContactConfig().model_dump(mode="json")))
    assert load_config(doc) == ContactConfig() and load_config(None) == ContactConfig()


def test_a_client_stores_only_what_it_changes():
    cfg = load_config({"promises": {"grace_days": 2, "tolerance_pct": "1.5"},
                       "cadence": {"small_balance_below": "300"}})
    assert (str(cfg.promises.tolerance_pct), cfg.promises.grace_days, str(cfg.cadence.small_balance_below)) == (
        "1.5", 2, "300")
    assert cfg.follow_up == ContactConfig().follow_up


def test_field_errors_point_at_the_offending_setting():
    bad = {"follow_up": {"URGENT": {"kind": "working_days", "latest": 5, "default": 1}},
           "promises": {"tolerance_pct": "80"}, "unknown": 1,
           "dialling": {"blocked_states": ["wrong_party"]}}
    got = {e.field for e in config_errors(bad)}
    assert got == {"follow_up.URGENT", "promises.tolerance_pct", "unknown", "dialling.blocked_states"}
    with pytest.raises(InvalidConfig) as err:
        load_config(bad)
    assert err.value.status == 422 and {e["field"] for e in err.value.errors} == got


# docs/architecture.md: rules import only the standard library, pydantic, phonenumbers, their own
# modules and the pure parts of recoup_shared — plus recoup_shared.errors in errors.py, for the
# ServiceError base every problem class shares.
_PURE_SHARED = {"recoup_shared.vocabulary", "recoup_shared.calendar", "recoup_shared.identifiers"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            out.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_rules_import_only_pure_modules():
    for path in RULES.glob("*.py"):
        for module in _imports(path):
            top = module.split(".")[0]
            if module == "recoup_shared.errors":
                assert path.name == "errors.py", path.name
            elif top == "recoup_shared":
                assert module in _PURE_SHARED, (path.name, module)
            else:
                assert top in {"__future__", "collections", "dataclasses", "datetime", "decimal", "enum",
                               "typing", "zoneinfo", "pydantic", "phonenumbers"} or module.startswith("."), \
                    (path.name, module)


def test_rules_load_no_database_or_bus_library():
    code = ("import sys, recoup_contact.rules; "
            "print([m for m in sys.modules if m.split('.')[0] in ('asyncpg', 'aiokafka')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_rules_never_read_the_clock():
    clock = re.compile(r"\b(?:date\.today|datetime\.(?:now|utcnow|today)|time\.(?:time|monotonic))\(")
    offenders = [p.name for p in RULES.glob("*.py") if clock.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_rule_files_stay_small():
    assert {p.name: n for p in RULES.glob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400} == {}
