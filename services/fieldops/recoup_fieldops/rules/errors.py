"""Domain errors of field visits, as problem+json classes (one shared ServiceError model).

The rules raise them; the service's exception handler renders them, so a use case never has to
translate. `type` slugs are stable: the console and the tests match on them.
"""

from __future__ import annotations

from recoup_shared.errors import Conflict, NotFound, PayloadTooLarge, UnprocessableInput


class IllegalTransition(Conflict):
    """R-34: the action does not apply to the visit's current state (e.g. planning a rejected one)."""
    type, title = "visit-illegal-transition", "The visit is not in a state that allows this"


class AlreadyDecided(Conflict):
    """R-34: the same manager role approves or rejects a second time."""
    type, title = "visit-already-decided", "This approval has already been given"


class SameApprover(Conflict):
    """R-34: the two approvals are four eyes; one person cannot give both."""
    type, title = "visit-same-approver", "The second approval must come from another person"


class MissingText(UnprocessableInput):
    """R-34: a request needs a reason, an approval a comment, a rejection a reason."""
    type, title = "visit-text-required", "A reason or comment is required"


class TooFewAgents(UnprocessableInput):
    """R-36: at least two agents per visit."""
    type, title = "visit-too-few-agents", "A visit needs at least two agents"


class WrongDay(Conflict):
    """R-34: an agent marks arrival at a visit planned for another day."""
    type, title = "visit-wrong-day", "The visit is not planned for this day"


class ChecksumMismatch(UnprocessableInput):
    """R-37: the evidence's SHA-256 computed on arrival differs from the declared one."""
    type, title = "evidence-checksum-mismatch", "The evidence does not match its declared SHA-256"


class EvidenceTooLarge(PayloadTooLarge):
    """R-37: the evidence file is over the configured size limit (the API answers 413)."""
    type, title = "evidence-too-large", "The evidence file is over the size limit"


class RetentionActive(Conflict):
    """R-37: evidence is kept at least five years; deletion before its retain-until is refused."""
    type, title = "evidence-retention-active", "The evidence is under retention and cannot be deleted"


class EvidenceExists(Conflict):
    """R-37: another object is already stored under this key (evidence is never overwritten)."""
    type, title = "evidence-exists", "Other evidence is already stored under this key"


class InvalidEvidence(UnprocessableInput):
    """R-37: a malformed key, declared checksum, or a retention shorter than the minimum."""
    type, title = "evidence-invalid", "The evidence request is not valid"


class EvidenceNotFound(NotFound):
    type, title = "evidence-not-found", "No evidence is stored under this key"
