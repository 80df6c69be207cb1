"""Quality inspection (质检, R-48): what inspectors find, how large the weekly sample is, which week
is sampled, and violations counted per collector per month — from the inspectors' findings (R-18,
R-19, R-49), the gate's refusals (R-14..R-18: what a collector tried and the engine stopped) and the
telephony mismatches (R-19: a record that does not match its call)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from .errors import FieldError


class FindingKind(StrEnum):
    RECORD_MISMATCH = "record_mismatch"                  # the record does not match the recording
    THIRD_PARTY_DISCLOSURE = "third_party_disclosure"    # the debt told to a contact person
    ABUSIVE_LANGUAGE = "abusive_language"                # abusive or threatening words
    IMPERSONATION = "impersonation"                      # posing as police, a court or the bank
    UNAUTHORISED_WAIVER = "unauthorised_waiver"          # a waiver promised without the client
    OTHER = "other"


class Verdict(StrEnum):
    PASSED = "passed"
    FAILED = "failed"


def sample_size(records: int, rate: float, minimum: int) -> int:
    """R-48: a share of a collector's records of the week, never fewer than `minimum` (every collector
    who worked is represented), never more than they made. The job's SQL computes the same."""
    if records <= 0:
        return 0
    return min(records, max(minimum, int(-(-(records * rate) // 1))))   # ceil, as the SQL's


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_to_sample(today: date) -> date:
    """The last full week (Monday) before `today` in the business zone."""
    return week_start(today) - timedelta(days=7)


def month_range(month: str) -> tuple[date, date]:
    """"YYYY-MM" -> [first day, first day of the next month)."""
    year, _, mon = (month or "").partition("-")
    if not (len(year) == 4 and len(mon) == 2 and year.isdigit() and mon.isdigit()) \
            or not 1 <= int(mon) <= 12 or not 2000 <= int(year) <= 2999:
        raise ValueError("month must be YYYY-MM")
    first = date(int(year), int(mon), 1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt


def verdict_errors(verdict: Verdict, kinds: list[FindingKind], notes: list[str | None]) -> list[FieldError]:
    errors = []
    if verdict is Verdict.FAILED and not kinds:
        errors.append(FieldError("findings", "a failed inspection names at least one finding"))
    if verdict is Verdict.PASSED and kinds:
        errors.append(FieldError("verdict", "findings make the inspection failed"))
    errors += [FieldError(f"findings[{i}].note", "say what was found for 'other'")
               for i, (k, n) in enumerate(zip(kinds, notes)) if k is FindingKind.OTHER and not (n or "").strip()]
    return errors


@dataclass
class CollectorViolations:
    collector_id: str
    findings: dict[str, int] = field(default_factory=dict)
    refusals: dict[str, int] = field(default_factory=dict)     # by rule id (one refusal may name several)
    mismatches: dict[str, int] = field(default_factory=dict)
    refused_attempts: int = 0

    @property
    def total(self) -> int:
        """Each finding, each refused attempt, each mismatch counts once."""
        return sum(self.findings.values()) + self.refused_attempts + sum(self.mismatches.values())


def fold_violations(rows: Iterable[tuple[str, str, str, int]]) -> list[CollectorViolations]:
    """(collector_id, source, kind, count) with source finding | refusal | refused | mismatch ->
    per collector, most violations first."""
    out: dict[str, CollectorViolations] = {}
    for collector, source, kind, n in rows:
        v = out.setdefault(collector, CollectorViolations(collector))
        if source == "refused":
            v.refused_attempts += n
        else:
            bucket = {"finding": v.findings, "refusal": v.refusals, "mismatch": v.mismatches}[source]
            bucket[kind] = bucket.get(kind, 0) + n
    return sorted(out.values(), key=lambda v: (-v.total, v.collector_id))
