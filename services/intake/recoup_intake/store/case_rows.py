"""The `cases` and `phone_lookup` rows of newly placed cases as COPY text (FORMAT text).

Written here as text, not through asyncpg's binary COPY, which spends ~12 µs of the caller's time
per case row in its numeric and text[] encoders; the strings are the ones the `case.received`
event uses too (rules.model.CaseText), computed once per case. CPU only: this runs in a worker
thread or a worker process, never on the event loop."""

from __future__ import annotations

import binascii
import re
from collections.abc import Sequence

import orjson

from ..rules.model import CaseText, Identified, PlacementInfo

CASE_COLUMNS = (
    "id", "client_id", "placement_id", "row_index", "product", "personal_enc", "account_hash",
    "account_masked", "debtor_name", "id_hash", "id_masked", "gender", "birth_date", "currency",
    "principal", "interest", "fees", "placed_amount", "dpd", "dpd_bucket", "overdue_since",
    "last_payment_on", "last_payment_amount", "credit_limit", "employer", "region", "flags",
    "remarks", "warnings", "received_event_id", "skip_trace", "extra",
)
PHONE_LOOKUP_COLUMNS = ("number_hash", "case_id")

NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_UNESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def copy_text(value: str | None) -> str:
    """A text value for COPY ... (FORMAT text)."""
    if value is None:
        return NULL
    return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value


def parse_copy_rows(data: bytes, columns: Sequence[str]) -> list[dict[str, str | None]]:
    """COPY text data back into {column: text or None} (tests and tools; bytea stays `\\x..`)."""
    rows = []
    for line in data.decode().split("\n")[:-1]:
        fields = line.split("\t")
        assert len(fields) == len(columns), (len(fields), len(columns))
        rows.append({c: None if f == NULL else _UNESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), f)
                     for c, f in zip(columns, fields)})
    return rows


class CaseRows:
    """The COPY data of one chunk of new cases: `cases` rows (CASE_COLUMNS) and the phone lookup
    (PHONE_LOOKUP_COLUMNS, R-25: one row per valid phone's blind-index hash)."""

    def __init__(self, info: PlacementInfo) -> None:
        self._head = f"\t{copy_text(info.client_id)}\t{info.placement_id}\t"
        self._cases: list[bytes] = []
        self._phones: list[str] = []

    def add(self, it: Identified, text: CaseText, personal_enc: bytes, phone_hashes: Sequence[str]) -> None:
        vc, case_id, t, null = it.valid_case, it.case_id, copy_text, NULL
        for p, h in zip(vc.phones, phone_hashes):
            if p.invalid is None:  # an invalid number is never looked up (nor dialled)
                self._phones.append(f"{h}\t{case_id}\n")
        # hashes are hex, masked identifiers [0-9A-Za-z_./*] (validated), currency, DPD bucket,
        # flags and warnings are vocabularies: only free text is escaped.
        self._cases += (
            f"{case_id}{self._head}{vc.row}\t{t(text.product)}\t\\\\x".encode(), binascii.hexlify(personal_enc),
            (f"\t{it.account_hash}\t{text.account_masked}\t{t(vc.debtor_name)}\t{it.id_hash}\t{text.id_masked}\t"
             f"{t(vc.gender)}\t{text.birth_date or null}\t{vc.currency}\t{text.principal}\t{text.interest}\t"
             f"{text.fees}\t{text.placed_amount}\t{vc.dpd}\t{vc.dpd_bucket}\t{text.overdue_since or null}\t"
             f"{text.last_payment_on or null}\t{text.last_payment_amount or null}\t{text.credit_limit or null}\t"
             f"{t(text.employer)}\t{t(text.region)}\t{{{','.join(vc.flags)}}}\t{t(vc.remarks)}\t"
             f"{{{','.join(vc.warnings)}}}\t{it.event_id}\t{'t' if vc.skip_trace else 'f'}\t"
             f"{t(orjson.dumps(vc.extra).decode()) if vc.extra else null}\n").encode())

    def cases(self) -> bytes:
        return b"".join(self._cases)

    def phones(self) -> bytes:
        return "".join(self._phones).encode()
