"""Pure intake rules (R-1..R-7): per-row validation, import templates, the request bodies' top
level, placements as a whole (duplicates, re-placement, joint debt, SLA), balances (R-5).

No FastAPI, asyncpg or aiokafka here, no clock reads: these run in milliseconds in unit tests.
ID numbers and phones are parsed by recoup_shared.identifiers (one parser for every service).

    model.py        the types (ValidCase, RowError, PlacementHeader, RepaymentRow, ...)
    errors.py       problem classes
    validation/     one case (identity, amounts, dates, phones, addresses, flags; case.py)
    templates/      client import templates: field paths, conversions, cells, rows -> cases
    requests.py     the top level of the request bodies; the placement header
    placements.py   duplicates across rows, re-placement, joint debt (R-7), import SLA (R-6)
    repayments.py   repayment rows            updates.py   update rows
    recalls.py      recall requests           balances.py  outstanding, repayments, balance updates
"""
