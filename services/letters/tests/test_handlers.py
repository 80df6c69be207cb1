"""Consumed events on the real database: cases, addresses (one row per address, facts accumulate),
mobiles, instalment plans, compliance levels; letters not yet dispatched cancelled at once when the
case is settled, recalled, disputed, paused or put on hold (R-31)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from recoup_letters.handlers import HANDLERS
from recoup_letters.rules.facts import address_id
from recoup_local.letters_samples import address_out, approve_templates_directly, contact_found_envelope, received_envelope
from recoup_letters.usecases.planning import plan_cases
from recoup_local.factories import as_envelopes, payment, updated
from recoup_shared.auth import Principal
from recoup_shared.bus import new_envelope

CLERK = Principal(sub="clerk-1", roles=frozenset({"letters_clerk"}))

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)


async def handle(conn, ctx, envs) -> None:
    by_type: dict[str, list] = {}
    for e in as_envelopes(envs):
        by_type.setdefault(e.event_type, []).append(e)
    async with conn.transaction():
        for event_type, batch in by_type.items():
            await HANDLERS[event_type](conn, ctx, batch)


def cid() -> str:
    return str(uuid.uuid4())


async def test_handlers_cover_the_topics_in_services_yaml():
    assert set(HANDLERS) == {"case.received", "case.updated", "payment.posted", "case.paused", "case.resumed",
                             "contact.logged", "visit.completed", "policy.changed"}


async def test_case_received_keeps_the_case_its_addresses_and_the_debtors_mobile(conn, ctx, client_id):
    c = cid()
    work = address_out("work", n=1, line="建设西路 11 号")
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, addresses=[address_out(), work],
                                               amount="25000.00", occurred_at=NOW)])
    row = await conn.fetchrow("SELECT * FROM cases WHERE case_id = $1", c)
    assert row["outstanding"] == 25000 and row["client_id"] == client_id and row["status"] == "open"
    assert row["id_number_masked"] == "410105************"
    kinds = {r["kind"]: r for r in await conn.fetch("SELECT * FROM addresses WHERE case_id = $1", c)}
    assert set(kinds) == {"household_registration", "work"}
    assert kinds["work"]["postcode"] == "518000" and kinds["work"]["source"] == "client"
    phones = await conn.fetch("SELECT owner FROM phones WHERE case_id = $1 ORDER BY owner", c)
    assert [p["owner"] for p in phones] == ["contact", "debtor"]


async def test_invalid_phones_and_addresses_from_intake_are_never_kept(conn, ctx, client_id):
    """R-4 (amended): intake keeps a malformed number or address marked invalid; no letter and no
    text message ever goes to it."""
    c = cid()
    bad = address_out("home", n=2, line="") | {"valid": False, "invalid_reason": "line: required"}
    env = received_envelope(c, client_id, placed_on=TODAY, addresses=[address_out(), bad], occurred_at=NOW)
    env["payload"]["phones"][0] |= {"number": "6543210", "valid": False, "invalid_reason": "landline without area code"}
    await handle(conn, ctx, [env])
    kinds = [r["kind"] for r in await conn.fetch("SELECT kind FROM addresses WHERE case_id = $1", c)]
    assert kinds == ["household_registration"]
    assert [p["owner"] for p in await conn.fetch("SELECT owner FROM phones WHERE case_id = $1", c)] == ["contact"]


async def test_a_collectors_find_is_verified_and_the_same_address_is_one_row(conn, ctx, client_id):
    c = cid()
    home = address_out("home", n=2, line="朝阳路 1 号")
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, addresses=[home], occurred_at=NOW)])
    again = {**home, "line": " 朝阳路  1 号 "}                     # spaces do not make another address
    found = contact_found_envelope(c, client_id, addresses=[again, address_out("other", n=3, owner="contact")],
                                   occurred_at=NOW + timedelta(days=1))
    await handle(conn, ctx, [found, found])
    rows = await conn.fetch("SELECT party_id, verified_on, source FROM addresses WHERE case_id = $1 ORDER BY party_id", c)
    assert [(r["party_id"], r["verified_on"], r["source"]) for r in rows] == [
        ("contact", TODAY + timedelta(days=1), "skip_trace"), ("debtor", TODAY + timedelta(days=1), "skip_trace")]


async def test_an_instalment_plan_agreed_by_a_collector_is_kept_for_its_confirmation(conn, ctx, client_id):
    c = cid()
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, occurred_at=NOW)])
    plan = [{"amount": "500.00", "due_on": "2026-12-20"}, {"amount": "500.00", "due_on": "2027-01-20"}]
    await handle(conn, ctx, [contact_found_envelope(c, client_id, addresses=[], occurred_at=NOW, contact_id="ct-9",
                                                    status="PTP_INSTALMENT", instalments=plan)])
    stored = await conn.fetchval("SELECT instalment_plan::text FROM cases WHERE case_id = $1", c)
    assert '"plan_id": "ct-9"' in stored.replace('":"', '": "') and "2027-01-20" in stored


async def _planned_case(conn, ctx, client_id, **kw) -> tuple[str, str]:
    c = cid()
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, occurred_at=NOW, **kw)])
    async with conn.transaction():
        await plan_cases(conn, ctx, [c], TODAY)
    letter = await conn.fetchrow("SELECT letter_id, status FROM letters WHERE case_id = $1", c)
    assert letter is not None and letter["status"] == "planned"
    return c, letter["letter_id"]


async def test_letters_not_yet_dispatched_are_cancelled_with_the_reason(conn, ctx, client_id):
    """R-31: settled (payment closes the case), recalled, disputed (client flag), paused (R-13)."""
    async with conn.transaction():
        await approve_templates_directly(conn, ctx, CLERK, client_id)
    cases = [await _planned_case(conn, ctx, client_id) for _ in range(5)]
    (paid, _), (recalled, _), (disputed, _), (paused, _), (held, _) = cases
    hold = new_envelope(event_type="policy.changed", producer="contact", client_id=client_id, case_id=held, payload={
        "level": "case", "scope_id": held, "version": 1, "changed_by": "sup-1", "changed_at": NOW.isoformat(),
        "values": {"holds.serious_complaint": {"since": NOW.isoformat(), "by": "sup-1", "note": None}}})
    await handle(conn, ctx, [
        payment(paid, client_id, amount="13830.50", outstanding="0.00", closes_case=True),
        updated(recalled, client_id, change="recall", status="recalled"),
        updated(disputed, client_id, change="flags", flags=["dispute"]),
        new_envelope(event_type="case.paused", producer="allocation", client_id=client_id, case_id=paused,
                     payload={"source": "staff", "paused_by": "lead-1", "reason": "complaint",
                              "paused_at": NOW.isoformat()}),
        hold])
    got = {r["case_id"]: r["cancel_reason"] for r in await conn.fetch(
        "SELECT case_id, cancel_reason FROM letters WHERE case_id = ANY($1::text[]) AND status = 'cancelled'",
        [c for c, _ in cases])}
    assert got == {paid: "settled", recalled: "recalled", disputed: "disputed", paused: "paused",
                   held: "do_not_contact"}


async def test_an_extended_recall_date_moves_only_the_date(conn, ctx, client_id):
    """case.updated recall_extended (R-5): the new recall_on; a planned letter stays planned and the
    status is left as it is, whatever the event carries."""
    async with conn.transaction():
        await approve_templates_directly(conn, ctx, CLERK, client_id)
    case_id, _ = await _planned_case(conn, ctx, client_id)
    before = await conn.fetchrow("SELECT status, recall_on FROM cases WHERE case_id = $1", case_id)
    await handle(conn, ctx, [updated(case_id, client_id, change="recall_extended", status="recalled",
                                     recall_on="2027-04-01", placement_id="PL-1")])
    after = await conn.fetchrow("SELECT status, recall_on FROM cases WHERE case_id = $1", case_id)
    assert before["recall_on"] != date(2027, 4, 1)
    assert (after["status"], after["recall_on"]) == (before["status"], date(2027, 4, 1))
    assert await conn.fetchval("SELECT count(*) FROM letters WHERE case_id = $1 AND status = 'cancelled'",
                               case_id) == 0


async def test_a_visit_verifies_an_address_and_makes_a_returned_one_valid_again(conn, ctx, client_id):
    c = cid()
    home = address_out("home", n=4)
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, addresses=[home], occurred_at=NOW)])
    aid = address_id(c, "debtor", home["province"], home["city"], home["district"], home["line"])
    await conn.execute("UPDATE addresses SET invalid_since = $2, invalid_reason = 'moved' WHERE address_id = $1",
                       aid, TODAY)
    visit = new_envelope(event_type="visit.completed", producer="fieldops", client_id=client_id, case_id=c, payload={
        "visit_id": "v-1", "agent_ids": ["a1", "a2"], "visited_at": (NOW + timedelta(days=2)).isoformat(),
        "address_verified": True, "outcome": "met_debtor", "address": home})
    await handle(conn, ctx, [visit])
    row = await conn.fetchrow("SELECT verified_on, invalid_since, source FROM addresses WHERE address_id = $1", aid)
    assert row["verified_on"] == TODAY + timedelta(days=2) and row["invalid_since"] is None
    assert row["source"] == "visit"


async def test_a_visit_offers_only_what_it_verified_and_what_it_learned_at_the_door(conn, ctx, client_id):
    """fieldops sends `address` when the agents verified it (with owner and postcode) and the
    addresses learned at the door; an unverified visit verifies nothing; a contact person's address
    stays theirs (R-30)."""
    c = cid()
    home, work = address_out("home", n=5, postcode=False), address_out("work", n=6)
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, addresses=[home, work],
                                               occurred_at=NOW)])

    def visit(n: int, verified: bool, address: dict, found: list[dict]) -> dict:
        return new_envelope(event_type="visit.completed", producer="fieldops", client_id=client_id, case_id=c,
                            payload={"visit_id": f"v-{n}", "agent_ids": ["a1", "a2"], "visited_at": NOW.isoformat(),
                                     "address_verified": verified, "outcome": "nobody_home",
                                     **({"address": address} if verified else {}), "addresses_found": found})
    moved = address_out("home", n=7, line="新村 3 号") | {"verified": True}
    await handle(conn, ctx, [visit(1, False, work, []),
                             visit(2, True, home | {"postcode": "450003", "verified": True}, [moved])])
    rows = {r["line"]: r for r in await conn.fetch(
        "SELECT line, party_id, postcode, verified_on, source FROM addresses WHERE case_id = $1", c)}
    assert rows[work["line"]]["verified_on"] is None                           # not verified at the visit
    assert (rows[home["line"]]["verified_on"], rows[home["line"]]["postcode"]) == (TODAY, "450003")
    assert (rows["新村 3 号"]["verified_on"], rows["新村 3 号"]["source"]) == (TODAY, "visit")
    mother = address_out("other", n=8, owner="contact")
    await handle(conn, ctx, [visit(3, True, mother | {"verified": True}, [])])
    party = await conn.fetchval("SELECT party_id FROM addresses WHERE case_id = $1 AND line = $2", c, mother["line"])
    assert party != "debtor"


async def test_policy_levels_keep_the_newest_version_and_texts_sent_by_contact_count(conn, ctx, client_id):
    def level(version: int, cap: int):
        return new_envelope(event_type="policy.changed", producer="contact", client_id=client_id,
                            case_id=f"client:{client_id}", payload={
                                "level": "client", "scope_id": client_id, "version": version, "changed_by": "adm",
                                "changed_at": NOW.isoformat(), "values": {"caps.sms_per_day": cap}})
    await handle(conn, ctx, [level(2, 2), level(1, 9)])
    values = await conn.fetchval("""SELECT "values"::text FROM policy_levels WHERE level = 'client' AND scope_id = $1""",
                                 client_id)
    assert '"caps.sms_per_day": 2' in values.replace('":', '": ').replace(":  ", ": ")
    c = cid()
    await handle(conn, ctx, [contact_found_envelope(c, client_id, addresses=[], occurred_at=NOW, channel="sms",
                                                    contact_id=f"sms-{c}")])
    assert await conn.fetchval("SELECT count(*) FROM external_sms WHERE case_id = $1", c) == 1
