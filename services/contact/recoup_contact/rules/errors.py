"""Rule errors: plain exceptions carrying field-level reasons, free of any web framework.

The service turns a `ContactRuleError` into problem+json (status, type slug, title, `errors`) with
one mapping; rules never import FastAPI. Each `FieldError` renders as ``{"field", "reason"}`` (plus
``"allowed"`` when the rule knows the permitted values, e.g. a client's codes).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FieldError",
    "ContactRuleError",
    "InvalidRecord",
    "InvalidPromise",
    "InvalidFollowUp",
    "InvalidConfig",
    "CorrectionRefused",
    "raise_if_any",
]


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str                        # dotted path into the submitted object, e.g. "promise.instalments[1].due_on"
    reason: str                       # human text; never contains personal data
    allowed: tuple[str, ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "reason": self.reason}
        if self.allowed is not None:
            out["allowed"] = list(self.allowed)
        return out

    def under(self, prefix: str) -> FieldError:
        """The same error nested under `prefix` (e.g. a promise inside a contact record)."""
        field = f"{prefix}{self.field}" if self.field.startswith("[") else f"{prefix}.{self.field}"
        return FieldError(field, self.reason, self.allowed)


class ContactRuleError(ValueError):
    """Input or configuration that breaks a contact rule; `errors` says which field and why."""

    status = 422
    problem_type = "validation-error"
    title = "The request is not valid"

    def __init__(self, errors: Iterable[FieldError], detail: str | None = None) -> None:
        self.errors = tuple(errors)
        self.detail = detail or "; ".join(f"{e.field}: {e.reason}" for e in self.errors) or self.title
        super().__init__(self.detail)

    def error_dicts(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.errors]


class InvalidRecord(ContactRuleError):
    problem_type = "invalid-contact-record"
    title = "The contact record is not valid"


class InvalidPromise(ContactRuleError):
    problem_type = "invalid-promise"
    title = "The promise is not valid"


class InvalidFollowUp(ContactRuleError):
    problem_type = "invalid-follow-up"
    title = "The follow-up date is not allowed for this status"


class InvalidConfig(ContactRuleError):
    problem_type = "invalid-contact-config"
    title = "The client's contact configuration is not valid"


class CorrectionRefused(ContactRuleError):
    # Not a malformed body but a permission/time rule: the service may answer 403 or 409; 422 by
    # default because the same body could be valid for another actor or earlier.
    problem_type = "correction-refused"
    title = "The correction is not allowed"


def raise_if_any(errors: Iterable[FieldError], error_class: type[ContactRuleError] = ContactRuleError) -> None:
    errors = tuple(errors)
    if errors:
        raise error_class(errors)
