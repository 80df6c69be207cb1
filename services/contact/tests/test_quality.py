"""Quality inspection (R-48) on the real database: the weekly sample (every collector represented,
once per week whatever the replicas), the engine's re-check, findings, violations per collector per
month from findings, gate refusals and telephony mismatches."""

import asyncio
import uuid
from datetime import date

import pytest

from recoup_contact.rules import Channel, Party, Result
from recoup_contact.rules.errors import AlreadyDecided, InvalidRecord
from recoup_contact.rules.quality import FindingKind, Verdict, fold_violations, month_range, sample_size, \
    week_to_sample
from recoup_contact.usecases import quality, records
from recoup_contact.usecases.records import RecordCmd


def test_sample_size_week_and_month_rules():
    assert [sample_size(n, 0.05, 1) for n in (0, 1, 19, 20, 21, 400)] == [0, 1, 1, 1, 2, 20]
    assert sample_size(3, 0.5, 5) == 3                      # never more than the collector made
    assert week_to_sample(date(2026, 12, 14)) == date(2026, 12, 7) == week_to_sample(date(2026, 12, 20))
    assert month_range("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    for bad in ("2026-13", "26-12", "2026-1", "", "2026-12-01"):
        with pytest.raises(ValueError):
            month_range(bad)
    rows = [("a", "finding", "impersonation", 1), ("a", "refusal", "window.outside", 2),
            ("a", "refusal", "cap.effective_calls_per_day", 1), ("a", "refused", "", 2), ("b", "mismatch", "x", 1)]
    a, b = fold_violations(rows)
    assert (a.collector_id, a.total, a.refusals, b.total) == (
        "a", 3, {"window.outside": 2, "cap.effective_calls_per_day": 1}, 1)


async def _log(ctx, who, case_id, result=Result.NO_ANSWER, code="NA"):
    async with ctx.pool.acquire() as conn:
        point = await conn.fetchval("SELECT point_id FROM contact_points WHERE case_id = $1 AND party = 'debtor' "
                                    "AND kind = 'mobile'", case_id)
        async with conn.transaction():
            return await records.log_contact(conn, ctx, who, case_id, RecordCmd(
                channel=Channel.OUTBOUND_CALL, party=Party.DEBTOR, point_id=point, result=result, code=code))


async def test_weekly_sample_recheck_findings_and_violations(ctx, h, at):
    tag = uuid.uuid4().hex[:6]
    collectors = [f"q{tag}-{i}" for i in range(3)]
    cases = {c: await h.new_case(ctx, owner=c) for c in collectors}
    at("2026-12-08T10:00:00+08:00")                     # Tuesday of the week of Dec 7
    for c in collectors:
        for _ in range(2 if c != collectors[0] else 4):
            await _log(ctx, h.who(c), cases[c])
    async with ctx.pool.acquire() as conn:
        await conn.execute(
            """INSERT INTO gate_refusals (refusal_id, case_id, collector_id, at, channel, party, purpose, rules,
                   decision) VALUES ($1, $2, $3, '2026-12-08T21:30:00+08:00', 'call', 'debtor', 'dial',
                   '{window.outside}', '{}')""",
            uuid.uuid4(), cases[collectors[1]], collectors[1])
        await conn.execute(
            """INSERT INTO quality_flags (flag_id, kind, case_id, collector_id, created_at)
               VALUES ($1, 'call_without_record', $2, $3, '2026-12-09T10:00:00+08:00')""",
            uuid.uuid4(), cases[collectors[2]], collectors[2])
    at("2026-12-14T09:00:00+08:00")                     # the next Monday: last week is sampled
    await asyncio.gather(*(quality.sample_week(ctx) for _ in range(3)))   # three replicas
    async with ctx.pool.acquire() as conn:
        items = await quality.queue(conn, state="open", collector_id=None, after=None, limit=500)
    mine = [i for i in items if i["collector_id"] in collectors]
    sampled = sorted(i["collector_id"] for i in mine if i["source"] == "sample")
    assert sampled == sorted(collectors)                # every collector represented, each once (5 %, min 1)
    assert sorted(i["source"] for i in mine if i["collector_id"] == collectors[2]) == ["quality_flag", "sample"]
    item = next(i for i in mine if i["collector_id"] == collectors[0] and i["source"] == "sample")
    assert item["recheck"]["checked"] and item["recheck"]["allowed"]            # the engine's replay agrees
    sup = h.who("insp-1", "supervisor", team=None)
    async with ctx.pool.acquire() as conn, conn.transaction():
        with pytest.raises(InvalidRecord):
            await quality.inspect(conn, ctx, sup, item["item_id"], Verdict.FAILED, [], None)
    async with ctx.pool.acquire() as conn, conn.transaction():
        done = await quality.inspect(conn, ctx, sup, item["item_id"], Verdict.FAILED,
                                     [(FindingKind.IMPERSONATION, "自称法院工作人员"),
                                      (FindingKind.UNAUTHORISED_WAIVER, "承诺减免利息")], "录音 02:13")
    assert done["state"] == "failed" and len(done["findings"]) == 2
    async with ctx.pool.acquire() as conn:              # one item shows what its queue row showed
        one = await quality.item(conn, item["item_id"])
    assert {k: one[k] for k in ("result", "code", "channel", "party", "notes")} == \
        {k: item[k] for k in ("result", "code", "channel", "party", "notes")} and one["channel"] is not None
    async with ctx.pool.acquire() as conn, conn.transaction():
        with pytest.raises(AlreadyDecided):
            await quality.inspect(conn, ctx, sup, item["item_id"], Verdict.PASSED, [], None)
    async with ctx.pool.acquire() as conn:
        month = await quality.violations(conn, ctx, "2026-12", None)
    got = {v["collector_id"]: v for v in month["collectors"] if v["collector_id"] in collectors}
    assert got[collectors[0]]["findings"] == {"impersonation": 1, "unauthorised_waiver": 1}
    assert got[collectors[1]]["refusals"] == {"window.outside": 1} and got[collectors[1]]["refused_attempts"] == 1
    assert got[collectors[2]]["mismatches"] == {"call_without_record": 1}
    assert [got[c]["total"] for c in collectors] == [2, 1, 1]
    async with ctx.pool.acquire() as conn:
        assert (await quality.violations(conn, ctx, "2026-11", collectors[0]))["collectors"] == []
