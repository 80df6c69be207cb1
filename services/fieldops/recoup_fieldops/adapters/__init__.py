"""Adapters of field visits to the outside: the evidence object store (R-37)."""
