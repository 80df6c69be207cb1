"""Placements (R-1..R-4, R-6, R-7): the hot path of intake.

    json_body.py  POST /v1/placements: a JSON body, whole or cut in pieces for the workers
    upload.py     POST /v1/placements/upload: a CSV/XLSX file through the client's template
    submit.py     both: the replay check (R-1), then the import in-process or streamed
    importer.py   the in-process import (worker thread), the placement's row and answer
    streamed.py   a big placement streamed through the worker processes
    parts.py      what the worker processes run; prepare.py the CPU steps shared by both
    reads.py      the placement list, status (R-6) and accepted rows

Nothing is imported here: worker processes import parts.py and no more.
"""
