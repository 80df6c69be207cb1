"""The read side, shaped for the API: one module per area (placements, cases, audit, templates).
Reads only — except that a placement's publication time is stored the first time it is known."""
