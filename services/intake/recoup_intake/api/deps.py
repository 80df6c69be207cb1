"""Typed dependencies of intake's routes: Conn (one transaction per request), Context (intake's
Ctx) and the role dependencies (R-45) built from the role sets of settings.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from recoup_shared.api import Conn, get_context, roles
from recoup_shared.auth import Authenticated, ClientSystem, Staff
from recoup_shared.vocabulary import Role

from ..context import Ctx
from ..settings import AUDIT_READERS, PLACEMENT_READERS, TEMPLATE_WRITERS

__all__ = ["AuditReader", "Authenticated", "ClientSystem", "Conn", "Context", "PlacementReader", "Staff",
           "TemplateWriter"]

Context = Annotated[Ctx, Depends(get_context)]
# A client system (its own placements: object check in the use case) or a staff reader.
PlacementReader = roles(Role.CLIENT, *PLACEMENT_READERS)
TemplateWriter = roles(*TEMPLATE_WRITERS)
AuditReader = roles(*AUDIT_READERS)
