"""Recoup field visits (外访): requests and approvals, deadlines, daily plans, evidence (R-34..R-38)."""
