"""File formats and external systems of the letters service: templates (R-27), print-ready PDFs
and envelopes (R-32, R-33), post-office manifests and tracking imports (R-33), SMS (R-27)."""

from .manifest import ManifestFile, ManifestOptions, ManifestRow, ManifestWriter, manifest_row, write_manifest
from .pdf import C5_ENVELOPE, DL_ENVELOPE, Envelope, PdfOptions, PrintLetter
from .print_batch import BatchFile, RenderedBatch, iter_render, render_batch
from .sms import (
    AliyunSmsProvider,
    RecordingSmsProvider,
    SmsMessage,
    SmsParamTooLong,
    SmsProvider,
    SmsReceipt,
    SmsSendResult,
    SmsTemplate,
    aliyun_signature,
    parse_aliyun_receipts,
    sms_params,
    sms_text,
    validate_sms_template,
)
from .templates import (
    TemplateProblem,
    TemplateRejected,
    ValidatedTemplate,
    render_text,
    rmb_upper,
    validate_template,
)
from .tracking import Assignment, ExpectedLetter, RowError, TrackingImport, import_tracking
from .variables import VARIABLES, Agency, CaseFacts, allowed_variables, letter_variables

__all__ = [name for name in dir() if not name.startswith("_")]
