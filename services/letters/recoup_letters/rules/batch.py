"""Batch maths (R-33): the preview the clerk approves, and the order and sequence numbers of the
letters in the print files and the post office's manifest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import MailClass, PlannedLetter, Skipped


@dataclass(frozen=True, slots=True)
class BatchPreview:
    total: int
    by_type: dict[str, int]
    by_mail_class: dict[str, int]
    by_province: dict[str, int]
    by_type_and_class: dict[str, dict[str, int]]
    skipped: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    resends: int = 0
    callback_replacements: int = 0     # due letters replaced by the call-back notice


def _sorted(counter: Counter) -> dict[str, int]:
    # largest first, then by name: a stable order for the screen and for tests
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def preview(items: Iterable[PlannedLetter | Skipped]) -> BatchPreview:
    """Counts by letter type, mail class and province (one pass; the items may be a generator)."""
    by_type: Counter = Counter()
    by_class: Counter = Counter()
    by_province: Counter = Counter()
    pairs: dict[str, Counter] = {}
    skipped: Counter = Counter()
    total = resends = replacements = 0
    for item in items:
        if isinstance(item, Skipped):
            skipped[item.reason.value if item.block is None else f"{item.reason.value}:{item.block.value}"] += 1
            continue
        total += 1
        t, c = item.letter_type.value, item.mail_class.value
        by_type[t] += 1
        by_class[c] += 1
        by_province[item.province] += 1
        pairs.setdefault(t, Counter())[c] += 1
        resends += item.resend_of is not None
        replacements += item.due_type is not None
    return BatchPreview(total, _sorted(by_type), _sorted(by_class), _sorted(by_province),
                        {t: _sorted(c) for t, c in sorted(pairs.items())},
                        sum(skipped.values()), _sorted(skipped), resends, replacements)


_CLASS_ORDER = {MailClass.REGISTERED: 0, MailClass.EXPRESS: 1}


def sequence_key(mail_class: str, postcode: str | None, province: str | None, city: str | None,
                 district: str | None, case_id: str, recipient_id: str, letter_type: str) -> tuple:
    """Post offices sort by postcode: registered and express apart, then postcode, region, case.
    The case and recipient close the key so the order is total and repeatable."""
    return (_CLASS_ORDER[MailClass(mail_class)], postcode or "999999", province or "", city or "",
            district or "", case_id, recipient_id, letter_type)


def dispatch_key(letter: PlannedLetter) -> tuple:
    a = letter.address
    return sequence_key(letter.mail_class, a.postcode, a.province, a.city, a.district, letter.case_id,
                        letter.recipient.party_id, letter.letter_type.value)


def in_dispatch_order(letters: Iterable[PlannedLetter]) -> list[PlannedLetter]:
    return sorted(letters, key=dispatch_key)


def numbered(letters: Iterable[PlannedLetter], start: int = 1) -> Iterator[tuple[int, PlannedLetter]]:
    """Sequence numbers 1..n: printed on each letter and envelope, the manifest's first column,
    and the key of the tracking-number import."""
    return enumerate(in_dispatch_order(letters), start)
