"""Recoup intake service: the client-facing door for placements, repayments, updates and recalls."""
