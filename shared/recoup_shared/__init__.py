"""Shared building blocks of the Recoup services."""
