"""Use cases: (conn, ctx, principal, command) -> result. They never open or commit a transaction:
the route's `Conn` dependency or the consumer loop owns it."""
