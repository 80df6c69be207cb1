"""Intake consumes no topic (it is the source of case.received, case.updated and payment.posted):
the service starts without a consumer, and its readiness says so. Its one background job recalls
placements on their date (R-5, test_jobs_recalls.py)."""

from __future__ import annotations

from recoup_intake.handlers import HANDLERS
from recoup_intake.jobs import jobs_for
from recoup_intake.settings import IntakeSettings


async def test_no_handlers_no_consumer_one_job(intake):
    assert HANDLERS == {}
    (job,) = jobs_for(IntakeSettings(recall_check_seconds=60))
    assert (job.name, job.every) == ("placement-recalls", 60)
    assert job.enabled(IntakeSettings()) and not job.enabled(IntakeSettings(recall_job=False))
    assert intake.app.state.jobs.names == []  # switched off for the shared test database (conftest.py)
    assert intake.app.state.consumer is None
    ready = await intake.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "ok"}
