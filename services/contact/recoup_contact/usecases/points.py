"""Contact points (R-25): phones and addresses from placements, client updates, skip tracing and
inbound calls — numbers encrypted at rest, found by their blind index, shown masked (R-46)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.crypto import mask_address_line, mask_phone
from recoup_shared.identifiers import PhoneError, parse_phone

from ..context import Ctx
from ..rules import FieldError, PhoneRegion, PointState, phone_region
from ..rules.errors import InvalidRecord, NotFoundHere
from ..store import Columns
from ..store import cases as case_store
from ..store import points as point_store
from ..store import policies as policy_store
from ..store import records as record_store
from .common import get_case_for, local_day
from .levels import save_case

PHONE_KIND = {"mobile": "mobile", "home": "home", "work": "work", "other": "other_phone", "other_phone": "other_phone"}
PARTY = {"debtor": "debtor", "contact": "contact_person", "contact_person": "contact_person",
         "third_party": "third_party"}


@lru_cache(maxsize=65536)
def _region_of_prefix(prefix: str, sample: str) -> PhoneRegion:
    return phone_region(sample)


def region_of(number: str) -> PhoneRegion:
    """号码归属地; a Chinese mobile's region is fixed by its first 7 digits, so those are cached."""
    if len(number) == 11 and number.startswith("1"):
        return _region_of_prefix(number[:7], number)
    return phone_region(number)


@dataclass(frozen=True, slots=True)
class PhoneIn:
    number: str
    kind: str = "mobile"
    party: str = "debtor"
    name: str | None = None
    relationship: str | None = None
    knows_debt: bool | None = None
    extension: str | None = None


@dataclass(frozen=True, slots=True)
class AddressIn:
    line: str
    kind: str = "home"
    party: str = "debtor"
    province: str | None = None
    city: str | None = None
    district: str | None = None
    employer: str | None = None
    verified: bool = False


def add_phone(cols: Columns, ctx: Ctx, case_id: str, phone: PhoneIn, *, source: str, at: datetime,
              day: date, by: str | None, strict: bool, known_invalid: bool = False) -> dict[str, Any] | None:
    """One phone row for `cols`; a malformed number is kept as INVALID (R-4), or refused (strict).
    `known_invalid`: intake marked it invalid (PhoneOut.valid false) — e.g. a contact person
    without a name or relationship (R-18) — kept INVALID even when the number itself parses."""
    point_id = uuid4()
    try:
        parsed = parse_phone(phone.number)
        number, extension, valid = parsed.number, phone.extension or parsed.extension, not known_invalid
    except PhoneError:
        if strict:
            return None
        number, extension, valid = "".join(ch for ch in phone.number if ch.isdigit()) or phone.number, None, False
    region = region_of(number) if valid else PhoneRegion(None, None, False)
    cols.add(point_id=point_id, case_id=case_id, kind=PHONE_KIND.get(phone.kind, "other_phone"),
             party=PARTY.get(phone.party, "third_party"), relationship=phone.relationship, name=phone.name,
             knows_debt=phone.knows_debt, source=source,
             state=PointState.UNKNOWN.value if valid else PointState.INVALID.value, state_at=at,
             number_enc=ctx.protector.encrypt(str(point_id), number), number_hash=ctx.protector.phone_hash(number),
             number_masked=mask_phone(number), extension=extension, region=region.region, carrier=region.carrier,
             verified=False, added_at=at, added_on=day, added_by=by)
    return {"number": number, "number_masked": mask_phone(number), "number_hash": ctx.protector.phone_hash(number),
            "kind": phone.kind if phone.kind in PHONE_KIND else "other", "extension": extension,
            "owner": "debtor" if phone.party == "debtor" else "contact", "name": phone.name,
            "relationship": phone.relationship, "knows_debt": phone.knows_debt, "valid": valid}


def address_key(province: str | None, city: str | None, district: str | None, line: str) -> str:
    """What an address's blind index is computed over (the same address found twice is one point)."""
    return "|".join(x or "" for x in (province, city, district, line))


def add_address(cols: Columns, ctx: Ctx, case_id: str, address: AddressIn, *, source: str, at: datetime,
                day: date, by: str | None) -> dict[str, Any]:
    point_id = uuid4()
    text = address_key(address.province, address.city, address.district, address.line)
    cols.add(point_id=point_id, case_id=case_id, kind="address", party=PARTY.get(address.party, "debtor"),
             source=source, state=PointState.UNKNOWN.value, state_at=at, address_kind=address.kind,
             province=address.province, city=address.city, district=address.district,
             line_enc=ctx.protector.encrypt(str(point_id), address.line), line_masked=mask_address_line(address.line),
             address_hash=ctx.protector.blind_index("address", text), employer=address.employer,
             verified=address.verified, added_at=at, added_on=day, added_by=by)
    return {"kind": address.kind, "province": address.province, "city": address.city,
            "district": address.district, "line": address.line, "employer": address.employer,
            "verified": address.verified}


