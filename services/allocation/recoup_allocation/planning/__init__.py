"""Use cases of allocation: preview, commit, manual, rotation, automatic runs, pause/resume.

They load what the pure rules need (cases, collectors with their open load, client rules,
joint-debt owners), call `rules`, persist the plan, and on commit write ownership and one
`case.allocated` per moved case to the outbox — all inside the caller's transaction.

Decisions:
- Amounts: every strategy and capacity figure uses the placed amount (R-10 金额均分 is "equal
  placed amount"); the open book of a collector is their assigned cases.
- A plan remembers each case's `version` (bumped by every status/owner change). Commit is atomic
  and optimistic: if any case changed since the preview, nothing is written (409 plan-stale).
  Capacity and active status of receiving collectors are re-checked at commit (409
  capacity-changed) unless the plan is a forced manual one. Every writer holds one advisory lock.
- Reassignment (a preview of status=assigned cases) treats the selected cases as released from
  their owners' books; a case planned back to its owner is simply kept.
- Rotation (R-12): a case is stalled when it had no repayment in the month evaluated and no live
  PTP today (`rules.is_stalled`). A joint-debt group (R-11) rotates only when every assigned case
  of the debtor is stalled — never split one debtor across collectors.
- Resume: the case goes back to the collector who had it when they are still active, eligible
  and have room (continuity for the debtor; reason "reassignment"); otherwise to the pool, where
  auto-allocation (or the team lead) picks it up. A case carrying a flag of RECOUP_PAUSE_ON_FLAGS
  resumes only when the client lifts the flag (R-17).
- Rotation skips cases whose collection a client flag stopped (RECOUP_ROTATION_SKIP_FLAGS): moving
  them to a fresh collector cannot help and would only lose the owner handling the client.
"""

from .auto import AutoResult, auto_allocate
from .commit import apply_and_emit, commit
from .common import (
    CASES_ALLOCATED, LIST_CAP, SLA_SECONDS, SYSTEM_AUTO, SYSTEM_ROTATION, Ctx, compute, is_manager,
    joint_owner_map, lead_team_of, plan_out, released_loads, restrict_to_lead, save_plan,
    summarize_plan, to_case,
)
from .lifecycle import pause, resume
from .previews import manual, preview_allocation, preview_rotation

__all__ = [
    "AutoResult", "CASES_ALLOCATED", "Ctx", "LIST_CAP", "SLA_SECONDS", "SYSTEM_AUTO", "SYSTEM_ROTATION",
    "apply_and_emit", "auto_allocate", "commit", "compute", "is_manager", "joint_owner_map",
    "lead_team_of", "manual", "pause", "plan_out", "preview_allocation", "preview_rotation",
    "released_loads", "restrict_to_lead", "resume", "save_plan", "summarize_plan", "to_case",
]
