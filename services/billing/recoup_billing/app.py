"""The billing service (port 8006): fee schedules, recovery rates, fee tiers, monthly statements
and collector performance (R-39..R-44), built from case.*, payment.posted, case.allocated and
contact.logged events.

Definitions (cohort, cycle window, exclusions, late and recalled repayments): store/close.py.
No fee schedule → 409 ``no-fee-schedule`` unless RECOUP_DEFAULT_SCHEDULE_FALLBACK=true (closing/statement.py).
"""

from __future__ import annotations

from fastapi import FastAPI

from recoup_shared.settings import ServiceSettings
from recoup_shared.web import create_service_app

from . import handlers
from .api import ROUTERS


class BillingSettings(ServiceSettings):
    service_name: str = "billing"
    # A client without a schedule in force: 409 (False) or bill with rules.default_schedule (True).
    default_schedule_fallback: bool = False
    # Issuing a month that is not over yet is refused unless this is on (tests, demos).
    allow_issue_open_month: bool = False
    # How many not-counted repayments a statement lists inline (the full list is paged).
    not_counted_sample: int = 50
    # Transaction-local work_mem for the month close (hash joins over cases ⋈ repayments).
    close_work_mem: str = "256MB"


SETTINGS_CLASS = BillingSettings


def create_app(settings: BillingSettings | None = None) -> FastAPI:
    settings = settings or BillingSettings()
    handlers.configure(settings.timezone)
    return create_service_app(
        name="billing", settings=settings, routers=ROUTERS, handlers=handlers.HANDLERS,
        title="Recoup billing",
        description="Fee schedules, recovery rates, fee tiers and monthly statements (R-39..R-44); "
                    "collector performance (R-43).",
    )  # no outbox relay: billing emits nothing (deploy/k8s/services.yaml)
