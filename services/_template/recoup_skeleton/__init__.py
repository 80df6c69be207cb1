"""Recoup skeleton: the template every new service starts from (docs/architecture.md)."""
