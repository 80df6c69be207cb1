"""SQL through asyncpg, one module per sub-domain. Functions take the caller's connection and
never commit; bulk paths use COPY and set-based statements."""
