"""Background jobs (recoup_shared.jobs). None yet: intake works on requests only (the recall of
placements whose recall_on has passed is a later job, issue 15)."""

from __future__ import annotations

from recoup_shared.jobs import Job

JOBS: list[Job] = []
