"""One client's contact configuration: every number the contact rules use, with the domain's values
as defaults (R-20, R-21, R-22, R-23, R-24, R-47).

Stored as jsonb (`cfg.model_dump(mode="json")`) and read back with `ContactConfig.model_validate`;
a client stores only what it changes — missing keys take the defaults. `config_errors` turns a
submitted document's problems into field errors for problem+json.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .cadence import CadenceConfig
from .complaints import ComplaintPolicy
from .errors import FieldError, InvalidConfig
from .followup import FollowUpConfig
from .model import ConfigModel
from .phones import DiallingPolicy
from .promises import PromiseConfig
from .records import CorrectionConfig
from .worklist import ColourThresholds, ReminderConfig

__all__ = ["ContactConfig", "config_errors", "load_config"]


class ContactConfig(ConfigModel):
    follow_up: FollowUpConfig = FollowUpConfig()
    cadence: CadenceConfig = CadenceConfig()
    promises: PromiseConfig = PromiseConfig()
    colours: ColourThresholds = ColourThresholds()
    reminders: ReminderConfig = ReminderConfig()
    dialling: DiallingPolicy = DiallingPolicy()
    corrections: CorrectionConfig = CorrectionConfig()
    complaints: ComplaintPolicy = ComplaintPolicy()


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "config"


def config_errors(data: Mapping[str, Any]) -> list[FieldError]:
    """Field errors of a submitted configuration document (empty: valid)."""
    try:
        ContactConfig.model_validate(data)
    except ValidationError as exc:
        return [FieldError(_dotted(tuple(e["loc"])), e["msg"].removeprefix("Value error, "))
                for e in exc.errors()]
    return []


def load_config(data: Mapping[str, Any] | None) -> ContactConfig:
    """The configuration from its jsonb document; `InvalidConfig` with field errors if it is invalid."""
    if not data:
        return ContactConfig()
    errors = config_errors(data)
    if errors:
        raise InvalidConfig(errors)
    return ContactConfig.model_validate(data)
