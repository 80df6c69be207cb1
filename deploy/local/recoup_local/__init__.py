"""Recoup's local stack (`recoup up`) and the pytest plugin that gives tests a throw-away one."""
