"""Handlers on the real database: what each consumed event does to the case, its contact points,
its worklist presence (R-13), its plan (R-20, R-22), its timeline."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from recoup_contact.handlers import HANDLERS
from recoup_shared.bus import topics

SH = ZoneInfo("Asia/Shanghai")


async def row(ctx, case_id):
    async with ctx.pool.acquire() as conn:
        return await conn.fetchrow("SELECT * FROM cases WHERE case_id = $1", case_id)


async def points(ctx, case_id):
    async with ctx.pool.acquire() as conn:
        return await conn.fetch("SELECT * FROM contact_points WHERE case_id = $1 ORDER BY added_at, kind", case_id)


def test_handlers_cover_what_the_service_consumes():
    assert set(HANDLERS) == {topics.CASE_RECEIVED, topics.CASE_UPDATED, topics.CASE_ALLOCATED, topics.CASE_PAUSED,
                             topics.CASE_RESUMED, topics.PAYMENT_POSTED, topics.VISIT_COMPLETED,
                             topics.LETTER_DISPATCHED, topics.LETTER_RETURNED, topics.SMS_SENT,
                             topics.VISIT_CANCELLED}


async def test_received_keeps_the_case_its_points_and_a_malformed_phone_as_invalid(ctx, h):
    case_id = str(uuid.uuid4())
    phones = [h.cf.phone_out(h.cf.mobile(7)), {"number": "12345", "number_masked": "*****", "number_hash": "x",
                                               "kind": "home", "owner": "debtor"}]
    await h.apply(ctx, [h.cf.received(case_id, "zhbank", 7, phones=phones, province="新疆维吾尔自治区")])
    case = await row(ctx, case_id)
    assert case["debtor_name"] and case["outstanding"] == case["placed_amount"]
    assert case["in_worklist"] is False and case["next_follow_up"] is None       # no owner yet
    assert case["zone"] == "Asia/Shanghai"                                        # Xinjiang: both, Shanghai first
    kinds = {(p["kind"], p["state"]) for p in await points(ctx, case_id)}
    assert ("home", "invalid") in kinds and ("mobile", "unknown") in kinds and ("address", "unknown") in kinds
    await h.apply(ctx, [h.cf.received(case_id, "zhbank", 7, phones=phones, province="新疆维吾尔自治区")])   # again
    assert len(await points(ctx, case_id)) == 3


async def test_a_phone_intake_marked_invalid_is_never_dialled_even_when_it_parses(ctx, h):
    """R-4 (amended), R-18: intake keeps a contact person's phone without name or relationship
    marked invalid (PhoneOut.valid false); the number parses, yet it is no channel to call."""
    case_id = str(uuid.uuid4())
    nameless = h.cf.phone_out(h.cf.mobile(9)) | {"owner": "contact", "valid": False,
                                                 "invalid_reason": "required for a contact's phone (R-18)"}
    await h.apply(ctx, [h.cf.received(case_id, "zhbank", 7, phones=[h.cf.phone_out(h.cf.mobile(8)), nameless])])
    states = sorted(p["state"] for p in await points(ctx, case_id) if p["kind"] != "address")
    assert states == ["invalid", "unknown"]


async def test_allocation_before_the_case_arrives_and_the_new_owners_plan(ctx, h):
    case_id = str(uuid.uuid4())
    at = datetime(2026, 12, 7, 9, tzinfo=SH)
    await h.apply(ctx, [h.cf.allocated(case_id, "col-5", at=at)])           # topics are not ordered
    await h.apply(ctx, [h.cf.received(case_id, "zhbank", 8)])
    case = await row(ctx, case_id)
    assert case["owner_id"] == "col-5" and case["in_worklist"] and case["debtor_name"]
    assert case["next_follow_up"] == date(2026, 12, 7)        # new cases first
    assert case["undialled_since"] == date(2026, 12, 7)       # every registered phone waits for its first dial
    assert case["cadence_due"] == date(2026, 12, 10) and case["cadence_rule"] == "first_contact"   # 3 WD
    older = datetime(2026, 12, 6, 9, tzinfo=SH)
    await h.apply(ctx, [h.cf.allocated(case_id, "col-old", at=older)])       # an older allocation is ignored
    assert (await row(ctx, case_id))["owner_id"] == "col-5"


async def test_paused_closed_and_recalled_cases_leave_the_worklist(ctx, h):
    a, b, c = [await h.new_case(ctx) for _ in range(3)]
    await h.apply(ctx, [h.cf.paused(a)])
    await h.apply(ctx, [h.cf.updated_status(b, "recall", "recalled")])
    await h.apply(ctx, [h.cf.payment(c, "13830.50", closes=True)])
    for case_id in (a, b, c):
        assert (await row(ctx, case_id))["in_worklist"] is False
    await h.apply(ctx, [h.cf.resumed(a, "col-7")])
    case = await row(ctx, a)
    assert case["in_worklist"] and case["owner_id"] == "col-7"
    await h.apply(ctx, [h.cf.resumed(b, None)])
    assert (await row(ctx, b))["in_worklist"] is False


async def test_balance_update_contacts_and_flags(ctx, h):
    case_id = await h.new_case(ctx, amount="6000.00")
    await h.apply(ctx, [h.cf.updated(case_id, change="balance", placed_amount="450.00", outstanding="450.00")])
    case = await row(ctx, case_id)
    assert case["outstanding"] == 450 and case["last_balance_update_at"] is not None
    assert case["cadence_rule"] == "first_contact"
    await h.apply(ctx, [h.cf.updated(case_id, change="contacts",
                                     phones_added=[h.cf.phone_out("13700001111", kind="mobile")])])
    assert any(p["number_masked"] == "137****1111" and p["source"] == "client_update"
               for p in await points(ctx, case_id))
    await h.apply(ctx, [h.cf.updated(case_id, change="flags", flags=["dispute"])])
    assert list((await row(ctx, case_id))["flags"]) == ["dispute"]


async def test_an_extended_recall_date_moves_only_the_date_and_shows_on_the_timeline(ctx, h):
    """case.updated recall_extended (R-5): the new recall_on, the status and the worklist untouched
    (whatever status the event carries), an entry on the timeline."""
    case_id = await h.new_case(ctx)
    before = await row(ctx, case_id)
    await h.apply(ctx, [h.cf.updated(case_id, change="recall_extended", recall_on="2027-03-01",
                                     placement_id="pl-1", reason="延期"),
                        h.cf.updated(case_id, change="recall_extended", recall_on="2027-04-01", placement_id="pl-1")])
    after = await row(ctx, case_id)
    assert after["recall_on"] == date(2027, 4, 1)
    assert (after["status"], after["in_worklist"], after["owner_id"]) == (
        before["status"], before["in_worklist"], before["owner_id"])
    async with ctx.pool.acquire() as conn:
        entries = await conn.fetch("SELECT data->>'recall_on' AS recall_on FROM timeline "
                                   "WHERE case_id = $1 AND kind = 'case_recall_extended' ORDER BY id", case_id)
    assert [e["recall_on"] for e in entries] == ["2027-03-01", "2027-04-01"]


async def test_a_cancelled_visit_is_on_the_timeline_and_nothing_else(ctx, h):
    """visit.cancelled (R-34, R-13): a timeline entry with the state it left and who cancelled it;
    no contact record, the case's status untouched."""
    case_id = await h.new_case(ctx)
    before = await row(ctx, case_id)
    visit_id = str(uuid.uuid4())
    at = datetime(2026, 12, 7, 9, 0, tzinfo=SH)
    await h.apply(ctx, [h.cf.visit_cancelled(case_id, visit_id, at=at),
                        h.cf.visit_cancelled(case_id, str(uuid.uuid4()), previous_state="approved",
                                             reason="case recalled (R-13)", cancelled_by=None, at=at)])
    async with ctx.pool.acquire() as conn:
        entries = await conn.fetch("SELECT actor, ref, data->>'previous_state' AS was, data->>'cancelled_by' AS who "
                                   "FROM timeline WHERE case_id = $1 AND kind = 'visit_cancelled' ORDER BY id", case_id)
        records = await conn.fetchval("SELECT count(*) FROM contact_records WHERE case_id = $1", case_id)
    assert [(e["actor"], e["was"], e["who"]) for e in entries] == [("fieldops", "planned", "col-1"),
                                                                  ("fieldops", "approved", None)]
    assert entries[0]["ref"] == visit_id and records == 0
    assert (await row(ctx, case_id))["status"] == before["status"]


