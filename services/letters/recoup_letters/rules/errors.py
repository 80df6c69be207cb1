"""Problem classes of the letters service (one shared base: recoup_shared.errors.ServiceError).
Rules raise plain exceptions; use cases turn them into these, which the API renders as
problem+json."""

from __future__ import annotations

from recoup_shared.errors import Conflict, NotFound, ServiceError, UnprocessableInput


class CaseNotFound(NotFound):
    type, title = "case-not-found", "No such case"


class LetterNotFound(NotFound):
    type, title = "letter-not-found", "No such letter"


class BatchNotFound(NotFound):
    type, title = "batch-not-found", "No such batch"


class TemplateNotFound(NotFound):
    type, title = "template-not-found", "No such template or version"


class FileNotFound(NotFound):
    type, title = "file-not-found", "No such file"


class CheckCodeUnknown(NotFound):
    """R-32: a well-formed code that no letter carries (404, issue 11)."""
    type, title = "check-code-unknown", "No letter carries this check code"


class PlanningRunNotFound(NotFound):
    type, title = "planning-run-not-found", "No such planning run"


class ScanNotFound(NotFound):
    type, title = "qc-scan-not-found", "No such QC scan"


class SmsNotFound(NotFound):
    type, title = "sms-not-found", "No such text message"


class TemplateRejected(UnprocessableInput):
    """R-27: refused at upload, with every problem (line, code, message)."""
    type, title = "template-rejected", "The template is not acceptable"


class CheckCodeUnreadable(UnprocessableInput):
    type, title = "check-code-unreadable", "A scanned code failed its check character"


class ReturnReasonUnknown(UnprocessableInput):
    type, title = "return-reason-unknown", "Unknown return reason"


class TrackingFileRejected(UnprocessableInput):
    type, title = "tracking-file-rejected", "The tracking-number file cannot be used"


class ConfigInvalid(UnprocessableInput):
    type, title = "letter-config-invalid", "The letter configuration is not valid"


class ApprovalDocumentMismatch(UnprocessableInput):
    type, title = "approval-document-mismatch", "The document is not the one the approval names"


class LetterRefused(UnprocessableInput):
    """The rules say no (a third party, a blocked case, already sent...): `reason` says which."""
    type, title = "letter-refused", "The rules do not allow this letter"


class ReceiptsRejected(UnprocessableInput):
    type, title = "receipts-rejected", "Not a delivery-receipt document"


class StateConflict(Conflict):
    """The object is not in a state that allows the action (e.g. approving a revoked batch)."""
    type, title = "state-conflict", "Not allowed in the current state"


class BatchBlocked(Conflict):
    """R-32: an unresolved envelope/letter mismatch blocks the batch (issue 11)."""
    type, title = "batch-blocked", "The batch is blocked by a quality-control mismatch"


class CheckCodeVoid(Conflict):
    """The code belonged to a batch that was revoked: the sheet must be destroyed."""
    type, title = "check-code-void", "The check code is from a revoked batch"


class NothingToBatch(Conflict):
    type, title = "nothing-to-batch", "No planned letter matches"


class ReceiptUnauthorized(ServiceError):
    status, type, title = 401, "unauthorized", "Authentication required"
