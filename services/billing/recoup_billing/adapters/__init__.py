"""File formats: the statement exports (CSV, XLSX, PDF) of exports.py."""
