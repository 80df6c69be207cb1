"""Each client's letter rules (R-28..R-31): the DPD schedule where it asks for it, the notice window,
the express threshold (the domain gives none: each client sets its own), guarantor letters, the
re-send limit, the returns that invalidate an address. Versioned; the domain defaults apply to a
client that never set any."""

from __future__ import annotations

from typing import Any

import asyncpg
from pydantic import ValidationError

from recoup_shared.auth import Principal

from ..context import Ctx
from ..rules.config import ClientLetterConfig
from ..rules.errors import ConfigInvalid
from ..store import configs as store
from ..store import loads
from ..store import templates as template_store


async def get(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, client_id: str) -> dict[str, Any]:
    row = await store.config_row(conn, client_id)
    config = ClientLetterConfig.model_validate({**loads(row["config"]), "client_id": client_id}) if row \
        else ClientLetterConfig(client_id=client_id)
    approved = (await template_store.approved_letter_types(conn, [client_id]))[client_id]
    return {"client_id": client_id, "version": row["version"] if row else 0,
            "updated_by": row["updated_by"] if row else None, "updated_at": row["updated_at"] if row else None,
            "config": config.model_dump(mode="json"),
            # what planning actually uses — wanted and with an approved template
            "effective_types": sorted(t.value for t in config.wanted_types if t.value in approved)}


async def put(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, client_id: str,
              values: dict[str, Any]) -> dict[str, Any]:
    try:
        config = ClientLetterConfig.model_validate({**values, "client_id": client_id})
    except ValidationError as e:
        raise ConfigInvalid("the letter configuration is not valid", errors=[
            {"field": ".".join(str(p) for p in err["loc"]) or "config", "reason": err["msg"]}
            for err in e.errors()[:100]]) from None
    await store.put_config(conn, client_id, config.model_dump(mode="json", exclude={"client_id"}), principal.sub,
                           ctx.clock.now())
    return await get(conn, ctx, principal, client_id)
