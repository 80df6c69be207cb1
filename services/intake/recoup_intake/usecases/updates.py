"""Balance, contact, flag and remark updates of open cases (R-5 更新息费, address/phone updates).

Per row: the account's open case; amounts given replace the old ones (rules.balances.
update_balance: a given `placed_amount` wins over the parts, flagged when they disagree, R-4).
Phones already on the case are not added twice. `flags` replaces the case's whole set. Events
(`case.updated`): change=balance, contacts, flags; a balance lowered to what was already repaid
closes the case (change=closed, R-5). A recalled or closed case takes no updates (row error). Rows
of one account apply in order.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.crypto import Protector
from recoup_shared.logging import get_logger

from ..context import Ctx
from ..events import address_out, case_updated, phone_out
from ..rules.balances import update_balance
from ..rules.model import W_SKIP_TRACE, RowError, UpdateRow
from ..rules.validation import needs_skip_trace
from ..store import cases as store
from ..store.personal import address_kept, phone_kept, phone_of, unpack_phone

log = get_logger(__name__)

STATE_KEYS = ("principal", "interest", "fees", "placed_amount", "repaid_total", "status", "remarks", "skip_trace")


@dataclass
class Updates:
    """The command: the rows valid on their own, the row errors so far, how many were received."""
    rows: list[UpdateRow]
    errors: list[RowError]
    received: int
    correlation_id: str | None = None


class _Batch:
    """The update rows in order against the locked cases (CPU only: a worker thread). `sealed`
    holds the personal-data blobs of the cases that may get contacts; each blob that grows is
    rewritten once, and its new phones go to the phone lookup."""

    def __init__(self, cases: dict, sealed: dict[str, bytes], added_at: str, protector: Protector, *,
                 client_id: str, correlation_id: str | None, occurred_at: datetime) -> None:
        self.cases, self.sealed, self.added_at, self.protector = cases, sealed, added_at, protector
        self.client_id, self.correlation_id, self.occurred_at = client_id, correlation_id, occurred_at
        self.events: list[tuple] = []
        self.personal: dict[str, dict[str, Any]] = {}      # opened blobs
        self.known_phones: dict[str, set] = {}
        self.new_phones: list[tuple[str, str]] = []         # (number_hash, case_id)
        self.grown: list[str] = []                          # cases whose blob got a phone or an address
        self.state: dict[str, dict[str, Any]] = {}
        self.dirty: set[str] = set()
        self.applied = self.closed = 0
        self.warnings: list[RowError] = []                  # R-4, of the rows applied

    def _state(self, case_id: str) -> dict[str, Any]:
        st = self.state.get(case_id)
        if st is None:
            c = self.cases[case_id]
            st = self.state[case_id] = {k: c[k] for k in STATE_KEYS}
            st["flags"], st["warnings"], st["status_reason"] = list(c["flags"]), list(c["warnings"]), None
        return st

    def apply(self, row: UpdateRow, hit: Any, errors: list[RowError]) -> None:
        p = f"updates[{row.index}]"
        if hit is None:
            errors.append(RowError(row.index, p + ".account_ref", "unknown account (never placed by this client)"))
            return
        case_id = str(hit["id"])
        st = self._state(case_id)
        if st["status"] != "open":
            errors.append(RowError(row.index, p + ".account_ref",
                                   f"the case is {st['status']}; updates apply to open cases only"))
            return
        self.applied += 1
        self.dirty.add(case_id)
        self.warnings += [RowError(row.index, p + suffix, reason) for suffix, reason in row.notes]
        common = dict(client_id=self.client_id, case_id=case_id, correlation_id=self.correlation_id,
                      occurred_at=self.occurred_at, effective_on=row.effective_on)
        if row.amounts:
            self._balance(st, row, common)
        if row.phones or row.addresses:
            self._contacts(case_id, st, row, common)
        if row.flags is not None and row.flags != st["flags"]:
            st["flags"] = row.flags
            self.events.append(case_updated(change="flags", status=st["status"], flags=row.flags, **common))
        if row.remarks is not None:
            st["remarks"] = row.remarks

    def _balance(self, st: dict[str, Any], row: UpdateRow, common: dict[str, Any]) -> None:
        left, closes = update_balance(st, row.amounts)
        self.events.append(case_updated(change="balance", status="open", principal=st["principal"],
                                        interest=st["interest"], fees=st["fees"],
                                        placed_amount=st["placed_amount"], outstanding=left, **common))
        if closes:  # nothing left to collect
            st["status"], st["status_reason"] = "closed", "balance fully repaid"
            self.closed += 1
            self.events.append(case_updated(change="closed", status="closed", reason="balance fully repaid",
                                            outstanding=left, placed_amount=st["placed_amount"], **common))

    def _blob(self, case_id: str) -> dict[str, Any]:
        blob = self.personal.get(case_id)
        if blob is None:
            protector = self.protector
            blob = self.personal[case_id] = protector.open(case_id, self.sealed[case_id])
            self.known_phones[case_id] = {(protector.phone_hash(p["number"]), p.get("extension"))
                                          for p in map(unpack_phone, blob["phones"])}
        return blob

    def _contacts(self, case_id: str, st: dict[str, Any], row: UpdateRow, common: dict[str, Any]) -> None:
        blob, have = self._blob(case_id), self.known_phones[case_id]
        n_before = len(blob["phones"]) + len(blob["addresses"])
        phones_added, addresses_added = [], []
        for ph in row.phones:
            h = self.protector.phone_hash(ph.number)
            if (h, ph.extension) in have:
                continue
            have.add((h, ph.extension))
            phones_added.append(phone_out(ph, h))
            blob["phones"].append(phone_kept(ph, "update", self.added_at))
            if ph.invalid is None:  # an invalid number is kept, never looked up or dialled
                self.new_phones.append((h, case_id))
        for ad in row.addresses:
            addresses_added.append(address_out(ad))
            blob["addresses"].append(address_kept(ad, "update", self.added_at))
        if len(blob["phones"]) + len(blob["addresses"]) != n_before and case_id not in self.grown:
            self.grown.append(case_id)
        skip_trace = None
        if st["skip_trace"] and not needs_skip_trace([phone_of(k) for k in blob["phones"]]):
            st["skip_trace"] = skip_trace = False  # a valid phone of the debtor at last
            st["warnings"] = [w for w in st["warnings"] if w != W_SKIP_TRACE]
        if phones_added or addresses_added:
            self.events.append(case_updated(change="contacts", status=st["status"], phones_added=phones_added,
                                            addresses_added=addresses_added, skip_trace=skip_trace, **common))

    def results(self) -> tuple[list[dict[str, Any]], list[tuple[str, bytes]]]:
        """The merged case changes, and the blobs that grew, sealed again (a known phone sent
        again changes nothing)."""
        changes = [{"case_id": cid, **self.state[cid]} for cid in self.dirty]
        return changes, [(cid, self.protector.seal(cid, self.personal[cid])) for cid in self.grown]


def _apply(rows: list[UpdateRow], hashes: list[str], resolved: dict, batch: _Batch,
           errors: list[RowError]) -> _Batch:
    for row, account_hash in zip(rows, hashes):
        batch.apply(row, resolved.get(account_hash), errors)
    return batch


async def post_updates(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, cmd: Updates) -> dict[str, Any]:
    """Apply a batch of updates to the client's open cases."""
    client_id = principal.client_id
    assert client_id
    protector, rows = ctx.protector, cmd.rows
    t0 = time.perf_counter()
    hashes = await asyncio.to_thread(lambda: [protector.card_hash(r.account_ref) for r in rows])
    errors = list(cmd.errors)
    resolved = await store.resolve_accounts(conn, client_id, hashes)
    cases = await store.lock_cases(conn, [str(r["id"]) for r in resolved.values()])
    touched = [cid for cid, c in cases.items() if c["status"] == "open"]
    # Blobs of the open cases some row adds a phone or an address to.
    with_contacts = {str(resolved[h]["id"]) for r, h in zip(rows, hashes) if (r.phones or r.addresses) and h in resolved}
    sealed = await store.personal_data(conn, [cid for cid in touched if cid in with_contacts])
    now = ctx.clock.now()
    batch = _Batch(cases, sealed, now.isoformat(), protector, client_id=client_id, correlation_id=cmd.correlation_id,
                   occurred_at=now)
    batch = await asyncio.to_thread(_apply, rows, hashes, resolved, batch, errors)
    changes, resealed = batch.results()
    await store.apply_case_changes(conn, changes, now)
    await store.store_personal_data(conn, resealed, batch.new_phones, now)
    await write_outbox_records(conn, batch.events)
    errors.sort(key=lambda e: e.row)
    answer = {"received": cmd.received, "applied": batch.applied, "rejected": len({e.row for e in errors}),
              "closed_cases": batch.closed, "errors": [e.as_dict() for e in errors],
              "warnings": [w.as_dict() for w in batch.warnings]}
    log.info("case updates applied", client_id=client_id, received=cmd.received, applied=batch.applied,
             rejected=answer["rejected"], events=len(batch.events), seconds=round(time.perf_counter() - t0, 3))
    return answer
