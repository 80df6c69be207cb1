"""Templates per client and letter type (or SMS purpose), versioned, each version with the client's
approval (R-27): who approved it, when, the client's reference and the SHA-256 of the approval
document (the document itself may be uploaded too). Only the approved version is used; approving
a new one retires the old one; retired versions stay readable.

A template is checked at upload, not at render: the sandbox checker (unknown variables, anything
reaching outside the sandbox, full numbers in the text → 422 with line and reason), then a trial
render with sample values (a filter given impossible arguments fails here, not in a batch).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import orjson

from recoup_shared.auth import Principal

from ..adapters.sms import SmsTemplate, sms_params, validate_sms_template
from ..adapters.templates import TemplateProblem, ValidatedTemplate, render_text, validate_template
from ..adapters.templates import TemplateRejected as Rejected
from ..adapters.variables import CaseFacts, letter_variables
from ..context import Ctx
from ..rules import checkcode, lifecycle
from ..rules.errors import ApprovalDocumentMismatch, StateConflict, TemplateNotFound, TemplateRejected
from ..rules.model import HOUSEHOLD_REGISTRATION, Address, Instalment, InstalmentPlan, LetterType, Party, PartyRole
from ..store import templates as store
from ..views import templates as view
from .common import new_id

_SAMPLE_DAY = date(2026, 1, 5)


def _rejected(problems: list[TemplateProblem]) -> TemplateRejected:
    return TemplateRejected("the template was refused at upload (R-27, R-30)",
                            errors=[{"field": "source", **p.as_dict()} for p in problems])


def sample_variables(ctx: Ctx, letter_type: LetterType) -> dict[str, Any]:
    """Values of every kind a real letter has (masked numbers, amounts, dates, an instalment plan)."""
    plan = InstalmentPlan("sample", _SAMPLE_DAY, tuple(
        Instalment(i, date(2026, 1 + i, 5), Decimal("1000.00")) for i in (1, 2, 3)))
    facts = CaseFacts("张伟", "410105********0030", "622202*********3446", "示例银行", Decimal("13830.50"),
                      Decimal("13830.50"), Decimal("12000.00"), Decimal("1530.50"), Decimal("300.00"), "信用卡",
                      "CNY", date(2025, 8, 1), 157, date(2025, 11, 20))
    return letter_variables(
        letter_type=letter_type, recipient=Party("debtor", "张伟", PartyRole.DEBTOR, gender="M"),
        address=Address("sample", "debtor", HOUSEHOLD_REGISTRATION, "花园路 88 号", "河南省", "郑州市", "金水区",
                        "450000"),
        facts=facts, agency=ctx.agency, letter_date=_SAMPLE_DAY, check_code=checkcode.display("23456789A"),
        reference="L202601-0000001", reply_by=_SAMPLE_DAY, plan=plan)


def check_letter_template(ctx: Ctx, source: str, letter_type: LetterType) -> ValidatedTemplate:
    try:
        checked = validate_template(source, letter_type)
    except Rejected as e:
        raise _rejected(e.problems) from None
    try:
        render_text(checked.source, sample_variables(ctx, letter_type))
    except Exception as e:  # noqa: BLE001 - any failure of the trial render refuses the upload
        raise _rejected([TemplateProblem(getattr(e, "lineno", None), "render_error",
                                         f"the template fails with sample values: {e}")]) from None
    return checked


def check_sms_template(ctx: Ctx, t: SmsTemplate) -> tuple[str, set[str]]:
    try:
        validate_sms_template(t)
        sms_params(t, sample_variables(ctx, LetterType.FIRST_REMINDER))
    except Rejected as e:
        raise _rejected(e.problems) from None
    except ValueError as e:
        raise _rejected([TemplateProblem(None, "render_error", str(e))]) from None
    digest = hashlib.sha256(orjson.dumps(t.model_dump(), option=orjson.OPT_SORT_KEYS)).hexdigest()
    return digest, set(t.params.values())


async def _new_version(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, *, client_id: str,
                       channel: str, name: str, source: str, sms: dict | None, sha256: str,
                       variables: set[str], note: str | None) -> dict[str, Any]:
    at = ctx.clock.now()
    tpl = await store.get_or_create(conn, template_id=new_id("tp"), client_id=client_id, channel=channel,
                                    name=name, by=principal.sub, at=at)
    number = await store.add_version(conn, {"template_id": tpl["template_id"], "source": source, "sms": sms,
                                            "sha256": sha256, "variables": sorted(variables), "note": note,
                                            "by": principal.sub, "at": at})
    return await view.version(conn, tpl["template_id"], number)


async def upload_letter_version(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, *, client_id: str,
                                letter_type: LetterType, source: str, note: str | None) -> dict[str, Any]:
    checked = check_letter_template(ctx, source, letter_type)
    return await _new_version(conn, ctx, principal, client_id=client_id, channel="letter", name=letter_type.value,
                              source=checked.source, sms=None, sha256=checked.sha256,
                              variables=set(checked.variables), note=note)


async def upload_sms_version(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, *, client_id: str,
                             name: str, template: SmsTemplate, note: str | None) -> dict[str, Any]:
    digest, variables = check_sms_template(ctx, template)
    binding = template.model_dump(exclude={"wording"})
    return await _new_version(conn, ctx, principal, client_id=client_id, channel="sms", name=name,
                              source=template.wording, sms=binding, sha256=digest, variables=variables, note=note)


async def _version(conn: asyncpg.Connection, template_id: str, number: int):
    if await store.get(conn, template_id, lock=True) is None:
        raise TemplateNotFound(f"template {template_id} is unknown")
    v = await store.version(conn, template_id, number, lock=True)
    if v is None:
        raise TemplateNotFound(f"template {template_id} has no version {number}")
    return v


async def approve(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, template_id: str, number: int, *,
                  approved_by: str, approved_at: datetime, reference: str, document_sha256: str) -> dict[str, Any]:
    """R-27: the client's approval of one version; it becomes the version in use."""
    v = await _version(conn, template_id, number)
    try:
        lifecycle.check_approve_version(lifecycle.VersionStatus(v["status"]))
    except lifecycle.Refused as e:
        raise StateConflict(e.detail) from None
    sha = document_sha256.lower()
    stored = await ctx.files.has_document(template_id, number, sha)
    await store.approve(conn, template_id, number, {
        "approved_by": approved_by, "approved_at": approved_at, "reference": reference, "document_sha256": sha,
        "recorded_by": principal.sub, "stored": stored}, ctx.clock.now())
    return await view.version(conn, template_id, number)


