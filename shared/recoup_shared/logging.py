"""structlog JSON logging with a processor that masks personal data (R-46).

Whatever reaches a log line — message, keys, nested values — passes `mask_text`, which masks
resident ID numbers (18 and 15 digits), card numbers (13-19 digits), Chinese mobile numbers and
landlines, also when written with spaces, dashes or their URL encodings. The access log keeps the
path only: query strings never reach a log line.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

# A run of digits as people (and URLs) write identifiers: separated by spaces, dashes, plus
# signs or their URL encodings (138 0013 8000, 6222-0202-…, id_number=410105%20198703150030),
# optionally with a +86 / 0086 prefix and an ID number's final X. Lookarounds keep a run whole:
# never the middle of a longer run (UUIDs, hashes).
_SEP = r"(?:[ \t\-+\u3000]|%20|%2[BbDd])"
_RUN = re.compile(
    rf"(?<![0-9A-Za-z])(?<!\d[ \t\-+\u3000])(?<!\d%20)(?<!\d%2[BbDd])"
    rf"(?:(?:\+|00)?86{_SEP}?)?\d(?:{_SEP}?\d){{6,21}}[Xx]?"
    rf"(?![0-9A-Za-z])(?!{_SEP}\d)", re.ASCII)
_NOT_DIGIT = re.compile(r"%2[0BbDd]|[^0-9Xx]")


def _mask_run(m: re.Match[str]) -> str:
    raw = m.group(0)
    d = _NOT_DIGIT.sub("", raw)
    if raw.startswith(("+86", "0086", "86")) and len(d) > 11 and d[-11] == "1":
        d = d[-11:]                                        # country code before a mobile
    n = len(d)
    if n == 18 and d[:17].isdigit():                      # resident ID number
        return f"{d[:6]}********{d[-1]}"
    if n == 11 and d[0] == "1" and d[1] in "3456789":     # mobile
        return f"{d[:3]}****{d[-4:]}"
    if 13 <= n <= 19 and d.isdigit():                     # card / account number, old 15-digit ID
        return f"{d[:4]}******{d[-4:]}"
    if 10 <= n <= 12 and d[0] == "0" and d.isdigit():     # landline with area code
        return f"{d[:4]}-****{d[-3:]}"
    return raw


def mask_text(text: str) -> str:
    if not any(ch.isdigit() for ch in text):
        return text
    return _RUN.sub(_mask_run, text)


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _mask_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_value(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value > 10**10:
        return mask_text(str(value))
    return value


def mask_personal_data(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    return {k: _mask_value(v) for k, v in event_dict.items()}


_configured = False


def configure_logging(service: str, level: str = "INFO", log_file: str | None = None, *,
                      console: bool = True) -> None:
    """JSON lines to stderr (unless `console` is off) and to a file if asked; stdlib logging routed
    through the same chain."""
    global _configured
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _add_service(service),
            mask_personal_data,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
    )
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_recoup", False):
            root.removeHandler(h)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)] if console else []
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for h in handlers:
        h.setFormatter(formatter)
        h._recoup = True  # type: ignore[attr-defined]
        root.addHandler(h)
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers = []
        lg.propagate = True
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _PathOnly) for f in access.filters):
        access.addFilter(_PathOnly())
    _configured = True


class _PathOnly(logging.Filter):
    """uvicorn's access line is (client, method, full path, version, status): keep the path,
    drop the query string — lookups and filters are no business of a log file (R-46)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def _add_service(service: str):
    def proc(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        event_dict.setdefault("service", service)
        return event_dict
    return proc


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
