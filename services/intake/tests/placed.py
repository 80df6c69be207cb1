"""A realistic placement validated and identified, ready for the CPU steps of an import (shared
by the store and use-case tests)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from recoup_intake.rules.model import Identified, PlacementInfo
from recoup_intake.rules.validation import validate_cases
from recoup_intake.usecases.placements.prepare import identify
from recoup_local.demo import make_placement
from recoup_shared.crypto import Protector


def prepared(protector: Protector, n: int = 20, **kw: Any) -> tuple[dict[str, Any], PlacementInfo, list[Identified]]:
    body = make_placement(n, seed=5, **kw)
    placed_on = date.fromisoformat(body["placed_on"])
    result = validate_cases(body["cases"], placed_on=placed_on, today=placed_on)
    info = PlacementInfo("bank-1", str(uuid.uuid4()), body["placement_ref"], body["product"], placed_on,
                         date.fromisoformat(body["recall_on"]))
    return body, info, identify(result.valid, protector)