async def put_document(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, template_id: str, number: int,
                       data: bytes) -> dict[str, Any]:
    """The approval document itself. After the approval it must be the document the approval
    names (its SHA-256); before, it is kept and its digest returned for the approval."""
    v = await _version(conn, template_id, number)
    sha = hashlib.sha256(data).hexdigest()
    named = v["approval_document_sha256"]
    if named and named != sha:
        raise ApprovalDocumentMismatch(f"the document's SHA-256 is {sha}; the approval names {named}")
    await ctx.files.put_document(template_id, number, data)
    if named:
        await store.document_stored(conn, template_id, number)
    return {"template_id": template_id, "version": number, "sha256": sha, "size": len(data),
            "approval_recorded": bool(named)}


async def retire(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, template_id: str, number: int,
                 reason: str) -> dict[str, Any]:
    v = await _version(conn, template_id, number)
    try:
        lifecycle.check_retire_version(lifecycle.VersionStatus(v["status"]))
    except lifecycle.Refused as e:
        raise StateConflict(e.detail) from None
    await store.retire(conn, template_id, number, principal.sub, reason, ctx.clock.now())
    return await view.version(conn, template_id, number)


async def get_template(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, template_id: str) -> dict[str, Any]:
    found = await view.template(conn, template_id)
    if found is None:
        raise TemplateNotFound(f"template {template_id} is unknown")
    return found


async def get_version(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, template_id: str,
                      number: int) -> dict[str, Any]:
    found = await view.version(conn, template_id, number)
    if found is None:
        raise TemplateNotFound(f"template {template_id} has no version {number}")
    return found
