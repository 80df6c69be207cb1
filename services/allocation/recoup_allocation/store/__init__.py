"""SQL through asyncpg, set-based (unnest / COPY), never committing on its own: the caller's
transaction (one per request, per consumed batch, or per job run) is passed in.

- staff: teams, collectors, client rules (R-9) and collectors' loads
- pool: the case pool, lifecycle (R-13), ownership history
- plans: plans, items, the commit write path (R-10)
- facts: month facts for rotation (R-12), the rotation runs register
- scope: what a team lead reaches (cases, clients), as SQL
"""

from . import facts, plans, pool, scope, staff

__all__ = ["facts", "plans", "pool", "scope", "staff"]
