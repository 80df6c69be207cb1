"""Compliance on the real database (issue 10): stored, versioned levels system → client → placement →
case, explained value by value; holds placed and lifted by the right role; the debtor's own requests;
the Reg F preset through the gate; evaluation without side effects; the debtor's zones."""

import uuid
from datetime import datetime

import orjson
import pytest

from recoup_contact.rules import Channel, Party, Result
from recoup_contact.rules.errors import GateRefused, HoldConflict, HoldLiftForbidden, InvalidPolicy
from recoup_contact.usecases import evaluate as ev
from recoup_contact.usecases import holds, levels, records
from recoup_contact.usecases.records import RecordCmd
from recoup_shared.compliance import Channel as GateChannel
from recoup_shared.compliance import LevelKind
from recoup_shared.errors import Forbidden

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def tx(ctx, fn, *args, **kw):
    async with ctx.pool.acquire() as conn, conn.transaction():
        return await fn(conn, ctx, *args, **kw)


async def points(ctx, case_id):
    async with ctx.pool.acquire() as conn:
        return {(r["party"], r["kind"]): r["point_id"] for r in await conn.fetch(
            "SELECT point_id, party, kind FROM contact_points WHERE case_id = $1", case_id)}


async def log(ctx, who, case_id, point_id, result=Result.NO_ANSWER, code="NA", **kw):
    async with ctx.pool.acquire() as conn, conn.transaction():
        return await records.log_contact(conn, ctx, who, case_id, RecordCmd(
            channel=Channel.OUTBOUND_CALL, party=Party.DEBTOR, point_id=point_id, result=result, code=code, **kw))


async def decide(ctx, who, case_id, at: str | None = None, point_id=None, channel=GateChannel.CALL):
    cmd = ev.EvaluateCmd(case_id=case_id, channel=channel, point_id=point_id,
                         at=datetime.fromisoformat(at) if at else None)
    async with ctx.pool.acquire() as conn:
        return await ev.evaluate(conn, ctx, who, cmd)


async def published(ctx, key: str) -> list[dict]:
    async with ctx.pool.acquire() as conn:
        rows = await conn.fetch("SELECT value FROM outbox WHERE topic = 'policy.changed' AND key = $1 ORDER BY id",
                                key)
    return [orjson.loads(r["value"]) for r in rows]


def explained(policy: dict, key: str) -> dict:
    return next(v for v in policy["values"] if v["key"] == key)


async def test_client_window_from_nine_is_versioned_explained_and_published(ctx, h, at):
    client = f"c-{uuid.uuid4().hex[:8]}"
    case_id = await h.new_case(ctx, client_id=client)
    sup = h.who("sup-1", "supervisor", team=None)
    out = await tx(ctx, levels.put_level, sup, LevelKind.CLIENT, client,
                   {"windows": {d: ["09:00-21:00"] for d in DAYS}}, "the bank's contract: from 09:00")
    assert out["version"] == 1 and out["values"]["windows"]["mon"] == ["09:00-21:00"]
    mobile = (await points(ctx, case_id))[("debtor", "mobile")]
    at("2026-12-07T08:30:00+08:00")
    with pytest.raises(GateRefused) as e:                       # R-14 at once: the next dial sees it
        await log(ctx, h.who(), case_id, mobile)
    assert [r["rule"] for r in e.value.body()["reasons"]] == ["window.outside"]
    assert e.value.body()["next_allowed"] == "2026-12-07T09:00:00+08:00"
    async with ctx.pool.acquire() as conn:
        policy = await levels.explain(conn, ctx, h.who(), case_id)
    assert explained(policy, "windows.mon") | {"value": None} == {
        "key": "windows.mon", "value": None, "level": "client", "scope": client, "version": 1, "preset": None,
        "source": None}
    assert explained(policy, "caps.effective_calls_per_day")["level"] == "default"
    [event] = await published(ctx, f"client:{client}")
    assert event["payload"]["version"] == 1 and event["payload"]["values"]["windows.mon"] == ["09:00-21:00"]
    assert event["case_id"] == f"client:{client}" and event["client_id"] == client
    await tx(ctx, levels.put_level, sup, LevelKind.CLIENT, client, {}, "back to the agency's windows")
    async with ctx.pool.acquire() as conn:
        trail = await levels.history(conn, LevelKind.CLIENT, client, None, 10)
    assert [(v["version"], v["changed_by"], v["reason"]) for v in trail] == [
        (2, "sup-1", "back to the agency's windows"), (1, "sup-1", "the bank's contract: from 09:00")]
    assert (await decide(ctx, h.who(), case_id))["allowed"]
    with pytest.raises(Forbidden):                               # the system level is the admin's
        await tx(ctx, levels.put_level, sup, LevelKind.SYSTEM, "", {}, "no")
    with pytest.raises(Forbidden):
        await tx(ctx, levels.put_level, h.who(), LevelKind.CLIENT, client, {}, "no")