def point_out(p: Any) -> dict[str, Any]:
    """A contact point as every list and answer shows it: masked (R-46)."""
    return {"point_id": p["point_id"], "kind": p["kind"], "party": p["party"], "relationship": p["relationship"],
            "name": p["name"], "knows_debt": p["knows_debt"], "source": p["source"], "state": p["state"],
            "number_masked": p["number_masked"], "extension": p["extension"], "region": p["region"],
            "carrier": p["carrier"], "address_kind": p["address_kind"], "province": p["province"],
            "city": p["city"], "district": p["district"], "line_masked": p["line_masked"],
            "employer": p["employer"], "verified": p["verified"], "last_result": p["last_result"],
            "last_attempt_at": p["last_attempt_at"], "attempts": p["attempts"], "added_at": p["added_at"]}


async def add_points(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str,
                     phones: list[PhoneIn], addresses: list[AddressIn], employer: str | None) -> list[dict[str, Any]]:
    """Skip-trace findings outside a conversation (R-25): new phones/addresses/employer on the case."""
    case = await get_case_for(conn, principal, case_id, act=True, lock=True)
    now = ctx.clock.now()
    day = local_day(now, case)
    cols = Columns()
    errors = []
    for i, phone in enumerate(phones):
        if add_phone(cols, ctx, case_id, phone, source="skip_trace", at=now, day=day, by=principal.sub,
                     strict=True) is None:
            errors.append(FieldError(f"phones[{i}].number", "not a valid Chinese phone number"))
    if errors:
        raise InvalidRecord(errors)
    for address in addresses:
        add_address(cols, ctx, case_id, address, source="skip_trace", at=now, day=day, by=principal.sub)
    added = await point_store.add(conn, cols)
    if employer:
        await case_store.update(conn, case_id, {"employer": employer}, now)
    if any(r["kind"] != "address" for r in added):
        await _undialled(conn, case, now)
    await record_store.timeline_one(conn, case_id, now, "contact_points_added", actor=principal.sub,
                                    data={"phones": sum(r["kind"] != "address" for r in added),
                                          "addresses": sum(r["kind"] == "address" for r in added),
                                          "employer": bool(employer)})
    return [point_out(p) for p in await point_store.of_case(conn, case_id) if p["point_id"] in
            {r["point_id"] for r in added}]


async def _undialled(conn: asyncpg.Connection, case: Any, now: datetime) -> None:
    """R-20: a new phone of an allocated case must get its first dial within the cadence."""
    if case["owner_id"] is not None and case["undialled_since"] is None:
        await case_store.update(conn, case["case_id"], {"undialled_since": local_day(now, case)}, now)


async def set_point(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str, point_id: UUID,
                    *, state: str | None, knows_debt: bool | None, set_knows: bool) -> dict[str, Any]:
    """A collector marks a point (R-18: asked not to be called; knows / does not know of the debt).
    DO_NOT_CALL is lifted only by a supervisor: R-18 'not called again'."""
    case = await get_case_for(conn, principal, case_id, act=True, lock=True)
    point = await point_store.get(conn, point_id)
    if point is None or point["case_id"] != case_id:
        raise NotFoundHere("no such contact point on this case")
    now = ctx.clock.now()
    if state is not None and state != point["state"]:
        if point["state"] == PointState.DO_NOT_CALL and not principal.has("supervisor"):
            raise InvalidRecord([FieldError("state", "only a supervisor may lift do_not_call (R-18)")])
        if point["state"] == PointState.INVALID:
            raise InvalidRecord([FieldError("state", "a malformed number stays invalid (R-4)")])
        await point_store.set_state(conn, point_id, state, now)
    if set_knows:
        await point_store.set_knows_debt(conn, point_id, knows_debt)
    if point["party"] != "debtor" and point["kind"] != "address":
        await _third_party_level(conn, ctx, principal, case, point, state, knows_debt if set_knows else None)
    await record_store.timeline_one(conn, case_id, now, "contact_point_changed", actor=principal.sub,
                                    ref=str(point_id), data={"state": state, "knows_debt": knows_debt})
    return point_out(await point_store.get(conn, point_id))


async def _third_party_level(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case: Any, point: Any,
                             state: str | None, knows_debt: bool | None) -> None:
    """R-18 on the case's policy level, a new audited version: a contact person who asked not to be
    called, or who does (not) know of the debt."""
    key = f"third_parties.{point['point_id']}"
    changes: dict[str, Any] = {}
    if state is not None and (state == PointState.DO_NOT_CALL) != (point["state"] == PointState.DO_NOT_CALL):
        changes[f"{key}.do_not_call"] = state == PointState.DO_NOT_CALL
    if knows_debt is not None and bool(knows_debt) != bool(point["knows_debt"]):
        changes[f"{key}.knows_debt"] = bool(knows_debt)
    if not changes:
        return
    row = await policy_store.current(conn, "case", case["case_id"])
    values = {**(row["values"] if row else {}), **changes}
    await save_case(conn, ctx, case, values, None, by=principal.sub, reason="contact person marked (R-18)")
