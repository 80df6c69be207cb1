"""What several use cases load: cases as the rules see them (CaseSnapshot), their letters as the
rules see them (LetterRecord), and each client's letter configuration restricted to the types it
has approved templates for (R-27)."""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import asyncpg

from ..rules import facts
from ..rules.config import ClientLetterConfig
from ..rules.model import (Address, AddressSource, CaseSnapshot, LetterRecord, LetterStatus, LetterType,
                           PlannedLetter)
from ..store import addresses as address_store
from ..store import cases as case_store
from ..store import configs as config_store
from ..store import letters as letter_store
from ..store import loads
from ..store import templates as template_store


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:20]}"


def address_of(r: Mapping) -> Address:
    return Address(r["address_id"], r["party_id"], r["kind"], r["line"], r["province"], r["city"],
                   r["district"], r["postcode"], AddressSource(r["source"]), r["found_on"], r["verified_on"],
                   r["invalid_since"], r["delivered_on"])


def snapshot_of(row: Mapping, addresses: Sequence[Address]) -> CaseSnapshot:
    return CaseSnapshot(
        case_id=row["case_id"], client_id=row["client_id"], placement_id=row["placement_id"],
        placed_on=row["placed_on"], dpd_at_placement=row["dpd_at_placement"], outstanding=row["outstanding"],
        parties=facts.case_parties(row["debtor_name"], row["debtor_gender"], (a.party_id for a in addresses)),
        addresses=tuple(addresses), status=row["status"], flags=frozenset(row["flags"] or ()),
        paused=row["paused"], overdue_since=row["overdue_since"],
        instalment_plan=facts.instalment_plan(loads(row["instalment_plan"]) if row["instalment_plan"] else None))


def hold_flags(values: Mapping[str, object]) -> set[str]:
    """The holds contact placed on a case (policy.changed, issue 10) as the flags the letters rules
    know: a dispute, fraud claim or stolen card is a dispute (R-17), any other hold (serious
    complaint R-47, deceased pending evidence R-22, do-not-contact) stops letters as do-not-contact."""
    out = set()
    for key, value in values.items():
        if key.startswith("holds.") and value is not None:
            kind = key[len("holds."):]
            out.add(kind if kind in ("dispute", "fraud_claim", "stolen_card") else "do_not_contact")
    return out


async def snapshots(conn: asyncpg.Connection, case_ids: Sequence[str]) -> dict[str, CaseSnapshot]:
    rows = await case_store.rows_for(conn, case_ids)
    by_case: dict[str, list[Address]] = defaultdict(list)
    for a in await address_store.for_cases(conn, case_ids):
        by_case[a["case_id"]].append(address_of(a))
    levels = await config_store.case_levels(conn, case_ids)
    out = {}
    for r in rows:
        snap = snapshot_of(r, by_case.get(r["case_id"], []))
        held = hold_flags(levels.get(r["case_id"], {}))
        out[r["case_id"]] = dataclasses.replace(snap, flags=snap.flags | held) if held else snap
    return out


def record_of(r: Mapping) -> LetterRecord:
    return LetterRecord(r["letter_id"], r["case_id"], r["cycle"], LetterType(r["letter_type"]), r["recipient_id"],
                        r["address_id"], LetterStatus(r["status"]), r["created_on"],
                        r["dispatched_at"].date() if r["dispatched_at"] else None,
                        r["returned_at"].date() if r["returned_at"] else None, r["return_reason"],
                        r["resend_of"], r["subject"])


async def histories(conn: asyncpg.Connection, case_ids: Sequence[str]) -> dict[str, list[LetterRecord]]:
    out: dict[str, list[LetterRecord]] = defaultdict(list)
    for r in await letter_store.for_cases(conn, case_ids):
        out[r["case_id"]].append(record_of(r))
    return out


async def configs(conn: asyncpg.Connection, client_ids: Iterable[str]) -> dict[str, ClientLetterConfig]:
    """Each client's configuration (the domain defaults where it has none), wanting only the letter
    types it has an approved template for (R-27: no home-made letters)."""
    ids = sorted(set(client_ids))
    stored = await config_store.configs(conn, ids)
    approved = await template_store.approved_letter_types(conn, ids)
    out = {}
    for cid in ids:
        base = ClientLetterConfig.model_validate({**stored[cid][1], "client_id": cid}) if cid in stored \
            else ClientLetterConfig(client_id=cid)
        wanted = frozenset(t for t in base.wanted_types if t.value in approved.get(cid, set()))
        out[cid] = base.model_copy(update={"wanted_types": wanted})
    return out


def letter_row(p: PlannedLetter, *, origin: str, today: date, at, requested_by: str | None = None) -> dict:
    """A planned letter as the letters table keeps it."""
    return {"letter_id": new_id("lt"), "case_id": p.case_id, "client_id": p.client_id, "cycle": p.cycle,
            "letter_type": p.letter_type.value, "recipient_id": p.recipient.party_id,
            "recipient_role": p.recipient.role.value, "address_id": p.address.address_id,
            "mail_class": p.mail_class.value, "origin": origin, "why": p.why[:1000],
            "due_type": p.due_type.value if p.due_type else None, "resend_of": p.resend_of,
            "subject": p.subject, "requested_by": requested_by, "created_on": today, "at": at}
