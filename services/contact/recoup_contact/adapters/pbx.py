"""The agency's telephony system behind one small interface (R-19 click-to-dial).

- `AriPbx`: HTTP originate towards an Asterisk-style PBX (ARI `POST /channels`, basic auth): the
  PBX rings the collector's line first, then dials the debtor's number in the configured dialplan
  context; the call carries our call id (channelId and the RECOUP_CALL_ID variable) so its CDR can
  come back to `POST /v1/telephony/cdr`. Every parameter goes in the JSON body, never in the URL:
  the number must not land in an access log. A FreeSWITCH behind an ARI-compatible gateway, or any
  PBX that accepts the same JSON, works the same way.
- `LocalPbx`: the local stack's PBX. It accepts the originate, and after a short delay plays the
  PBX's part: it signs a call-detail record (answered or not, ring and talk seconds, a recording
  reference with its SHA-256 and size) and posts it to the service's CDR webhook — through the
  real HTTP stack (the service's own ASGI app, or a URL).
- `NoPbx`: telephony switched off; dials are refused with 503.

The full number crosses this boundary and nothing else: callers never log `Originate`.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import httpx
import orjson

from recoup_shared.logging import get_logger

from . import signing

log = get_logger(__name__)


class PbxError(Exception):
    """The PBX refused or could not be reached; the message holds nothing personal."""


class PbxUnavailable(PbxError):
    """No telephony is configured."""


@dataclass(frozen=True, slots=True)
class Originate:
    call_id: str
    agent_extension: str
    number: str = field(repr=False)          # the full number: never logged
    extension: str | None = field(default=None, repr=False)   # 分机, dialled after the answer
    caller_id: str | None = None


@dataclass(frozen=True, slots=True)
class Originated:
    pbx_ref: str | None


class Pbx(Protocol):
    kind: str

    async def originate(self, request: Originate) -> Originated: ...

    async def close(self) -> None: ...


class NoPbx:
    kind = "none"

    async def originate(self, request: Originate) -> Originated:
        raise PbxUnavailable("telephony is not configured (RECOUP_PBX_KIND=none)")

    async def close(self) -> None:
        return None


class AriPbx:
    """Asterisk REST Interface originate (POST {url}/channels)."""

    kind = "ari"

    def __init__(self, url: str, *, username: str | None, password: str | None, agent_endpoint: str,
                 context: str, caller_id: str | None, ring_timeout: int, request_timeout: float,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        auth = (username, password or "") if username else None
        self._client = httpx.AsyncClient(base_url=url.rstrip("/"), auth=auth, timeout=request_timeout,
                                         transport=transport)
        self.agent_endpoint, self.context = agent_endpoint, context
        self.caller_id, self.ring_timeout = caller_id, ring_timeout

    async def originate(self, request: Originate) -> Originated:
        body = {
            "endpoint": self.agent_endpoint.format(extension=request.agent_extension),
            "extension": request.number, "context": self.context, "priority": 1,
            "channelId": request.call_id, "timeout": self.ring_timeout,
            "variables": {"RECOUP_CALL_ID": request.call_id, "RECOUP_DTMF": request.extension or ""},
        }
        caller_id = request.caller_id or self.caller_id
        if caller_id:
            body["callerId"] = caller_id
        try:
            r = await self._client.post("/channels", content=orjson.dumps(body),
                                        headers={"content-type": "application/json"})
        except httpx.HTTPError as exc:
            raise PbxError(f"PBX unreachable: {exc.__class__.__name__}") from None
        if r.status_code >= 300:
            raise PbxError(f"PBX refused the originate: HTTP {r.status_code}")
        try:
            ref = r.json().get("id")
        except ValueError:
            ref = None
        return Originated(pbx_ref=str(ref) if ref else None)

    async def close(self) -> None:
        await self._client.aclose()


def local_recording(call_id: str, talk_seconds: int) -> bytes:
    """What the local PBX 'recorded': deterministic bytes whose hash and size the CDR carries."""
    return f"RIFF local recording {call_id}".encode() * max(1, talk_seconds)


class LocalPbx:
    """Plays the PBX in the local stack: accepts originates, then posts a signed CDR back."""

    kind = "local"

    def __init__(self, *, secret: str, delay: float, answer_pct: int,
                 transport: httpx.AsyncBaseTransport | None = None, callback_url: str | None = None) -> None:
        self.secret, self.delay, self.answer_pct = secret, delay, answer_pct
        self._transport, self._callback_url = transport, callback_url
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task] = set()
        self.sent: list[dict[str, Any]] = []
        self.originated: list[str] = []

    def bind(self, transport: httpx.AsyncBaseTransport) -> None:
        """Deliver CDRs to this ASGI app (the service itself) when no callback URL is set."""
        self._transport = transport

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            base = self._callback_url or "http://contact.local"
            self._client = httpx.AsyncClient(base_url=base, timeout=30,
                                             transport=None if self._callback_url else self._transport)
        return self._client

    async def originate(self, request: Originate) -> Originated:
        self.originated.append(request.call_id)
        if self._transport is not None or self._callback_url:   # else: nobody to call back (a bare context)
            task = asyncio.create_task(self._call_back(request.call_id), name=f"local-pbx-{request.call_id}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return Originated(pbx_ref=f"local-{request.call_id[:8]}")

    def cdr_for(self, call_id: str, *, now: datetime | None = None) -> dict[str, Any]:
        """The call-detail record the local PBX reports for `call_id` (deterministic per call)."""
        rng = random.Random(call_id)
        answered = rng.randrange(100) < self.answer_pct
        ring = rng.randint(3, 25)
        talk = rng.randint(20, 300) if answered else 0
        ended = (now or datetime.now(timezone.utc)).replace(microsecond=0)
        started = ended - timedelta(seconds=ring + talk)
        cdr: dict[str, Any] = {
            "call_id": call_id, "answered": answered, "ring_seconds": ring, "talk_seconds": talk,
            "started_at": started.isoformat(), "ended_at": ended.isoformat(),
            "hangup_cause": "NORMAL_CLEARING" if answered else "NO_ANSWER",
        }
        if answered:
            audio = local_recording(call_id, talk)
            cdr["recording"] = {"uri": f"local://recordings/{call_id}.wav",
                                "sha256": hashlib.sha256(audio).hexdigest(), "bytes": len(audio)}
        return cdr

    async def deliver(self, cdr: dict[str, Any]) -> httpx.Response:
        body = orjson.dumps(cdr)
        headers = {"content-type": "application/json", **signing.sign(self.secret, body)}
        return await self._http().post("/v1/telephony/cdr", content=body, headers=headers)

    async def _call_back(self, call_id: str) -> None:
        await asyncio.sleep(self.delay)
        cdr = self.cdr_for(call_id)
        for attempt in range(5):
            try:
                r = await self.deliver(cdr)
                if r.status_code < 500 and r.status_code != 404:   # 404: the dial has not committed yet
                    self.sent.append(cdr)
                    return
            except httpx.HTTPError as exc:
                log.warning("local PBX could not deliver a CDR", call_id=call_id, error=repr(exc))
            await asyncio.sleep(0.5 * (attempt + 1))

    async def drain(self) -> None:
        """Wait for every CDR in flight (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        await self.drain()
        if self._client is not None:
            await self._client.aclose()
