"""Who gets which letter on a day (R-28..R-30), letters requested by the clerk (R-26), and the
cancellation of letters not yet dispatched (R-31)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .addresses import case_block, choose_address, mail_class, may_receive, recipients
from .config import ClientLetterConfig
from .model import (
    DEBT_FREE_TYPES,
    BlockReason,
    CasePlan,
    CaseSnapshot,
    LetterRecord,
    LetterType,
    Party,
    PENDING_STATUSES,
    PlannedLetter,
    SkipReason,
    Skipped,
)
from .schedule import Due, due_letters, later_step_taken, live, pending, taken


def _skip(case: CaseSnapshot, reason: SkipReason, detail: str, letter_type: LetterType | None = None,
          party: Party | None = None, block: BlockReason | None = None) -> Skipped:
    return Skipped(case.case_id, reason, detail, letter_type, party.party_id if party else None, block)


def _open(due: Due, records: Sequence[LetterRecord], config: ClientLetterConfig) -> bool:
    """Not sent in the cycle, and no later schedule step sent either."""
    if taken(records, due.letter_type, due.subject):
        return False
    index = config.step_index(due.letter_type)
    return index is None or not later_step_taken(records, config, index)


def _place(case: CaseSnapshot, party: Party, due: Due, records: Sequence[LetterRecord],
           config: ClientLetterConfig, *, downgrade: bool) -> PlannedLetter | Skipped:
    """Address and mail class for one due letter; without a confirmed address, the call-back notice
    replaces it (R-30) when `downgrade`."""
    choice = choose_address(case.addresses_of(party.party_id))
    if choice.address is None:
        return _skip(case, SkipReason.NO_ADDRESS, choice.why, due.letter_type, party)
    letter_type, why, due_type = due.letter_type, due.why, None
    if not choice.confirmed and letter_type not in DEBT_FREE_TYPES:
        callback = LetterType.CALLBACK_NOTICE
        if not downgrade or callback not in config.wanted_types or taken(records, callback):
            return _skip(case, SkipReason.NO_CONFIRMED_ADDRESS,
                         f"{due.letter_type} due but {choice.why}", due.letter_type, party)
        letter_type, due_type = callback, due.letter_type
        why = f"{due.why}; {choice.why}"
    cls, cls_why = mail_class(case.outstanding, choice.address, config)
    return PlannedLetter(case.case_id, case.client_id, case.cycle, letter_type, party,
                         choice.address, cls, f"{why}; {choice.why}; {cls_why}", due_type,
                         subject=due.subject if letter_type == due.letter_type else "")


def _plan_recipient(case: CaseSnapshot, party: Party, dues: list[Due], history: Sequence[LetterRecord],
                    config: ClientLetterConfig) -> PlannedLetter | Skipped | None:
    records = live(history, case.cycle, party.party_id)
    open_dues = [d for d in dues if _open(d, records, config)]
    if not open_dues:
        return None
    waiting = pending(records)
    if waiting is not None:
        return _skip(case, SkipReason.LETTER_PENDING,
                     f"letter {waiting.letter_id} ({waiting.letter_type}) not yet dispatched",
                     open_dues[0].letter_type, party)
    return _place(case, party, open_dues[0], records, config, downgrade=True)


def plan_case(case: CaseSnapshot, history: Sequence[LetterRecord], config: ClientLetterConfig,
              today: date) -> CasePlan:
    """R-28..R-30 for one case: at most one new letter per recipient (the first due one not yet sent
    in the cycle), to the debtor and, for the types the client names, jointly liable guarantors."""
    dues = due_letters(case, config, today)
    if not dues:
        return CasePlan()
    block = case_block(case, config)
    if block is not None:
        return CasePlan(skipped=(_skip(case, SkipReason.BLOCKED, f"case {block}", dues[0].letter_type,
                                       block=block),))
    letters: list[PlannedLetter] = []
    skipped: list[Skipped] = []
    by_party: dict[str, tuple[Party, list[Due]]] = {}
    for due in dues:
        for party in recipients(case, due.letter_type, config):
            by_party.setdefault(party.party_id, (party, []))[1].append(due)
    for party, party_dues in by_party.values():
        out = _plan_recipient(case, party, party_dues, history, config)
        if isinstance(out, PlannedLetter):
            letters.append(out)
        elif out is not None:
            skipped.append(out)
    return CasePlan(tuple(letters), tuple(skipped))


def request_letter(case: CaseSnapshot, history: Sequence[LetterRecord], config: ClientLetterConfig,
                   today: date, letter_type: LetterType, recipient_id: str,
                   why: str = "requested by the letters clerk (R-26)") -> PlannedLetter | Skipped:
    """A letter asked for by hand, checked by the same rules: an approved type (R-27), an eligible
    recipient and case (R-30, R-31), once per cycle, a confirmed address unless it is the call-back
    notice (no silent downgrade: the clerk asked for this type)."""
    party = case.party(recipient_id)
    if party is None or not may_receive(party):
        return Skipped(case.case_id, SkipReason.NOT_A_RECIPIENT,
                       "letters go only to the debtor or a jointly liable guarantor (R-30)",
                       letter_type, recipient_id)
    if letter_type not in config.wanted_types:
        return _skip(case, SkipReason.NOT_WANTED, f"client has no {letter_type} letters (R-27)",
                     letter_type, party)
    block = case_block(case, config)
    if block is not None:
        return _skip(case, SkipReason.BLOCKED, f"case {block}", letter_type, party, block)
    subject = ""
    if letter_type == LetterType.INSTALMENT_CONFIRMATION:
        if case.instalment_plan is None:
            return _skip(case, SkipReason.NOT_WANTED, "no instalment plan to confirm", letter_type, party)
        subject = case.instalment_plan.plan_id
    due = Due(letter_type, why, subject)
    records = live(history, case.cycle, party.party_id)
    if not _open(due, records, config):
        return _skip(case, SkipReason.ALREADY_SENT, f"{letter_type} already issued in this cycle",
                     letter_type, party)
    if pending(records) is not None:
        return _skip(case, SkipReason.LETTER_PENDING, "another letter not yet dispatched", letter_type, party)
    return _place(case, party, due, records, config, downgrade=False)


@dataclass(frozen=True, slots=True)
class Cancellation:
    letter_id: str
    reason: BlockReason | str
    detail: str


def cancellations(case: CaseSnapshot, letters: Iterable[LetterRecord],
                  config: ClientLetterConfig) -> list[Cancellation]:
    """R-31: every letter of the case not yet dispatched is cancelled, with the reason, once the case
    is settled, recalled, disputed or do-not-contact (or paused); so is a letter whose address has
    since become invalid (the planner picks another next time)."""
    block = case_block(case, config)
    invalid = {a.address_id for a in case.addresses if not a.usable}
    out: list[Cancellation] = []
    for letter in letters:
        if letter.status not in PENDING_STATUSES:
            continue
        if block is not None:
            out.append(Cancellation(letter.letter_id, block, f"case {block} before dispatch (R-31)"))
        elif letter.address_id in invalid:
            out.append(Cancellation(letter.letter_id, "address_invalid",
                                    "the address became invalid before dispatch (R-31)"))
    return out
