"""Pure intake rules (R-1..R-7): per-row validation, ID numbers and phones, import templates.

No FastAPI, asyncpg or aiokafka here: these run in milliseconds in unit tests.
"""

from recoup_shared.identifiers import (
    IdNumber,
    IdNumberError,
    Phone,
    PhoneError,
    id15_to_id18,
    id_check_char,
    looks_like_mobile,
    make_id15,
    make_id_number,
    normalise_id_number,
    parse_id_number,
    parse_phone,
)
from .templates import (
    EXAMPLE_TEMPLATE,
    EXAMPLE_TEMPLATE_COLUMNS,
    FieldConversion,
    ImportTemplate,
    ParsedUpload,
    parse_upload,
    validate_upload,
)
from .validation import (
    ADDRESS_KINDS,
    FLAGS,
    PHONE_KINDS,
    PHONE_OWNERS,
    W_BREAKDOWN_MISSING,
    W_DUPLICATE_PHONE,
    W_TOTAL_MISMATCH,
    RowError,
    ValidAddress,
    ValidationLimits,
    ValidationResult,
    ValidCase,
    ValidPhone,
    validate_cases,
)

__all__ = [
    "ADDRESS_KINDS", "EXAMPLE_TEMPLATE", "EXAMPLE_TEMPLATE_COLUMNS", "FLAGS", "FieldConversion",
    "IdNumber", "IdNumberError", "ImportTemplate", "PHONE_KINDS", "PHONE_OWNERS", "ParsedUpload",
    "Phone", "PhoneError", "RowError", "ValidAddress", "ValidCase", "ValidPhone",
    "ValidationLimits", "ValidationResult", "W_BREAKDOWN_MISSING", "W_DUPLICATE_PHONE",
    "W_TOTAL_MISMATCH", "id15_to_id18", "id_check_char", "looks_like_mobile", "make_id15",
    "make_id_number", "normalise_id_number", "parse_id_number",
    "parse_phone", "parse_upload", "validate_cases", "validate_upload",
]
