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
from recoup_shared.bus.outbox import outbox_record, write_outbox_records
from recoup_shared.logging import get_logger

from ..inputs import UpdateRow
from ..records import Protector, address_out, phone_out
from ..rules.validation import W_TOTAL_MISMATCH, RowError
from ..store import cases as store
from .common import protector_of
from .events import case_updated, outstanding

log = get_logger(__name__)


def _apply(rows: list[UpdateRow], hashes: list[str], resolved: dict, cases: dict, known_phones: dict,
           next_phone: dict, next_address: dict, protector: Protector, *, client_id: str,
           correlation_id: str | None, errors: list[RowError]) -> tuple:
    """The update rows in order against the locked cases (CPU only: a worker thread)."""
    events: list[tuple[str, dict[str, Any]]] = []
    phone_records: list[tuple] = []
    address_records: list[tuple] = []
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
        have = known_phones.setdefault(case_id, set())
        for ph in row.phones:
            h = protector.phone_hash(ph.number)
            if (h, ph.extension) in have:
                continue
            have.add((h, ph.extension))
            seq = next_phone.get(case_id, 0)
            next_phone[case_id] = seq + 1
            phone_records.append(protector.phone_record(case_id, seq, ph, "update"))
            phones_added.append(phone_out(ph, h))
        for ad in row.addresses:
            seq = next_address.get(case_id, 0)
            next_address[case_id] = seq + 1
            address_records.append(protector.address_record(case_id, seq, ad, "update"))
            addresses_added.append(address_out(ad))
        if phones_added or addresses_added:
            events.append(case_updated(change="contacts", status=st["status"], phones_added=phones_added,
                                       addresses_added=addresses_added, **common))
        if row.flags is not None and row.flags != st["flags"]:
            st["flags"] = row.flags
            events.append(case_updated(change="flags", status=st["status"], flags=row.flags, **common))
        if row.remarks is not None:
            st["remarks"] = row.remarks
    changes = [{"case_id": cid, **state[cid]} for cid in dirty]
    return changes, phone_records, address_records, [outbox_record(t, e) for t, e in events], applied, closed


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
        known_phones, next_phone, next_address = await store.existing_contacts(conn, touched)
        changes, phone_records, address_records, outbox, applied, closed = await asyncio.to_thread(
            _apply, rows, hashes, resolved, cases, known_phones, next_phone, next_address, protector,
            client_id=client_id, correlation_id=correlation_id, errors=errors)
        await store.apply_case_changes(conn, changes)
        await store.copy_contacts(conn, phone_records, address_records)
        await write_outbox_records(conn, outbox)

    errors.sort(key=lambda e: e.row)
    answer = {"received": received, "applied": applied, "rejected": len({e.row for e in errors}),
              "closed_cases": closed, "errors": [e.as_dict() for e in errors]}
    log.info("case updates applied", client_id=client_id, received=received, applied=applied,
             rejected=answer["rejected"], events=len(outbox), seconds=round(time.perf_counter() - t0, 3))
    return answer
