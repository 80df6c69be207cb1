"""The layout's promises, checked on the source (docs/architecture.md): rules are pure, no SQL on
the outbox's tables anywhere in intake (recoup_shared.bus.outbox answers), one GC pause (shared),
time from the business clock."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import recoup_intake

PACKAGE = Path(recoup_intake.__file__).parent
SHARED_PURE = {"recoup_shared.vocabulary", "recoup_shared.identifiers", "recoup_shared.clock",
               "recoup_shared.gcpause", "recoup_shared.errors"}


def _modules(under: str = "") -> list[Path]:
    return sorted((PACKAGE / under).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module)
    return out


def test_rules_import_only_the_standard_library_pydantic_and_pure_shared_parts():
    stdlib = sys.stdlib_module_names
    for path in _modules("rules"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in stdlib or top == "pydantic" or name in SHARED_PURE, f"{path.name} imports {name}"


def test_no_sql_on_the_outbox_tables_and_no_hand_written_gc_pause_or_clock():
    outbox_sql = re.compile(r"\b(FROM|INTO|UPDATE|JOIN)\s+outbox(_batches)?\b|outbox_id_seq", re.IGNORECASE)
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(PACKAGE)
        assert not outbox_sql.search(text), f"{where} reads or writes the outbox's tables"
        assert "datetime.now(" not in text and "date.today(" not in text, f"{where} reads the clock itself"
        if where.parts[0] != "adapters":  # the worker processes' policy, not a pause (workers.py)
            assert "gc.disable(" not in text, f"{where} pauses the GC by hand"
