"""File formats, worker processes and external systems. Allocation has none: it talks to the
other services only through the bus, and its big plans run in threads (usecases.common.compute)."""