async def test_a_visit_flows_back_the_same_day_and_a_returned_letter_marks_the_address(ctx, h):
    case_id = await h.new_case(ctx)
    visited = datetime(2026, 12, 7, 11, tzinfo=SH)
    await h.apply(ctx, [h.cf.visit(case_id, met=True, at=visited)])
    case = await row(ctx, case_id)
    assert case["contact_status"] == "FIELD_VISIT_DONE" and case["next_follow_up"] == date(2026, 12, 8)
    assert case["last_effective_on"] == date(2026, 12, 7) and case["last_visit_outcome_at"] is not None
    other = await h.new_case(ctx)
    await h.apply(ctx, [h.cf.visit(other, ptp=("800.00", date(2026, 12, 15)), at=visited)])   # a promise obtained
    case = await row(ctx, other)
    assert case["contact_status"] == "PTP" and case["ptp_due_on"] == date(2026, 12, 15)
    letter = uuid.uuid4().hex
    await h.apply(ctx, [h.cf.letter_dispatched(case_id, letter)])
    await h.apply(ctx, [h.cf.letter_returned(case_id, letter)])
    addresses = [p for p in await points(ctx, case_id) if p["kind"] == "address"]
    assert [p["state"] for p in addresses] == ["undeliverable"]
    assert (await row(ctx, case_id))["last_letter_returned_at"] is not None
    async with ctx.pool.acquire() as conn:
        kinds = [r["kind"] for r in await conn.fetch("SELECT kind FROM timeline WHERE case_id = $1 ORDER BY id",
                                                     case_id)]
    assert kinds[:2] == ["received", "owner_change"] and {"visit", "letter_sent", "letter_returned"} <= set(kinds)


