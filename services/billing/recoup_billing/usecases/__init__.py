"""Use cases, per sub-domain: (conn, ctx, principal, command) -> result, shaped for the API
(plain dicts; the routes' response models validate them). They never open or commit a
transaction: the route's `Conn` dependency owns it.

statements (draft, issue, re-issue, reads, list) · drilldown (a line's spells, not counted) ·
rates (recovery rates) · schedules (fee schedule versions) · exclusions (R-42) · performance (R-43).
"""