async def test_bad_levels_are_refused_with_every_field_and_nothing_saved(ctx, h):
    client = f"c-{uuid.uuid4().hex[:8]}"
    admin = h.who("adm-1", "admin", team=None)
    bad = {"windows": {"mon": ["08:00-12:00", "11:00-13:00"], "tue": ["10:00-10:00"]},
           "caps": {"visits_per_day": -1}, "curfew": True, "holds": {"dispute": {}}}
    with pytest.raises(InvalidPolicy) as e:
        await tx(ctx, levels.put_level, admin, LevelKind.CLIENT, client, bad, "typo")
    fields = {x["field"] for x in e.value.body()["errors"]}
    assert fields == {"values.windows.mon[1]", "values.windows.tue[0]", "values.caps.visits_per_day",
                      "values.curfew", "values.holds.dispute"}
    assert e.value.status == 422
    async with ctx.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM policy_levels WHERE scope_id = $1", client) == 0
    assert await published(ctx, f"client:{client}") == []


async def test_the_reg_f_preset_of_a_client_works_through_the_gate(ctx, h, at):
    """12 CFR 1006.14(b)(2): the 8th call attempt within 7 days and any call in the 7 days that start
    with a conversation are refused — at the gate, for a client on {"preset": "us_regf"}."""
    client = f"us-{uuid.uuid4().hex[:8]}"
    await tx(ctx, levels.put_level, h.who("adm", "admin", team=None), LevelKind.CLIENT, client,
             {"preset": "us_regf"}, "a U.S. portfolio")
    quiet, busy = await h.new_case(ctx, client_id=client), await h.new_case(ctx, client_id=client)
    m_busy, m_quiet = (await points(ctx, busy))[("debtor", "mobile")], (await points(ctx, quiet))[("debtor", "mobile")]
    for minute in range(7):                  # R-15 would allow 10 attempts a day; Reg F 7 in 7 days
        at(f"2026-12-07T10:{minute:02d}:00+08:00")
        await log(ctx, h.who(), busy, m_busy)
    at("2026-12-09T10:00:00+08:00")
    with pytest.raises(GateRefused) as e:
        await log(ctx, h.who(), busy, m_busy)
    body = e.value.body()
    assert [(r["rule"], r["ref"], r["limit"], r["count"]) for r in body["reasons"]] == [
        ("regf.seven_in_seven", "12 CFR 1006.14(b)(2)(i)(A)", 7, 7)]
    assert body["next_allowed"] == "2026-12-14T08:00:00+08:00"      # Dec 7 drops out of the 7 days
    at("2026-12-07T11:00:00+08:00")
    await log(ctx, h.who(), quiet, m_quiet, result=Result.CONNECTED, code="RS")   # a telephone conversation
    at("2026-12-13T20:00:00+08:00")
    refused = await decide(ctx, h.who(), quiet, point_id=m_quiet)
    assert [r["rule"] for r in refused["reasons"]] == ["regf.after_conversation"]
    assert refused["next_allowed"] == "2026-12-14T08:00:00+08:00"


