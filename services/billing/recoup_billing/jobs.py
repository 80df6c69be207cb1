"""Background jobs: none. A month close runs when a statement is read or issued (usecases/
statements.py), not on a schedule."""

from __future__ import annotations

from recoup_shared.jobs import Job

JOBS: list[Job] = []
