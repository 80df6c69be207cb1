"""pytest plugin (loaded by the root conftest.py): a throw-away stack for integration tests.

    async def test_something(stack, token_for):
        conn = await asyncpg.connect(stack.dsn("intake"))
        headers = {"Authorization": f"Bearer {token_for('client', client_id='ICBC-SH')}"}

`stack` starts on first use only — a run of pure unit tests never pays for it — and is shared by
the whole session: PostgreSQL in a temporary directory on a free port (fsync off), a Tansu broker
on a free port, the six databases, the existing services' migrations, every topic. It never
touches a `make up` running beside it. Everything is stopped and removed at the end of the
session, failures included (RECOUP_KEEP_STACK=1 keeps the directory and its logs).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio

from .stack import Stack

_started: list[tuple[Stack, float]] = []
_pii_findings: list[str] = []
_costs: list[str] = []


def report_cost(line: str) -> None:
    """A line for the end of the run (what a long test costs: the fuzzing gate, the fault suite),
    printed in the terminal summary whatever the output capture."""
    _costs.append(line)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def stack() -> AsyncIterator[Stack]:
    """The session's throw-away stack: `.admin_dsn`, `.dsn(service)`, `.bootstrap`, `.pg_port`,
    `.kafka_port`, `.env(service)`, `.log_dir`; `await .new_database()`, `await .new_topic()`,
    `await .start_service(name)` (a real uvicorn process; returns its URL)."""
    t0 = time.monotonic()
    s = Stack.throwaway()
    from .pii_scan import scan_logs

    # every log the session produced is scanned once all processes have stopped.
    s.before_remove.append(lambda log_dir: _pii_findings.extend(scan_logs(log_dir)))
    async with s:
        _started.append((s, time.monotonic() - t0))
        with s.environ():
            yield s


@pytest.fixture(scope="session")
def token_for() -> Callable[..., str]:
    """token_for(role, sub=None, client_id=None, team_id=None, ttl=None) → a bearer token signed
    with the local key. `role` may be a list of roles; a `client` role needs `client_id`."""
    from .cli import mint

    def make(role: str | list[str], sub: str | None = None, client_id: str | None = None,
             team_id: str | None = None, ttl: int | None = None) -> str:
        roles = [role] if isinstance(role, str) else list(role)
        return mint(roles, sub=sub, client_id=client_id, team_id=team_id, ttl=ttl)

    return make


def pytest_sessionfinish(session, exitstatus) -> None:  # noqa: ARG001
    if _pii_findings and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if _pii_findings:
        terminalreporter.write_line(
            f"PERSONAL DATA IN LOGS (R-46): {len(_pii_findings)} unmasked value(s):", red=True)
        for finding in _pii_findings[:50]:
            terminalreporter.write_line(f"  {finding}", red=True)
    elif _started:
        terminalreporter.write_line("logs scanned for unmasked ID, card and mobile numbers: none found")
    for line in _costs:
        terminalreporter.write_line(line)
    for s, seconds in _started:
        terminalreporter.write_line(
            f"throw-away stack: PostgreSQL 127.0.0.1:{s.pg_port}, Tansu {s.bootstrap}, "
            f"started in {seconds:.1f}s; migrated: {', '.join(s.migrated) or 'no service yet'}")
