"""File formats and worker processes: JSON request bodies (json_body.py), CSV/XLSX uploads
(spreadsheets.py), the placement worker processes (workers.py)."""
