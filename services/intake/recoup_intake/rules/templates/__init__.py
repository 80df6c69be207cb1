"""Client import templates (R-3). Pure: a file's rows in, raw cases of the JSON shape out.

A template is configuration (a new client needs a new mapping, not new code): which column header
feeds which case field (fields.py, model.py), plus value conversions (cells.py). `convert_rows`
turns a file's rows into `raw_cases` of exactly the JSON shape of contracts.md §1, so uploads and
JSON pushes go through the same `validate_cases`; `ParsedUpload.locate` / `validate_upload` put
the *file row number* and the *column header* in every error. What a file format can break is
handled where the file is read (adapters/spreadsheets.py: encodings, delimiters, XLSX/XLS/ODS)
and cell by cell here:

- Excel damage is reported, never "repaired" into a wrong value (cells.py): ID and card numbers
  stored as numbers (digits lost) or shown in scientific notation (`4.10105E+17`); landlines
  stored as numbers (leading 0 lost); float noise in amounts (`13830.499999999998` → `13830.50`
  only when within 1e-6 of a two-decimal value).
- Full-width digits and punctuation (NFKC), thousands separators (`13,830.50`, `１３，８３０．５０`),
  currency signs, non-breaking and ideographic spaces, Excel's leading apostrophe; blank and
  trailing rows, blank or merged header cells, header cells wrapped on several lines, CSV rows
  shifted by an unquoted delimiter.
"""

from .cells import CellConverter, clean_text, normalise_header
from .convert import convert_rows
from .fields import FieldSpec, iter_template_fields, parse_field_path
from .model import EXAMPLE_TEMPLATE, EXAMPLE_TEMPLATE_COLUMNS, FieldConversion, ImportTemplate, TemplateDefinition
from .upload import LOSSY, FileError, ParsedUpload, validate_upload

__all__ = [
    "EXAMPLE_TEMPLATE", "EXAMPLE_TEMPLATE_COLUMNS", "LOSSY", "CellConverter", "FieldConversion",
    "FieldSpec", "FileError", "ImportTemplate", "ParsedUpload", "TemplateDefinition", "clean_text", "convert_rows",
    "iter_template_fields", "normalise_header", "parse_field_path", "validate_upload",
]