async def test_a_big_batch_is_set_based(ctx, h):
    ids = [str(uuid.uuid4()) for _ in range(300)]
    await h.apply(ctx, [h.cf.received(i, "bulk", n) for n, i in enumerate(ids)])
    await h.apply(ctx, [h.cf.allocated(i, f"col-{n % 7}", "bulk") for n, i in enumerate(ids)])
    async with ctx.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE client_id = 'bulk' AND in_worklist") == 300
        assert await conn.fetchval("SELECT count(*) FROM contact_points p JOIN cases c USING (case_id) "
                                   "WHERE c.client_id = 'bulk'") == 1200
        assert await conn.fetchval("SELECT count(*) FROM timeline t JOIN cases c USING (case_id) "
                                   "WHERE c.client_id = 'bulk'") == 600


async def test_a_returned_letter_naming_its_address_marks_exactly_that_one(ctx, h):
    case_id = await h.new_case(ctx)
    home = {"kind": "home", "province": "河南省", "city": "郑州市", "district": "中原区", "line": "建设西路 11 号"}
    await h.apply(ctx, [h.cf.updated(case_id, change="contacts", addresses_added=[home])])
    await h.apply(ctx, [h.cf.letter_returned(case_id, uuid.uuid4().hex, address=home)])   # letters never told us
    states = {p["address_kind"]: p["state"] for p in await points(ctx, case_id) if p["kind"] == "address"}
    assert states == {"household_registration": "unknown", "home": "undeliverable"}


async def test_a_text_letters_sent_counts_at_the_gate_and_shows_on_the_timeline(ctx, h):
    """sms.sent (issue 10): an attempt of channel sms in the gate's history — contact's own SMS cap
    counts it — and a timeline entry; never a contact.logged (letters counts its own texts)."""
    import dataclasses

    from recoup_contact.store import attempts as attempt_store
    from recoup_contact.usecases import gate
    from recoup_shared.compliance import Channel

    case_id = await h.new_case(ctx, i=4242)
    sent_at = datetime(2026, 12, 7, 9, 30, tzinfo=SH)
    text = h.cf.sms_sent(case_id, h.cf.mobile(4242), at=sent_at)
    capped = dataclasses.replace(ctx, settings=ctx.settings.model_copy(
        update={"compliance_system_policy": {"caps.sms_per_day": 1}}))
    async with ctx.pool.acquire() as conn:
        case = await conn.fetchrow("SELECT * FROM cases WHERE case_id = $1", case_id)
        before = await gate.evaluate(conn, capped, gate.GateRequest(case=case, channel=Channel.SMS, at=ctx.clock.now()))
    assert before.allowed
    await h.apply(ctx, [text])
    await h.apply(ctx, [text])                                   # delivered again: nothing more
    async with ctx.pool.acquire() as conn:
        rows = await attempt_store.history(conn, case_id, sent_at.replace(hour=0))
        mobile = await conn.fetchval("SELECT point_id FROM contact_points WHERE case_id = $1 AND number_hash = $2",
                                     case_id, text["payload"]["number_hash"])
        entries = await conn.fetch("SELECT kind, actor, ref, data FROM timeline WHERE case_id = $1 AND kind = 'sms_sent'",
                                   case_id)
        after = await gate.evaluate(conn, capped, gate.GateRequest(case=case, channel=Channel.SMS, at=ctx.clock.now()))
        echoed = await conn.fetchval("SELECT count(*) FROM outbox WHERE key = $1", case_id)
    assert [(r["channel"], r["party"], r["outcome"], r["direction"], r["point_id"]) for r in rows] == [
        ("sms", "debtor", "connected", "outbound", mobile)]
    assert [(e["actor"], e["ref"]) for e in entries] == [("letters", text["payload"]["sms_id"])]
    assert entries[0]["data"]["number_masked"] == text["payload"]["number_masked"]
    assert not after.allowed and after.to_dict()["reasons"][0]["rule"].startswith("cap")
    assert echoed == 0