async def test_holds_are_placed_and_lifted_only_by_the_right_role(ctx, h):
    client = f"c-{uuid.uuid4().hex[:8]}"
    case_id = await h.new_case(ctx, client_id=client)
    await tx(ctx, holds.place, h.who(), case_id, "fraud_claim", "债务人称身份被冒用")
    refused = await decide(ctx, h.who(), case_id)
    assert [r["rule"] for r in refused["reasons"]] == ["hold.fraud_claim"] and refused["next_allowed"] is None
    with pytest.raises(HoldLiftForbidden) as e:                    # only the client's instruction
        await tx(ctx, holds.lift, h.who("sup-1", "supervisor", team=None), case_id, "fraud_claim", "cleared")
    assert e.value.status == 403
    await tx(ctx, holds.lift, h.who("bank", "client", team=None, client_id=client), case_id, "fraud_claim", "ok")
    assert (await decide(ctx, h.who(), case_id))["allowed"]
    await tx(ctx, holds.place, h.who(), case_id, "serious_complaint", "投诉")
    with pytest.raises(HoldLiftForbidden):                          # not the collector
        await tx(ctx, holds.lift, h.who(), case_id, "serious_complaint", "calmed down")
    await tx(ctx, holds.lift, h.who("sup-1", "supervisor", team=None), case_id, "serious_complaint", "resolved")
    versions = [e["payload"]["version"] for e in await published(ctx, case_id)]
    assert versions == [1, 2, 3, 4]                                 # one version, one event per change
    flagged = await h.new_case(ctx, client_id=client, flags=("dispute",))
    with pytest.raises(HoldConflict):                               # the client's flag: only the client
        await tx(ctx, holds.lift, h.who("bank", "client", team=None, client_id=client), flagged, "dispute", "x")
    async with ctx.pool.acquire() as conn:
        policy = await levels.explain(conn, ctx, h.who(), flagged)
    assert explained(policy, "holds.dispute")["source"] == "client_flag"


async def test_the_debtors_own_requests_on_the_case_level(ctx, h, at):
    case_id = await h.new_case(ctx, client_id=f"c-{uuid.uuid4().hex[:8]}")
    spouse = (await points(ctx, case_id))[("contact_person", "mobile")]
    policy = await tx(ctx, levels.change_case, h.who(), case_id, {"debtor_windows": {"sat": ["10:00-12:00"]}}, [],
                      "debtor: Saturdays only in the morning")
    assert explained(policy, "debtor_windows.sat") | {"version": 0} == {
        "key": "debtor_windows.sat", "value": ["10:00-12:00"], "level": "case", "scope": case_id, "version": 0,
        "preset": None, "source": "case_level"}
    sat = await decide(ctx, h.who(), case_id, "2026-12-12T09:30:00+08:00")
    assert sat["next_allowed"] == "2026-12-12T10:00:00+08:00"
    assert (await decide(ctx, h.who(), case_id, "2026-12-12T11:59:59+08:00"))["allowed"]
    with pytest.raises(InvalidPolicy) as e:                         # a collector records requests, not caps
        await tx(ctx, levels.change_case, h.who(), case_id, {"caps": {"call_attempts_per_day": 20},
                                                             "third_parties": {"nobody": {"do_not_call": True}}},
                 ["no.such.key"], "x")
    assert {x["field"] for x in e.value.body()["errors"]} == {
        "set.caps.call_attempts_per_day", "set.third_parties.nobody.do_not_call", "unset[0]"}
    await tx(ctx, levels.change_case, h.who(), case_id, {"third_parties": {str(spouse): {"do_not_call": True}}},
             ["debtor_windows.sat"], "the spouse asked not to be called (R-18)")
    assert (await decide(ctx, h.who(), case_id, "2026-12-12T09:30:00+08:00"))["allowed"]
    spouse_call = await decide(ctx, h.who(), case_id, point_id=spouse)
    assert [r["rule"] for r in spouse_call["reasons"]] == ["third_party.do_not_call"]
    mobile = (await points(ctx, case_id))[("debtor", "mobile")]
    for minute in (0, 5, 10):
        at(f"2026-12-07T11:{minute:02d}:00+08:00")
        await log(ctx, h.who(), case_id, mobile, result=Result.CONNECTED, code="RS")
    assert not (await decide(ctx, h.who(), case_id, point_id=mobile))["allowed"]      # 3 connected
    await tx(ctx, levels.change_case, h.who(), case_id, {"exemptions": {"callback_requested_at":
                                                                        "2026-12-07T11:20:00+08:00"}}, [],
             "the debtor asked to be called back at 14:00")
    at("2026-12-07T14:00:00+08:00")
    back = await decide(ctx, h.who(), case_id, point_id=mobile)
    assert back["allowed"] and back["exemption"] == "callback_requested"             # R-15 exemption


async def test_evaluate_has_no_side_effects_and_answers_any_moment(ctx, h):
    case_id = await h.new_case(ctx)
    mobile = (await points(ctx, case_id))[("debtor", "mobile")]

    async def counts():
        async with ctx.pool.acquire() as conn:
            return [await conn.fetchval(f"SELECT count(*) FROM {t} WHERE case_id = $1", case_id)
                    for t in ("attempts", "gate_refusals", "timeline")]
    before = await counts()
    assert (await decide(ctx, h.who(), case_id, "2026-12-07T20:59:59+08:00", mobile))["allowed"]
    late = await decide(ctx, h.who(), case_id, "2026-12-07T21:00:00+08:00", mobile)
    assert not late["allowed"] and [r["rule"] for r in late["reasons"]] == ["window.outside"]
    assert await counts() == before
    from recoup_contact.rules.errors import InvalidRecord
    with pytest.raises(InvalidRecord) as e:
        await decide(ctx, h.who(), case_id, channel=GateChannel.VISIT)
    assert e.value.body()["errors"][0]["field"] == "channel"


