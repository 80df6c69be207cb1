"""Intake consumes no topic and runs no background job (it is the source of case.received,
case.updated and payment.posted): the service starts without a consumer, and its readiness says
so."""

from __future__ import annotations

from recoup_intake.handlers import HANDLERS
from recoup_intake.jobs import JOBS


async def test_no_handlers_no_jobs_no_consumer(intake):
    assert HANDLERS == {} and JOBS == []
    assert intake.app.state.consumer is None
    ready = await intake.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "ok"}
