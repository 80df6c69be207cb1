"""Policy levels and their validation: all or nothing, every error with its field path.

A level is what one scope sets — the agency (system), a client, a placement, a case — and nothing
else: partial by design. It is validated as a whole; a level with any error is refused with the full
list of {field, reason} (the API answers 422 with it) and nothing of it is kept.

Input may be nested JSON ({"caps": {"visits_per_day": 1}}) or flat dotted keys ({"caps.visits_per_day":
1}); the stored form is flat, canonical and JSON-ready (`PolicyLevel.model_dump(mode="json")`).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from .keys import FieldError, is_branch, spec_for
from .model import LevelKind

STORABLE_LEVELS = (LevelKind.SYSTEM, LevelKind.CLIENT, LevelKind.PLACEMENT, LevelKind.CASE)


class PolicyInvalid(ValueError):
    """A level that cannot be saved. `errors` is [{field, reason}], the problem+json shape."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['reason']}" for e in errors[:5]))
        self.errors = errors


def _flatten(raw: Mapping[str, Any], errors: list[dict[str, str]]) -> dict[str, Any]:
    flat: dict[str, Any] = {}

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for k, v in node.items():
            if not isinstance(k, str) or not k:
                errors.append({"field": prefix or "values", "reason": "keys must be non-empty strings"})
                continue
            path = f"{prefix}.{k}" if prefix else k
            if spec_for(path) is not None:
                if path in flat:
                    errors.append({"field": path, "reason": "set twice"})
                flat[path] = v
            elif isinstance(v, Mapping) and is_branch(path):
                walk(v, path)
            else:
                errors.append({"field": path, "reason": "unknown rule or key"})

    walk(raw, "")
    return flat


def check_values(raw: Mapping[str, Any], kind: LevelKind | None) -> tuple[dict[str, Any], list[dict]]:
    """(canonical flat values, errors). `kind=None` skips the level check (presets)."""
    errors: list[dict[str, str]] = []
    if not isinstance(raw, Mapping):
        return {}, [{"field": "values", "reason": "must be an object"}]
    flat = _flatten(raw, errors)
    out: dict[str, Any] = {}
    for key in sorted(flat):
        spec = spec_for(key)
        assert spec is not None
        if kind is not None and kind not in spec.levels:
            allowed = ", ".join(lv.value for lv in STORABLE_LEVELS if lv in spec.levels)
            errors.append({"field": key, "reason": f"cannot be set at the {kind.value} level "
                                                   f"(only: {allowed})"})
            continue
        value = flat[key]
        if value is None:
            if not spec.nullable:
                errors.append({"field": key, "reason": "may not be null"})
            else:
                out[key] = None
            continue
        try:
            out[key] = spec.check(value)
        except FieldError as e:
            errors.append({"field": key + e.sub, "reason": e.reason})
    return out, errors


class PolicyLevel(BaseModel):
    """One scope's partial policy. Build it with `validate_level` (API input) or `PolicyLevel.
    model_validate` (stored JSON, validated again); `stored()` trusts values this service validated."""
    model_config = ConfigDict(frozen=True)

    kind: LevelKind
    scope: str | None = None        # client id, placement id or case id
    version: int | None = None
    values: dict[str, Any] = {}

    @model_validator(mode="before")
    @classmethod
    def _validate(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "values" in data:
            kind = LevelKind(data.get("kind"))
            values, errors = check_values(data["values"], kind)
            if errors:
                raise ValueError(PolicyInvalid(errors).args[0])
            data = {**data, "values": values}
        return data

    @classmethod
    def stored(cls, kind: LevelKind | str, values: dict[str, Any], *, scope: str | None = None,
               version: int | None = None) -> PolicyLevel:
        """Without re-validation: for levels read back from the service's own table (validated when
        saved) on the hot path of the gate."""
        return cls.model_construct(kind=LevelKind(kind), scope=scope, version=version, values=values)

    def with_values(self, values: dict[str, Any], version: int | None = None) -> PolicyLevel:
        return validate_level(values, self.kind, scope=self.scope,
                              version=self.version if version is None else version)

    def nested(self) -> dict[str, Any]:
        """The values as nested JSON, for people."""
        out: dict[str, Any] = {}
        for key, value in self.values.items():
            node = out
            *parents, leaf = key.split(".")
            for p in parents:
                node = node.setdefault(p, {})
            node[leaf] = value
        return out


def validate_level(raw: Mapping[str, Any], kind: LevelKind | str, *, scope: str | None = None,
                   version: int | None = None) -> PolicyLevel:
    """The one entry for a level from outside: raises PolicyInvalid with every error, or returns it."""
    if kind not in set(STORABLE_LEVELS):
        raise PolicyInvalid([{"field": "kind", "reason": "must be system, client, placement or case"}])
    kind = LevelKind(kind)
    values, errors = check_values(raw, kind)
    if errors:
        raise PolicyInvalid(errors)
    return PolicyLevel.model_construct(kind=kind, scope=scope, version=version, values=values)
