"""Recoup letters: pure rules (rules/) and file formats (adapters/) of the letters service (R-26..R-33)."""
