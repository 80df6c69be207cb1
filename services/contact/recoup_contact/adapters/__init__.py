"""File formats, worker processes and external systems (uploads, PDF/XLSX, object stores, PBX,
SMS providers) — behind small interfaces, each with a local implementation for the local stack."""
