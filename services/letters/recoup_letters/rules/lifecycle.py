"""What may happen to a batch in which state (R-32, R-33), and the template versions' states (R-27).

    queued ─▶ rendering ─▶ generated ─▶ approved ─▶ dispatched
                  │            ▲  (failed ─▶ queued: retry)
                  └──▶ failed ─┘
    anything before dispatched ─▶ revoked (its letters go back to be batched again)

A batch with an unresolved QC mismatch can be neither approved nor dispatched (R-32, issue 11).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BatchStatus(StrEnum):
    QUEUED = "queued"
    RENDERING = "rendering"
    GENERATED = "generated"
    FAILED = "failed"
    APPROVED = "approved"
    DISPATCHED = "dispatched"
    REVOKED = "revoked"


class VersionStatus(StrEnum):
    DRAFT = "draft"          # uploaded and valid, not yet approved by the client: unusable
    APPROVED = "approved"    # the one version letters use (at most one per template)
    RETIRED = "retired"      # replaced or withdrawn: readable, never used again


class Refused(Exception):
    """An action the state does not allow. `blocked`: refused by a QC mismatch (R-32)."""

    def __init__(self, detail: str, *, blocked: bool = False) -> None:
        super().__init__(detail)
        self.detail, self.blocked = detail, blocked


@dataclass(frozen=True, slots=True)
class QcState:
    open_mismatches: int = 0
    letters: int = 0          # letters still to go (not cancelled)
    matched: int = 0          # of those, with a QC match
    tracked: int = 0          # of those, with a tracking number


def _blocked(qc: QcState) -> None:
    if qc.open_mismatches:
        raise Refused(f"{qc.open_mismatches} unresolved envelope/letter mismatch(es) (R-32)", blocked=True)


def check_retry(status: BatchStatus) -> None:
    if status != BatchStatus.FAILED:
        raise Refused(f"only a failed batch is generated again (this one is {status})")


def check_approve(status: BatchStatus, qc: QcState) -> None:
    if status != BatchStatus.GENERATED:
        raise Refused(f"only a generated batch can be approved (this one is {status})")
    _blocked(qc)


def check_revoke(status: BatchStatus) -> None:
    if status in (BatchStatus.DISPATCHED, BatchStatus.REVOKED):
        raise Refused(f"a {status} batch cannot be revoked (R-33: revoke before dispatch)")


def check_scan(status: BatchStatus) -> None:
    if status not in (BatchStatus.GENERATED, BatchStatus.APPROVED):
        raise Refused(f"letters of a {status} batch are not at the envelope table")


def check_tracking(status: BatchStatus) -> None:
    if status not in (BatchStatus.GENERATED, BatchStatus.APPROVED, BatchStatus.DISPATCHED):
        raise Refused(f"tracking numbers are imported for printed batches (this one is {status})")


def check_dispatch(status: BatchStatus, qc: QcState, *, qc_required: bool, tracking_required: bool) -> None:
    """R-33 dispatch: approved, no open mismatch (R-32), every letter matched and tracked when the
    agency requires it (settings)."""
    if status != BatchStatus.APPROVED:
        raise Refused(f"only an approved batch is dispatched (this one is {status})")
    _blocked(qc)
    if qc.letters == 0:
        raise Refused("every letter of the batch was cancelled: revoke it instead")
    if qc_required and qc.matched < qc.letters:
        raise Refused(f"{qc.letters - qc.matched} of {qc.letters} letters have no QC match yet (R-32)")
    if tracking_required and qc.tracked < qc.letters:
        raise Refused(f"{qc.letters - qc.tracked} of {qc.letters} letters have no tracking number yet (R-33)")


def check_approve_version(status: VersionStatus) -> None:
    if status != VersionStatus.DRAFT:
        raise Refused(f"only a draft version takes an approval (this one is {status})")


def check_retire_version(status: VersionStatus) -> None:
    if status == VersionStatus.RETIRED:
        raise Refused("the version is already retired")
