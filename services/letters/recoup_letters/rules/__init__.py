"""Pure letter rules (R-26..R-33): no I/O, no clock (`today` is an argument), no framework imports."""

from .addresses import AddressChoice, case_block, choose_address, mail_class, may_receive, recipients
from .batch import BatchPreview, dispatch_key, in_dispatch_order, numbered, preview
from .checkcode import (
    CheckCodeError,
    QcDecision,
    QcOutcome,
    barcode_value,
    code_for_serial,
    display,
    is_valid,
    parse,
    parse_scan,
    qc_decide,
    random_code,
)
from .config import DEFAULT_SCHEDULE, ClientLetterConfig, ScheduleStep
from .masking import has_full_number, letter_mask_card, letter_mask_id, scrub_numbers
from .model import (
    DEBT_FREE_TYPES,
    HOUSEHOLD_REGISTRATION,
    LETTER_TYPE_ZH,
    MAIL_CLASS_ZH,
    Address,
    AddressSource,
    BlockReason,
    CasePlan,
    CaseSnapshot,
    Instalment,
    InstalmentPlan,
    LetterRecord,
    LetterStatus,
    LetterType,
    MailClass,
    Party,
    PartyRole,
    PlannedLetter,
    Skipped,
    SkipReason,
)
from .planning import Cancellation, cancellations, plan_case, request_letter
from .returns import (
    RETURN_REASON_ZH,
    ReturnOutcome,
    ReturnReason,
    UnknownReturnReason,
    parse_return_reason,
    plan_resend,
    record_return,
)
from .schedule import current_step, due_letters, still_current

__all__ = [name for name in dir() if not name.startswith("_")]
