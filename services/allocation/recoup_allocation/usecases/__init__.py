"""Use cases of allocation, per sub-domain: (conn, ctx, principal, command) -> result. They load
what the pure rules need, call `rules`, persist through `store`, emit through `events` — inside
the caller's transaction, never opening or committing one (the route's `Conn` dependency or the
consumer loop owns it; jobs open their own from `ctx.pool`).

- previews: R-10 allocation / reassignment preview, R-12 rotation preview
- manual: R-10 manual assignment (one case or a selection to a named collector)
- commit: R-10 the optimistic, atomic write of a plan and its case.allocated events
- auto: R-8 automatic allocation of new cases (one run)
- rotation: R-12 the scheduled monthly rotation (once per month and client)
- lifecycle: R-13 pause / resume by staff
- staff: teams, collectors, client rules (R-9)
- cases, plans, reports: reads with their object checks
- scope: who reaches which team, collector, case and plan (R-45, OWASP API1)
- common: loading rows into the rules' types, plan summaries and persistence, metrics

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
