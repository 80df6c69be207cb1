"""Problem classes of the contact rules (one shared base: recoup_shared.errors.ServiceError), each
carrying field-level reasons.

A rule reports `FieldError`s; raising one of these classes makes the service's one exception
handler answer 422 application/problem+json with ``errors: [{"field", "reason"[, "allowed"]}]`` —
no mapping code in the service. `field_errors` keeps the typed reasons for callers and tests.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from recoup_shared.errors import UnprocessableInput

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


class ContactRuleError(UnprocessableInput):
    """Input or configuration that breaks a contact rule; `field_errors` says which field and why."""

    type, title = "validation-error", "The request is not valid"

    def __init__(self, errors: Iterable[FieldError], detail: str | None = None) -> None:
        self.field_errors = tuple(errors)
        detail = detail or "; ".join(f"{e.field}: {e.reason}" for e in self.field_errors) or None
        super().__init__(detail, errors=[e.as_dict() for e in self.field_errors])


class InvalidRecord(ContactRuleError):
    type, title = "invalid-contact-record", "The contact record is not valid"


class InvalidPromise(ContactRuleError):
    type, title = "invalid-promise", "The promise is not valid"


class InvalidFollowUp(ContactRuleError):
    type, title = "invalid-follow-up", "The follow-up date is not allowed for this status"


class InvalidConfig(ContactRuleError):
    type, title = "invalid-contact-config", "The client's contact configuration is not valid"


class CorrectionRefused(ContactRuleError):
    # A permission/time rule rather than a malformed body: 403 when the actor may never correct
    # this record, 422 (the default) when the window passed or the body breaks a rule.
    type, title = "correction-refused", "The correction is not allowed"


def raise_if_any(errors: Iterable[FieldError], error_class: type[ContactRuleError] = ContactRuleError) -> None:
    errors = tuple(errors)
    if errors:
        raise error_class(errors)
