"""Balance, contact, flag and remark updates of open cases (R-5 更新息费, address/phone updates).

Per row: the account's open case; amounts given replace the old ones — `placed_amount` given wins
over principal+interest+fees (flagged `total_mismatch` when they disagree, as on import, R-4),
otherwise it is recomputed from the parts. Phones already on the case are not added twice.
`flags` replaces the case's whole set. Events (`case.updated`): change=balance, contacts, flags;
a balance lowered to what was already repaid closes the case (change=closed, R-5).
A recalled or closed case takes no updates (row error). Rows of one account apply in order.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI

from recoup_shared.auth import Principal
from recoup_shared.bus.envelope import outbox_record
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.logging import get_logger

from ..inputs import UpdateRow
from recoup_shared.crypto import Protector
from ..records import address_kept, address_out, phone_kept, phone_out, unpack_phone
from ..rules.validation import W_TOTAL_MISMATCH, RowError
from ..store import cases as store
from .common import protector_of
from .events import case_updated, outstanding

log = get_logger(__name__)


def _apply(rows: list[UpdateRow], hashes: list[str], resolved: dict, cases: dict, sealed: dict[str, bytes],
           added_at: str, protector: Protector, *, client_id: str, correlation_id: str | None,
           errors: list[RowError]) -> tuple:
    """The update rows in order against the locked cases (CPU only: a worker thread). `sealed`
    holds the personal-data blobs of the cases that may get contacts; each blob that grows is
    rewritten once, and its new phones go to the phone lookup."""
    events: list[tuple[str, dict[str, Any]]] = []
    personal: dict[str, dict[str, Any]] = {}      # opened blobs
    known_phones: dict[str, set] = {}
    new_phones: list[tuple[str, str]] = []         # (number_hash, case_id)
    grown: list[str] = []                          # cases whose blob got a phone or an address
    applied = closed = 0
    occurred_at = datetime.now(timezone.utc)
    state: dict[str, dict[str, Any]] = {}
    dirty: set[str] = set()
    for row, account_hash in zip(rows, hashes):
        p = f"updates[{row.index}]"
        hit = resolved.get(account_hash)
        if hit is None:
            errors.append(RowError(row.index, p + ".account_ref", "unknown account (never placed by this client)"))
            continue
        case_id = str(hit["id"])
        c = cases[case_id]
        st = state.get(case_id)
        if st is None:
            st = state[case_id] = {k: c[k] for k in ("principal", "interest", "fees", "placed_amount",
                                                     "repaid_total", "status", "remarks")}
            st["flags"], st["warnings"], st["status_reason"] = list(c["flags"]), list(c["warnings"]), None
        if st["status"] != "open":
            errors.append(RowError(row.index, p + ".account_ref",
                                   f"the case is {st['status']}; updates apply to open cases only"))
            continue
        applied += 1
        dirty.add(case_id)
        common = dict(client_id=client_id, case_id=case_id, correlation_id=correlation_id,
                      occurred_at=occurred_at, effective_on=row.effective_on)
        if row.amounts:
            for key in ("principal", "interest", "fees"):
                if key in row.amounts:
                    st[key] = row.amounts[key]
            parts = st["principal"] + st["interest"] + st["fees"]
            if "placed_amount" in row.amounts:
                st["placed_amount"] = row.amounts["placed_amount"]
                if parts != st["placed_amount"] and W_TOTAL_MISMATCH not in st["warnings"]:
                    st["warnings"].append(W_TOTAL_MISMATCH)  # the stated total wins, flagged
            else:
                st["placed_amount"] = parts
            left = outstanding(st["placed_amount"], st["repaid_total"])
            events.append(case_updated(change="balance", status="open", principal=st["principal"],
                                       interest=st["interest"], fees=st["fees"],
                                       placed_amount=st["placed_amount"], outstanding=left, **common))
            if left == 0:  # nothing left to collect
                st["status"], st["status_reason"] = "closed", "balance fully repaid"
                closed += 1
                events.append(case_updated(change="closed", status="closed", reason="balance fully repaid",
                                           outstanding=left, placed_amount=st["placed_amount"], **common))
        phones_added, addresses_added = [], []
        if row.phones or row.addresses:
            blob = personal.get(case_id)
            if blob is None:
                blob = personal[case_id] = protector.open(case_id, sealed[case_id])
                known_phones[case_id] = {(protector.phone_hash(p["number"]), p.get("extension"))
                                         for p in map(unpack_phone, blob["phones"])}
            have = known_phones[case_id]
            n_before = len(blob["phones"]) + len(blob["addresses"])
            for ph in row.phones:
                h = protector.phone_hash(ph.number)
                if (h, ph.extension) in have:
                    continue
                have.add((h, ph.extension))
                phones_added.append(phone_out(ph, h))
                blob["phones"].append(phone_kept(ph, "update", added_at))
                new_phones.append((h, case_id))
            for ad in row.addresses:
                addresses_added.append(address_out(ad))
                blob["addresses"].append(address_kept(ad, "update", added_at))
            if len(blob["phones"]) + len(blob["addresses"]) != n_before and case_id not in grown:
                grown.append(case_id)
        if phones_added or addresses_added:
            events.append(case_updated(change="contacts", status=st["status"], phones_added=phones_added,
                                       addresses_added=addresses_added, **common))
        if row.flags is not None and row.flags != st["flags"]:
            st["flags"] = row.flags
            events.append(case_updated(change="flags", status=st["status"], flags=row.flags, **common))
        if row.remarks is not None:
            st["remarks"] = row.remarks
    changes = [{"case_id": cid, **state[cid]} for cid in dirty]
    # Only blobs that grew are rewritten (a known phone sent again changes nothing).
    resealed = [(cid, protector.seal(cid, personal[cid])) for cid in grown]
    return changes, resealed, new_phones, [outbox_record(t, e) for t, e in events], applied, closed


async def post_updates(app: FastAPI, principal: Principal, rows: list[UpdateRow],
                       row_errors: list[RowError], received: int,
                       correlation_id: str | None) -> dict[str, Any]:
    client_id = principal.client_id
    assert client_id
    protector = protector_of(app)
    t0 = time.perf_counter()
    hashes = await asyncio.to_thread(lambda: [protector.card_hash(r.account_ref) for r in rows])
    errors = list(row_errors)

    async with app.state.pool.acquire() as conn, conn.transaction():
        resolved = await store.resolve_accounts(conn, client_id, hashes)
        cases = await store.lock_cases(conn, [str(r["id"]) for r in resolved.values()])
        touched = [cid for cid, c in cases.items() if c["status"] == "open"]
        # Blobs of the open cases some row adds a phone or an address to.
        with_contacts = {str(resolved[h]["id"]) for r, h in zip(rows, hashes)
                         if (r.phones or r.addresses) and h in resolved}
        sealed = await store.personal_data(conn, [cid for cid in touched if cid in with_contacts])
        added_at = (await store.transaction_time(conn)).isoformat()
        changes, resealed, new_phones, outbox, applied, closed = await asyncio.to_thread(
            _apply, rows, hashes, resolved, cases, sealed, added_at, protector,
            client_id=client_id, correlation_id=correlation_id, errors=errors)
        await store.apply_case_changes(conn, changes)
        await store.store_personal_data(conn, resealed, new_phones)
        await write_outbox_records(conn, outbox)

    errors.sort(key=lambda e: e.row)
    answer = {"received": received, "applied": applied, "rejected": len({e.row for e in errors}),
              "closed_cases": closed, "errors": [e.as_dict() for e in errors]}
    log.info("case updates applied", client_id=client_id, received=received, applied=applied,
             rejected=answer["rejected"], events=len(outbox), seconds=round(time.perf_counter() - t0, 3))
    return answer
