"""Who may receive a letter, at which address, by which mail class (R-29, R-30), and which cases get
no letter at all (R-31)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .config import ClientLetterConfig
from .model import (
    HOUSEHOLD_REGISTRATION,
    Address,
    BlockReason,
    CaseSnapshot,
    LetterType,
    MailClass,
    Party,
    PartyRole,
)


def may_receive(party: Party) -> bool:
    """R-30: the debtor, or a jointly liable guarantor; never a contact person or anyone else."""
    if party.role == PartyRole.DEBTOR:
        return True
    return party.role == PartyRole.GUARANTOR and party.jointly_liable


def recipients(case: CaseSnapshot, letter_type: LetterType, config: ClientLetterConfig) -> list[Party]:
    """The debtor always; jointly liable guarantors for the types the client names (R-30)."""
    out = [p for p in case.parties if p.role == PartyRole.DEBTOR]
    if letter_type in config.guarantor_types:
        out += [p for p in case.parties if p.role == PartyRole.GUARANTOR and may_receive(p)]
    return out


def case_block(case: CaseSnapshot, config: ClientLetterConfig) -> BlockReason | None:
    """R-31: settled, recalled, disputed or do-not-contact cases get no letter, and their letters not
    yet dispatched are cancelled. A paused case (R-13, R-47) waits too."""
    status = case.status.lower()
    if status == "settled" or (status == "closed" and case.outstanding <= 0):
        return BlockReason.SETTLED
    if status == "closed":
        return BlockReason.CLOSED
    if status == "recalled":
        return BlockReason.RECALLED
    if case.flags & config.dispute_flags:
        return BlockReason.DISPUTED
    if case.flags & config.do_not_contact_flags:
        return BlockReason.DO_NOT_CONTACT
    if case.paused:
        return BlockReason.PAUSED
    return None


@dataclass(frozen=True, slots=True)
class AddressChoice:
    address: Address | None
    confirmed: bool          # household registration or verified in collection
    why: str


def _newest(addresses: Iterable[Address], key) -> Address:
    # newest first; the id breaks ties so the choice never depends on input order
    return max(addresses, key=lambda a: (key(a) or date.min, a.address_id))


def choose_address(addresses: Iterable[Address], *, exclude: Iterable[str] = ()) -> AddressChoice:
    """R-29: the household-registration address first, else the newest address verified during
    collection (skip tracing, visits). An address known to be invalid (returned, R-31) is never
    chosen. Without either, the newest remaining address is offered *unconfirmed*: only the
    call-back notice may go there (R-30)."""
    excluded = set(exclude)
    usable = [a for a in addresses if a.usable and a.address_id not in excluded and a.line.strip()]
    household = [a for a in usable if a.kind == HOUSEHOLD_REGISTRATION]
    if household:
        return AddressChoice(_newest(household, lambda a: a.verified_on or a.found_on), True,
                             "household registration (R-29)")
    verified = [a for a in usable if a.verified_on is not None]
    if verified:
        chosen = _newest(verified, lambda a: a.verified_on)
        return AddressChoice(chosen, True, f"newest verified address ({chosen.source}, R-29)")
    if usable:
        return AddressChoice(_newest(usable, lambda a: a.found_on), False,
                             "no confirmed address: call-back notice only (R-30)")
    return AddressChoice(None, False, "no usable address")


def mail_class(amount: Decimal, address: Address, config: ClientLetterConfig) -> tuple[MailClass, str]:
    """R-29: registered mail by default; express for large amounts or addresses proven valid."""
    if amount > config.express_threshold:
        return MailClass.EXPRESS, f"amount {amount} over {config.express_threshold} (R-29)"
    if config.express_for_proven_address and address.proven_valid:
        return MailClass.EXPRESS, "address proven valid (R-29)"
    return MailClass.REGISTERED, "registered mail by default (R-29)"
