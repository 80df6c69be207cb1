"""Recoup intake service: the client-facing door for placements, repayments, updates and recalls."""

import os as _os

from ._compiled import use_source_if_stale as _use_source_if_stale

# Before anything imports a compiled module (compiled.txt): a stale build runs the source.
_use_source_if_stale(_os.path.dirname(__file__), __name__)
