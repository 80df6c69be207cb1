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

from recoup_shared.errors import Conflict, Forbidden, NotFound, ServiceError, Unauthorized, UnprocessableInput

__all__ = [
    "CaseNotFound",
    "CaseForbidden",
    "CaseNotWorkable",
    "NotFoundHere",
    "AlreadyDecided",
    "GateRefused",
    "BadSignature",
    "TelephonyFailed",
    "TelephonyOff",
    "FieldError",
    "ContactRuleError",
    "InvalidRecord",
    "InvalidPromise",
    "InvalidFollowUp",
    "InvalidConfig",
    "InvalidPolicy",
    "HoldLiftForbidden",
    "HoldConflict",
    "CorrectionRefused",
    "CorrectionForbidden",
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


class InvalidPolicy(ContactRuleError):
    """A contact-policy level that cannot be saved (overlapping or empty windows, a negative cap, an
    unknown rule, a key this level or this role may not set): nothing of it is saved."""
    type, title = "invalid-policy", "The contact policy is not valid"


class CorrectionRefused(ContactRuleError):
    # A permission/time rule rather than a malformed body: 403 when the actor may never correct
    # this record, 422 (the default) when the window passed or the body breaks a rule.
    type, title = "correction-refused", "The correction is not allowed"


class CorrectionForbidden(CorrectionRefused):
    """The actor may never correct this record (not its author, not a lead of the author's team)."""
    status = 403


def raise_if_any(errors: Iterable[FieldError], error_class: type[ContactRuleError] = ContactRuleError) -> None:
    errors = tuple(errors)
    if errors:
        raise error_class(errors)


# --- the service's problems (404 / 403 / 409 / 401 / 502 / 503) ------------------------------------

class CaseNotFound(NotFound):
    type, title = "case-not-found", "No such case"


class CaseForbidden(Forbidden):
    type, title = "case-forbidden", "This case belongs to another collector or team"


class CaseNotWorkable(Conflict):
    type, title = "case-not-workable", "The case is not being collected (paused, closed, recalled or withdrawn)"


class NotFoundHere(NotFound):
    """A record, contact point, call, dispute, complaint or claim that does not exist (or not on this case)."""
    type, title = "not-found", "Not found"


class AlreadyDecided(Conflict):
    type, title = "already-decided", "This was already decided"


class HoldLiftForbidden(Forbidden):
    """R-17, R-47, R-22: this role may not lift this hold (a dispute only on the client's instruction)."""
    type, title = "hold-lift-forbidden", "This role may not lift this hold"


class HoldConflict(Conflict):
    type, title = "hold-conflict", "The hold cannot be changed this way"


class GateRefused(ServiceError):
    """The contact policy refuses the dial or the logged attempt (R-14..R-18, R-47). The refusal is
    recorded in the same transaction, which commits (`keeps_writes`): the collector's screen shows
    the reasons and `next_allowed`, and quality inspection counts refusals (R-48)."""

    status, type, title = 409, "contact-refused", "The contact policy refuses this contact now"
    keeps_writes = True

    def __init__(self, decision: dict, refusal_id: str) -> None:
        rules = ", ".join(r["rule"] for r in decision["reasons"])
        super().__init__(f"refused: {rules}", refusal_id=refusal_id, reasons=decision["reasons"],
                         notices=decision["notices"], next_allowed=decision["next_allowed"],
                         zones=decision["zones"], policy_fingerprint=decision["policy_fingerprint"])


class BadSignature(Unauthorized):
    type, title = "bad-signature", "The webhook signature is missing, stale or wrong"


class TelephonyFailed(ServiceError):
    status, type, title = 502, "telephony-failed", "The telephony system did not place the call"


class TelephonyOff(ServiceError):
    status, type, title = 503, "telephony-off", "Telephony is not configured"
