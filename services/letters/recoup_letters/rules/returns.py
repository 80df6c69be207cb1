"""Returned letters (退函, R-31): the reason, what it does to the address, and the automatic re-send
to a newer confirmed address — once, and only while the letter is still the one the case calls for."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .addresses import case_block, choose_address, mail_class, may_receive
from .config import ClientLetterConfig
from .model import CaseSnapshot, LetterRecord, LetterStatus, PlannedLetter, SkipReason, Skipped
from .schedule import live, still_current


class ReturnReason(StrEnum):
    ADDRESS_UNKNOWN = "address_unknown"     # 地址不详
    NO_SUCH_PERSON = "no_such_person"       # 查无此人
    REFUSED = "refused"                     # 拒收
    MOVED = "moved"                         # 迁移新址不明
    UNCLAIMED = "unclaimed"                 # 逾期未领
    DECEASED = "deceased"                   # 收件人已故
    OTHER = "other"                         # 其他


RETURN_REASON_ZH: dict[ReturnReason, str] = {
    ReturnReason.ADDRESS_UNKNOWN: "地址不详",
    ReturnReason.NO_SUCH_PERSON: "查无此人",
    ReturnReason.REFUSED: "拒收",
    ReturnReason.MOVED: "迁移新址不明",
    ReturnReason.UNCLAIMED: "逾期未领",
    ReturnReason.DECEASED: "收件人已故",
    ReturnReason.OTHER: "其他",
}

# Wordings seen on post-office return slips (退改批条) besides the canonical ones.
_ALIASES = {
    "地址不详": ReturnReason.ADDRESS_UNKNOWN, "地址不明": ReturnReason.ADDRESS_UNKNOWN,
    "原址无此单位": ReturnReason.ADDRESS_UNKNOWN, "无此地址": ReturnReason.ADDRESS_UNKNOWN,
    "查无此人": ReturnReason.NO_SUCH_PERSON, "原址查无此人": ReturnReason.NO_SUCH_PERSON,
    "拒收": ReturnReason.REFUSED, "收件人拒收": ReturnReason.REFUSED,
    "迁移新址不明": ReturnReason.MOVED, "迁移": ReturnReason.MOVED, "搬迁": ReturnReason.MOVED,
    "逾期未领": ReturnReason.UNCLAIMED, "招领逾期": ReturnReason.UNCLAIMED,
    "收件人已故": ReturnReason.DECEASED, "收件人死亡": ReturnReason.DECEASED,
    "其他": ReturnReason.OTHER,
}


class UnknownReturnReason(ValueError):
    pass


def parse_return_reason(text: str) -> ReturnReason:
    """A code (`moved`) or the Chinese wording of the return slip (`迁移新址不明`)."""
    t = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    try:
        return ReturnReason(t.lower())
    except ValueError:
        pass
    if t in _ALIASES:
        return _ALIASES[t]
    raise UnknownReturnReason(f"unknown return reason {text!r}; one of: "
                              + ", ".join(f"{r.value} ({zh})" for r, zh in RETURN_REASON_ZH.items()))


@dataclass(frozen=True, slots=True)
class ReturnOutcome:
    letter_id: str
    reason: ReturnReason
    invalidate_address_id: str | None   # the address becomes invalid for letters
    resend_wanted: bool                 # the reason calls for trying another address


def record_return(letter: LetterRecord, reason: ReturnReason, config: ClientLetterConfig) -> ReturnOutcome:
    """What a return means. Reasons that say the address does not reach the debtor invalidate it;
    refused (拒收) and unclaimed (逾期未领) show someone is there, so the address stays and nothing
    is re-sent (the client configures this)."""
    if letter.status not in (LetterStatus.DISPATCHED, LetterStatus.RETURNED):
        raise ValueError(f"letter {letter.letter_id} is {letter.status}: only a dispatched letter returns")
    invalidates = reason.value in config.invalidating_returns
    resend = invalidates and reason != ReturnReason.DECEASED
    return ReturnOutcome(letter.letter_id, reason, letter.address_id if invalidates else None, resend)


def original_of(letter: LetterRecord) -> str:
    return letter.resend_of or letter.letter_id


def plan_resend(returned: LetterRecord, case: CaseSnapshot, history: Sequence[LetterRecord],
                config: ClientLetterConfig, today: date) -> PlannedLetter | Skipped:
    """R-31: re-send a returned letter to a newer confirmed address, automatically, once, respecting
    the schedule. Called when the return is recorded and again whenever a new address arrives
    (contact.logged, visit.completed); `case.addresses` must already mark the returned one invalid."""
    def skip(reason: SkipReason, detail: str, **kw) -> Skipped:
        return Skipped(case.case_id, reason, detail, returned.letter_type, returned.recipient_id, **kw)

    block = case_block(case, config)
    if block is not None:
        return skip(SkipReason.BLOCKED, f"case {block}", block=block)
    reason = returned.return_reason
    if returned.status != LetterStatus.RETURNED or reason is None or reason not in config.invalidating_returns or reason == ReturnReason.DECEASED:
        return skip(SkipReason.NOT_RESENDABLE, f"return reason {reason!r} does not call for a re-send")
    original = original_of(returned)
    resends = [r for r in history if r.resend_of == original and r.status != LetterStatus.CANCELLED]
    if len(resends) >= config.resend_limit:
        return skip(SkipReason.RESEND_LIMIT, f"letter {original} already re-sent (R-31: once)")
    party = case.party(returned.recipient_id)
    if party is None:
        return skip(SkipReason.NOT_A_RECIPIENT, "recipient no longer on the case")
    if not may_receive(party):   # e.g. a guarantor released from liability since the first letter
        return skip(SkipReason.NOT_A_RECIPIENT, "letters go only to the debtor or a jointly liable guarantor (R-30)")
    records = [r for r in live(history, returned.cycle, party.party_id)
               if original_of(r) != original]
    if not still_current(returned.letter_type, returned.subject, case, records, config, today):
        return skip(SkipReason.SUPERSEDED, f"{returned.letter_type} is no longer due (R-31, R-28)")
    if any(r.status not in (LetterStatus.DISPATCHED, LetterStatus.RETURNED) for r in records):
        return skip(SkipReason.LETTER_PENDING, "another letter not yet dispatched")
    choice = choose_address(case.addresses_of(party.party_id), exclude=(returned.address_id,))
    if choice.address is None or not choice.confirmed:
        return skip(SkipReason.NO_CONFIRMED_ADDRESS, "waiting for a newer verified address (R-31)")
    cls, cls_why = mail_class(case.outstanding, choice.address, config)
    return PlannedLetter(case.case_id, case.client_id, returned.cycle, returned.letter_type, party,
                         choice.address, cls,
                         f"re-send of {original} returned ({reason}); {choice.why}; {cls_why}",
                         resend_of=original, subject=returned.subject)
