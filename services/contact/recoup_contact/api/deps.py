"""Typed dependencies of this service's routes: Conn (one transaction per request; a problem with
`keeps_writes` — the gate's refusal — keeps what was written before it), ReadConn for GETs (no
transaction), Context (the service's Ctx) and the role dependencies (R-45)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from recoup_shared.api import Conn, ReadConn, get_context, roles  # noqa: F401 - Conn/ReadConn for routes
from recoup_shared.auth import ClientSystem, Staff  # noqa: F401 - re-exported for routes

from ..context import Ctx
from ..settings import (CASE_READERS, COMPLAINT_RESOLVERS, CONFIG_ADMINS, CONTACT_WRITERS, HOLD_LIFTERS,
                        INBOUND_LOGGERS, INSPECTORS, POLICY_READERS, POLICY_WRITERS, RECONCILERS, REPORTERS,
                        VIOLATION_READERS)

Context = Annotated[Ctx, Depends(get_context)]

CaseReader = roles(*CASE_READERS)
ContactWriter = roles(*CONTACT_WRITERS)
InboundLogger = roles(*INBOUND_LOGGERS)
ConfigAdmin = roles(*CONFIG_ADMINS)
Reconciler = roles(*RECONCILERS)
Reporter = roles(*REPORTERS)
ComplaintResolver = roles(*COMPLAINT_RESOLVERS)
PolicyReader = roles(*POLICY_READERS)
PolicyWriter = roles(*POLICY_WRITERS)
HoldLifter = roles(*HOLD_LIFTERS)
Inspector = roles(*INSPECTORS)
ViolationReader = roles(*VIOLATION_READERS)
PlacementId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]

CaseId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
ClientId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
