# The throw-away stack (`stack`) and token (`token_for`) fixtures: deploy/local/recoup_local/testing.py
pytest_plugins = ["recoup_local.testing"]
