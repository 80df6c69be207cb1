"""Use cases: one module per sub-domain. Each opens its own transaction(s) and calls the store."""
