"""Contact records (催记): what counts as effective, what a result does to a contact point, the R-15
cap counts of a record, and corrections of append-only records.

Corrections (decisions; the issue only says "a new record that references the old one, with a
reason"):
- a correction references the original record, never another correction (one level, so the record
  in force is always "the original's latest correction");
- the author may correct within `author_days`, a team lead of the author's team or a supervisor
  within `lead_days` (calendar days from the original's recorded_at) — long enough for the weekly
  quality inspection (R-48) to have its findings corrected;
- an original is corrected at most `max_per_record` times (default 1): the record must match the
  recording (R-19), and repeated rewriting is itself something inspection should see;
- the channel and the call a record belongs to never change (they come from the telephony side);
- a promise already judged kept or broken is not changed by a correction (its outcome was emitted);
- the reason is required (at least `min_reason_chars` characters).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from pydantic import Field, model_validator
from recoup_shared.vocabulary import Role

from .errors import FieldError
from .model import CALL_CHANNELS, Channel, ConfigModel, PointState, Result
from .promises import PromiseState

__all__ = [
    "CONVERSATION_RESULTS",
    "is_effective",
    "CapCount",
    "cap_count",
    "point_state_after",
    "CorrectionConfig",
    "RecordRef",
    "CorrectionDraft",
    "check_correction",
    "records_in_force",
]


# A conversation took place with the person the call was for.
CONVERSATION_RESULTS = frozenset({Result.CONNECTED, Result.CALLBACK_REQUESTED, Result.DO_NOT_CALL_REQUESTED})


def is_effective(channel: Channel, result: Result) -> bool:
    """R-15 / R-20: an effective contact is a conversation on a call or a meeting on a visit.
    SMS and letters reach nobody for sure; wrong party, refused, hung up are attempts only."""
    if channel in CALL_CHANNELS:
        return result in CONVERSATION_RESULTS
    return channel is Channel.VISIT and result is Result.VISIT_MET


@dataclass(frozen=True, slots=True)
class CapCount:
    attempts: int = 0          # at most 10 call attempts per case per day
    effective_calls: int = 0   # at most 3 effective calls
    visits: int = 0            # at most 2 field visits


def cap_count(channel: Channel, result: Result, *, requested_by_debtor: bool = False) -> CapCount:
    """What one record adds to the R-15 daily caps. The debtor calling in, or a call-back the debtor
    asked for, is exempt (R-15)."""
    if channel is Channel.VISIT:
        return CapCount(visits=1)
    if channel is not Channel.OUTBOUND_CALL or requested_by_debtor:
        return CapCount()
    return CapCount(attempts=1, effective_calls=int(result in CONVERSATION_RESULTS))


_DEAD_LINE = frozenset({PointState.EMPTY_NUMBER, PointState.SUSPENDED, PointState.SWITCHED_OFF})
_SETS = {
    Result.CONNECTED: PointState.VALID,
    Result.CALLBACK_REQUESTED: PointState.VALID,
    Result.DO_NOT_CALL_REQUESTED: PointState.DO_NOT_CALL,
    Result.EMPTY_NUMBER: PointState.EMPTY_NUMBER,
    Result.SUSPENDED: PointState.SUSPENDED,
    Result.SWITCHED_OFF: PointState.SWITCHED_OFF,
    Result.WRONG_PARTY: PointState.WRONG_PARTY,
    Result.VISIT_MET: PointState.VALID,
    Result.LETTER_RETURNED: PointState.UNDELIVERABLE,
    Result.VISIT_ADDRESS_INVALID: PointState.UNDELIVERABLE,
}
# The line rang or someone picked up: it is live, whoever owns it.
_LIVE = frozenset({Result.NO_ANSWER, Result.BUSY, Result.REFUSED, Result.HUNG_UP})


def point_state_after(current: PointState, result: Result) -> PointState:
    """The contact point's state after a record with `result` on it.

    DO_NOT_CALL is never lifted by a result (R-18: not called again) — only by an explicit, audited
    staff action outside these rules; nor is INVALID (a malformed number, R-4: never dialled). A
    number that rings again leaves 空号/停机/关机 for UNKNOWN; SMS results and "letter sent" say
    nothing about the point."""
    if current in (PointState.DO_NOT_CALL, PointState.INVALID):
        return current
    if result in _SETS:
        return _SETS[result]
    if result in _LIVE and current in _DEAD_LINE:
        return PointState.UNKNOWN
    return current


class CorrectionConfig(ConfigModel):
    author_days: int = Field(default=2, ge=0, le=30)
    lead_days: int = Field(default=7, ge=0, le=60)
    max_per_record: int = Field(default=1, ge=1, le=5)
    min_reason_chars: int = Field(default=5, ge=1, le=200)

    @model_validator(mode="after")
    def _lead_not_shorter(self) -> CorrectionConfig:
        if self.lead_days < self.author_days:
            raise ValueError("lead_days must be >= author_days")
        return self


@dataclass(frozen=True, slots=True)
class RecordRef:
    """What the correction rules need of a stored record."""

    id: str
    author_id: str
    author_team_id: str | None
    recorded_at: datetime
    channel: Channel
    call_id: str | None = None
    corrects: str | None = None                 # set on corrections
    promise_state: PromiseState | None = None   # the state of the promise the record carries, if any


@dataclass(frozen=True, slots=True)
class CorrectionDraft:
    corrects: str
    reason: str
    channel: Channel
    call_id: str | None = None
    changes_promise: bool = False


def check_correction(original: RecordRef, draft: CorrectionDraft, *, actor_id: str, actor_roles: Iterable[str],
                     actor_team_id: str | None, now: datetime, corrections_so_far: int,
                     cfg: CorrectionConfig) -> list[FieldError]:
    """Whether `actor` may correct `original` now (see the module docstring); field errors if not."""
    errors: list[FieldError] = []
    if original.corrects is not None:
        errors.append(FieldError("corrects", "correct the original record, not a correction"))
    if len((draft.reason or "").strip()) < cfg.min_reason_chars:
        errors.append(FieldError("reason", f"a reason of at least {cfg.min_reason_chars} characters is required"))
    if corrections_so_far >= cfg.max_per_record:
        errors.append(FieldError("corrects", f"this record was already corrected {corrections_so_far} time(s)"))
    if draft.channel is not original.channel:
        errors.append(FieldError("channel", "the channel of a record cannot be corrected"))
    if draft.call_id != original.call_id:
        errors.append(FieldError("call_id", "the call a record belongs to cannot be corrected (R-19)"))
    if draft.changes_promise and original.promise_state in (PromiseState.KEPT, PromiseState.BROKEN):
        errors.append(FieldError("promise", "the promise was already judged; it cannot be corrected"))
    errors += _permission(original, actor_id, frozenset(actor_roles), actor_team_id, now, cfg)
    return errors


def _permission(original: RecordRef, actor_id: str, roles: frozenset[str], team_id: str | None,
                now: datetime, cfg: CorrectionConfig) -> list[FieldError]:
    age = now - original.recorded_at
    lead = Role.SUPERVISOR in roles or (Role.TEAM_LEAD in roles and team_id is not None
                                        and team_id == original.author_team_id)
    if lead and age <= timedelta(days=cfg.lead_days):
        return []
    if actor_id == original.author_id and age <= timedelta(days=cfg.author_days):
        return []
    if actor_id != original.author_id and not lead:
        return [FieldError("corrects", "only the author or a lead of the author's team may correct a record")]
    days = cfg.lead_days if lead else cfg.author_days
    return [FieldError("corrects", f"records can be corrected within {days} days only")]


class _Versioned(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def corrects(self) -> str | None: ...
    @property
    def recorded_at(self) -> datetime: ...


_R = TypeVar("_R", bound=_Versioned)


def records_in_force(records: Sequence[_R]) -> list[_R]:
    """The records that count (for R-15 caps, R-20 last effective contact, reports): each original
    replaced by its latest correction, in the originals' order."""
    latest: dict[str, _R] = {}
    for r in records:
        if r.corrects is not None:
            seen = latest.get(r.corrects)
            if seen is None or r.recorded_at >= seen.recorded_at:
                latest[r.corrects] = r
    return [latest.get(r.id, r) for r in records if r.corrects is None]
