"""Use cases: (conn, ctx, principal, command) -> result. They never open or commit a transaction:
the route's `Conn` dependency owns it — except a placement's import, which opens its own
connection from ctx.pool (usecases/placements/submit.py says why)."""
