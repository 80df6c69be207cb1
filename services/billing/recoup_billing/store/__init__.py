"""SQL through asyncpg, set-based; functions take the caller's connection and never commit
(one transaction per request or per consumed batch). One module per aggregate: facts (from
events), schedules, statements (issued revisions), exclusions, close (the month close)."""