async def test_the_debtors_zones_xinjiang_and_a_client_default(ctx, h):
    xj = await h.new_case(ctx, province="新疆维吾尔自治区")
    d = await decide(ctx, h.who(), xj, "2026-12-07T09:00:00+08:00")       # 07:00 in Ürümqi
    assert d["zones"] == ["Asia/Shanghai", "Asia/Urumqi"]
    assert d["next_allowed"] == "2026-12-07T10:00:00+08:00"   # only what is safe on both clocks
    client = f"c-{uuid.uuid4().hex[:8]}"
    await tx(ctx, levels.put_level, h.who("adm", "admin", team=None), LevelKind.CLIENT, client,
             {"zone": {"default": "Asia/Tokyo"}}, "a Japanese portfolio")
    nowhere = await h.new_case(ctx, client_id=client, province="")
    d = await decide(ctx, h.who(), nowhere, "2026-12-07T07:30:00+08:00")  # 08:30 in Tokyo
    assert d["allowed"] and d["zones"] == ["Asia/Tokyo"]


class Counting:
    """A connection proxy counting round trips (statements; BEGIN and COMMIT come on top)."""

    def __init__(self, conn):
        self.conn, self.calls = conn, []

    def __getattr__(self, name):
        attr = getattr(self.conn, name)
        if name in ("execute", "executemany", "fetch", "fetchrow", "fetchval", "copy_records_to_table"):
            async def counted(*a, **kw):
                self.calls.append(str(a[0]).split()[0:3] if a else name)
                return await attr(*a, **kw)
            return counted
        return attr


async def test_a_logged_attempt_passes_the_gate_in_three_statements(ctx, h):
    """Issues 10 and 9 cut the contact form's round trips: the lock; the case with its levels, the
    gate's history and its contact points; the record with its reservation, effects and contact.logged."""
    case_id = await h.new_case(ctx)
    mobile = (await points(ctx, case_id))[("debtor", "mobile")]
    await log(ctx, h.who(), case_id, mobile)          # warm: the client's configuration is cached
    async with ctx.pool.acquire() as conn, conn.transaction():
        counting = Counting(conn)
        out = await records.log_contact(counting, ctx, h.who(), case_id, RecordCmd(
            channel=Channel.OUTBOUND_CALL, party=Party.DEBTOR, point_id=mobile, result=Result.NO_ANSWER, code="NA"))
    assert len(counting.calls) == 3, counting.calls
    async with ctx.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT outcome, record_id FROM attempts WHERE attempt_id = $1", out["attempt_id"])
        assert (row["outcome"], row["record_id"]) == ("no_answer", out["record_id"])
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE topic = 'contact.logged' AND key = $1",
                                   case_id) == 2


async def test_the_system_policy_setting_becomes_the_first_stored_version(ctx, h):
    from recoup_contact.usecases.levels import seed_system_level

    import dataclasses

    seeded = dataclasses.replace(ctx, settings=ctx.settings.model_copy(
        update={"compliance_system_policy": {"caps.call_attempts_per_day": 8}}))
    await seed_system_level(seeded)
    await seed_system_level(seeded)                                 # once, whatever the replicas
    async with ctx.pool.acquire() as conn:
        trail = await levels.history(conn, LevelKind.SYSTEM, "", None, 10)
    assert [(v["version"], v["changed_by"], v["values"]) for v in trail] == [
        (1, "settings", {"caps": {"call_attempts_per_day": 8}})]
    [event] = await published(ctx, "system:")
    assert event["client_id"] == "agency" and event["payload"]["level"] == "system"
    case_id = await h.new_case(ctx)
    async with ctx.pool.acquire() as conn:
        policy = await levels.explain(conn, ctx, h.who(), case_id)
    assert explained(policy, "caps.call_attempts_per_day") | {"scope": None} == {
        "key": "caps.call_attempts_per_day", "value": 8, "level": "system", "scope": None, "version": 1,
        "preset": None, "source": None}
