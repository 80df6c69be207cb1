"""Per-client letter configuration with the domain values as defaults (domain.md: numbers are
configuration). Stored per client by the service (JSON); the rules receive it as an argument."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .model import LetterType

SCHEDULE_TYPES = (LetterType.FIRST_REMINDER, LetterType.SECOND_REMINDER, LetterType.FINAL_REMINDER,
                  LetterType.LAWYER)


class ScheduleStep(BaseModel):
    model_config = ConfigDict(frozen=True)
    dpd: int = Field(ge=1, le=3650)
    letter_type: LetterType


# first reminder 10 DPD, second 20, final 35, lawyer's letter 60 (seeds: 首次10dpd、二次20dpd、
# 最终35dpd, 律师信函 60dpd).
DEFAULT_SCHEDULE = (
    ScheduleStep(dpd=10, letter_type=LetterType.FIRST_REMINDER),
    ScheduleStep(dpd=20, letter_type=LetterType.SECOND_REMINDER),
    ScheduleStep(dpd=35, letter_type=LetterType.FINAL_REMINDER),
    ScheduleStep(dpd=60, letter_type=LetterType.LAWYER),
)

# Return reasons that say the address does not reach the debtor. 拒收 (refused) and 逾期未领
# (unclaimed) prove someone is there: the address stays usable and nothing is re-sent.
DEFAULT_INVALIDATING_RETURNS = frozenset({"address_unknown", "no_such_person", "moved", "deceased", "other"})


class ClientLetterConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    client_id: str | None = None
    # The client's name as its letters print it (委托方); the client id when unset.
    client_name: str | None = Field(default=None, max_length=100)
    # Which letter types the client has approved templates for and wants.
    wanted_types: frozenset[LetterType] = frozenset(LetterType)
    # the DPD schedule applies only where the client asks for it.
    schedule_enabled: bool = False
    schedule: tuple[ScheduleStep, ...] = DEFAULT_SCHEDULE
    # R-28 "new cases of the month": the notice is due within this many days of placement.
    notice_window_days: int = Field(default=31, ge=1, le=366)
    # R-29 "express courier for large amounts": the domain gives no figure; the client sets it.
    express_threshold: Decimal = Field(default=Decimal("20000.00"), ge=0, max_digits=18, decimal_places=2)
    # R-29 "or addresses already proven valid" (verified in collection, or delivered before).
    express_for_proven_address: bool = True
    # types a jointly liable guarantor gets as well (none unless the client asks).
    guarantor_types: frozenset[LetterType] = frozenset()
    # Case flags that stop letters (R-31 cancellation; contracts.md flag vocabulary).
    dispute_flags: frozenset[str] = frozenset({"dispute", "fraud_claim", "stolen_card"})
    do_not_contact_flags: frozenset[str] = frozenset({"do_not_contact"})
    # a returned letter is re-sent automatically this many times (domain: once).
    resend_limit: int = Field(default=1, ge=0, le=10)
    invalidating_returns: frozenset[str] = DEFAULT_INVALIDATING_RETURNS

    @field_validator("schedule")
    @classmethod
    def _schedule_ordered(cls, steps: tuple[ScheduleStep, ...]) -> tuple[ScheduleStep, ...]:
        dpds = [s.dpd for s in steps]
        if dpds != sorted(set(dpds)):
            raise ValueError("schedule steps must have strictly increasing DPD")
        types = [s.letter_type for s in steps]
        if len(set(types)) != len(types):
            raise ValueError("a letter type may appear only once in the schedule")
        bad = [t for t in types if t not in SCHEDULE_TYPES]
        if bad:
            raise ValueError(f"not a scheduled letter type: {', '.join(bad)}")
        return steps

    @model_validator(mode="after")
    def _guarantor_types_wanted(self) -> "ClientLetterConfig":
        if LetterType.CALLBACK_NOTICE in self.guarantor_types:
            raise ValueError("the call-back notice goes to the debtor only")
        return self

    def step_index(self, letter_type: LetterType) -> int | None:
        for i, step in enumerate(self.schedule):
            if step.letter_type == letter_type:
                return i
        return None
