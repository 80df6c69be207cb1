"""Visit evidence (R-37): door-plate photos, audio, video — streamed to the object store with the
SHA-256 checked on arrival, kept at least five years, deletion refused before that.

An upload can take minutes: no database connection is held while its bytes stream. The visit and
the uploader are checked in a short transaction first, the object is stored (or nothing is: the
store commits only a matching, complete upload), and the row is written in a second short one.
If that second step fails the stored object stays (content-addressed and retained, it is what a
retry of the same upload finds again).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.vocabulary import Role

from ..adapters.evidence import EvidenceKind, check_sha256, evidence_key
from ..adapters.multipart import MultipartForm
from ..context import Ctx
from ..rules.errors import EvidenceNotFound, EvidenceTooLarge, IllegalTransition, InvalidEvidence
from ..rules.model import VisitState
from ..store import records
from . import access

UPLOADABLE = (VisitState.PLANNED, VisitState.IN_PROGRESS, VisitState.DONE)


def _fields(fields: dict[str, str]) -> tuple[EvidenceKind, str, int | None]:
    errors = []
    try:
        kind = EvidenceKind(fields.get("kind", ""))
    except ValueError:
        errors.append({"field": "kind", "reason": f"one of {', '.join(k.value for k in EvidenceKind)}"})
    size = fields.get("size")
    if size is not None and not (size.isdigit() and len(size) <= 15):
        errors.append({"field": "size", "reason": "a byte count"})
    if errors:
        raise InvalidEvidence("the evidence form is not valid", errors=errors)
    return kind, check_sha256(fields.get("sha256", "")), int(size) if size is not None else None


async def upload(pool: asyncpg.Pool, ctx: Ctx, who: Principal, visit_id: str, form: MultipartForm,
                 content_length: int | None) -> dict[str, Any]:
    """Stores the form's file as evidence of the visit (see the module doc)."""
    cfg = ctx.evidence.cfg
    async with pool.acquire() as conn, conn.transaction():
        v, _ = await access.visit_of(conn, visit_id, lock=False)
        await access.check_fieldwork(conn, who, v)
        if v.state not in UPLOADABLE:
            raise IllegalTransition(f"no evidence for a visit that is {v.state.value}",
                                    visit_id=visit_id, state=v.state.value)
    if content_length is not None and content_length > cfg.max_bytes + 64 * 1024:
        raise EvidenceTooLarge(f"over the limit of {cfg.max_bytes} bytes", max_bytes=cfg.max_bytes)
    head = await form.head()
    kind, sha, size = _fields(head.fields)
    stored = await ctx.evidence.put(evidence_key(v.visit_id, kind, sha), form.file(), sha256=sha,
                                    kind=kind, content_type=head.content_type, now=ctx.clock.now(),
                                    size=size)
    async with pool.acquire() as conn, conn.transaction():
        return await records.add_evidence(conn, v.visit_id, stored, who.sub)


async def listing(conn: asyncpg.Connection, ctx: Ctx, who: Principal, visit_id: str) -> list[dict]:
    v, row = await access.visit_of(conn, visit_id, lock=False)
    await access.check_visible(conn, who, v, row)
    return await records.evidence_of(conn, visit_id)


async def open_content(pool: asyncpg.Pool, ctx: Ctx, who: Principal, visit_id: str,
                       evidence_id: str) -> tuple[dict[str, Any], AsyncIterator[bytes]]:
    """The evidence row and its bytes; every such read is audited (R-46)."""
    async with pool.acquire() as conn, conn.transaction():
        v, row = await access.visit_of(conn, visit_id, lock=False)
        await access.check_visible(conn, who, v, row)
        if who.has(Role.FIELD_AGENT) and who.sub not in v.agent_ids and not who.has(Role.SUPERVISOR):
            raise EvidenceNotFound(key=evidence_id)
        found = await records.evidence(conn, visit_id, evidence_id)
        if found is None:
            raise EvidenceNotFound(key=evidence_id)
        await records.audit_read(conn, who.sub, "evidence", [evidence_id], ctx.clock.now())
    await ctx.evidence.head(found["object_key"])
    return found, ctx.evidence.read(found["object_key"])


async def delete(conn: asyncpg.Connection, ctx: Ctx, who: Principal, visit_id: str,
                 evidence_id: str) -> None:
    """R-37: refused (409) before the retain-until date, by the store itself where it can."""
    found = await records.evidence(conn, visit_id, evidence_id)
    if found is None:
        raise EvidenceNotFound(key=evidence_id)
    now = ctx.clock.now()
    await ctx.evidence.delete(found["object_key"], now=now)
    await records.mark_deleted(conn, evidence_id, now)
