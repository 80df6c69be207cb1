"""SQL through asyncpg, set-based; functions take the caller's connection and never commit
(one transaction per request or per consumed batch). Split by sub-domain."""

from . import close, facts, performance, schedules, statements

__all__ = ["close", "facts", "performance", "schedules", "statements"]
