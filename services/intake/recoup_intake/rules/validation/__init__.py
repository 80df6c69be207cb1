"""Per-row validation of a placement's cases (R-2, R-4). Pure: no I/O, no framework.

`validate_cases` takes the `cases` array exactly as the client sent it (decoded JSON, or the rows
an upload was converted to through its template) and splits it into accepted `ValidCase`s and
`RowError`s. A row with any error is rejected whole, with every error listed (row, field path,
reason); the other rows are still accepted (R-4). What rejects a row is the debtor's identity, the
amounts, dates, currency, flags and the structure of the JSON; a malformed phone number or address
is a *warning* on the accepted row (`ValidCase.notes`, `ValidationResult.warnings`): kept as given,
marked invalid, never dialled or written to, and a debtor left without a valid phone is marked for
skip tracing (R-4 amended). Nothing is altered silently: normalisations that
change a value's spelling but not its meaning (spaces in numbers, full-width digits, the 15-digit
ID number's 18-character form) keep the value as given next to the normalised one, and business
corrections (the client's stated total winning over principal+interest+fees, a duplicate phone
dropped) leave a warning on the case.

One module per part of a case: identity (account, debtor), amounts, dates, phones, addresses,
flags; case.py puts them together.
"""

from .addresses import region_of, validate_addresses
from .amounts import parse_amount
from .case import RowCheck, RowCollector, check_rows, needs_skip_trace, row_warnings, validate_case, validate_cases
from .common import InvalidValue
from .dates import parse_dpd, parse_iso_date
from .flags import validate_flags
from .identity import parse_account_ref, parse_name
from .phones import validate_phones

__all__ = [
    "InvalidValue", "RowCheck", "RowCollector", "check_rows", "needs_skip_trace", "parse_account_ref",
    "parse_amount", "row_warnings", "parse_dpd", "parse_iso_date", "parse_name", "region_of", "validate_addresses", "validate_case",
    "validate_cases", "validate_flags", "validate_phones",
]
