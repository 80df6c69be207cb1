"""Domain errors of field visits, as problem+json classes (one shared ServiceError model).

The rules raise them; the service's exception handler renders them, so a use case never has to
translate. `type` slugs are stable: the console and the tests match on them.
"""

from __future__ import annotations

from recoup_shared.errors import Conflict, Forbidden, NotFound, PayloadTooLarge, UnprocessableInput


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


# --- the service: objects, authorisation, compliance --------------------------------------------

class CaseNotFound(NotFound):
    type, title = "case-not-found", "No such case in fieldops"


class VisitNotFound(NotFound):
    type, title = "visit-not-found", "No such visit"


class TeamNotFound(NotFound):
    type, title = "field-team-not-found", "No such field team"


class AgentNotFound(NotFound):
    type, title = "field-agent-not-found", "No such field agent"


class NotYourCase(Forbidden):
    """R-34 / OWASP API1: a collector requests visits only for the cases they own."""
    type, title = "not-your-case", "This case is not yours"


class NotAllowed(Forbidden):
    """The user's role is right, but not for this object (another team's visit, not on the visit)."""
    type, title = "visit-not-allowed", "Not allowed for this visit"


class NotThisApprover(Forbidden):
    """R-34: the field manager's approval needs a field manager, the phone manager's the manager of
    the collector's team (README: how the roles map to R-45)."""
    type, title = "visit-not-this-approver", "You cannot give this approval"


class AddressNotOnCase(UnprocessableInput):
    """R-34: the target address is chosen from the case's addresses."""
    type, title = "address-not-on-case", "The address is not one of the case's addresses"


class CaseNotCollectable(Conflict):
    """R-13: a closed, recalled or paused case gets no visit."""
    type, title = "case-not-collectable", "The case is closed, recalled or paused"


class VisitAlreadyOpen(Conflict):
    """One open request per case and address: a second one would be visited twice."""
    type, title = "visit-already-open", "An open visit exists for this address"


class InvalidRecord(UnprocessableInput):
    """R-37: a visit record whose parts do not fit together (every problem listed)."""
    type, title = "visit-record-invalid", "The visit record is not valid"


class VisitRefused(Conflict):
    """R-14/R-15/R-16/R-17/R-36: the compliance engine refuses the visit at this moment; the
    refusal is recorded with its reasons (GET /v1/compliance/refusals)."""
    type, title = "visit-refused-by-compliance", "The visit is refused by the compliance rules"


class PlanDayOutOfRange(UnprocessableInput):
    type, title = "plan-day-out-of-range", "Plans are made from yesterday to a few days ahead"


class TimeOutOfRange(UnprocessableInput):
    """A marked time in the future, or far from the planned day."""
    type, title = "visit-time-out-of-range", "The time given is not plausible for this visit"
