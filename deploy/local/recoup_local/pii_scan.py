"""Find unmasked personal data in log files (R-46): valid resident ID numbers (GB 11643
checksum), Chinese mobile numbers, and card numbers (Luhn-valid, 16-19 digits).

The test session scans every log its throw-away stack collected — the services' JSON logs, their
console output, PostgreSQL's and the broker's logs — and fails the run on a hit."""

from __future__ import annotations

import re
from pathlib import Path

_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{16,19})(?![0-9A-Za-z])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_valid(v: str) -> bool:
    total = sum(int(d) * w for d, w in zip(v[:17], _WEIGHTS))
    return "10X98765432"[total % 11] == v[17].upper()


def _luhn(v: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(v)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _runs(text: str) -> list[str]:
    """Digit runs as people and URLs write them (spaces, dashes, %20…), separators removed."""
    from recoup_shared.logging import _NOT_DIGIT, _RUN

    return [_NOT_DIGIT.sub("", m.group(0)) for m in _RUN.finditer(text)]


def scan_text(text: str) -> list[tuple[str, str]]:
    hits: list[tuple[str, str]] = []
    for value in [m.group(1) for m in _ID18.finditer(text)] + [r for r in _runs(text) if len(r) == 18]:
        if value[:17].isdigit() and _id_valid(value):
            hits.append(("id_number", value))
    for value in [m.group(1) for m in _MOBILE.finditer(text)] + [r[-11:] for r in _runs(text)
                                                                 if len(r) in (11, 13) and r[-11] == "1"]:
        if _MOBILE.fullmatch(value):
            hits.append(("mobile", value))
    for value in [m.group(1) for m in _CARD.finditer(text)] + [r for r in _runs(text) if 16 <= len(r) <= 19]:
        if value.isdigit() and _luhn(value) and not (len(value) == 18 and _id_valid(value)):
            hits.append(("card_number", value))
    return list(dict.fromkeys(hits))


def scan_logs(log_dir: Path) -> list[str]:
    """One line per leak: file, line number, kind (the value itself is not repeated)."""
    findings: list[str] = []
    for path in sorted(log_dir.glob("*.log")):
        with path.open(encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                for kind, _ in scan_text(line):
                    findings.append(f"{path.name}:{n}: unmasked {kind}")
    return findings
