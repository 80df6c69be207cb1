"""SQL per aggregate, set-based; never commits (the caller's transaction does)."""
