"""LISTEN for NOTIFY wake-ups (the outbox relay, the job runner) on one connection of the pool,
kept across database restarts.

A LISTEN lives on one connection; when the database restarts (or fails over, or cuts idle
connections) that connection dies and, unwatched, the wake-ups stop for good — the relay and the
jobs fall back to their polling intervals, and stopping the service failed on the dead
connection (the fault suite found both). Here the connection is watched: a lost one is replaced
with back-off, and every callback is called once it is back (a notification sent meanwhile was
missed). `stop()` never raises.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

import asyncpg

from .logging import get_logger
from .waiting import wait_event

log = get_logger(__name__)


class Listener:
    def __init__(self, pool: asyncpg.Pool, callbacks: Mapping[str, Callable[[], None]], *, name: str,
                 check_seconds: float = 1.0, max_backoff: float = 10.0) -> None:
        self.pool, self.callbacks, self.name = pool, dict(callbacks), name
        self.check_seconds, self.max_backoff = check_seconds, max_backoff
        self.reconnects = 0
        self._conn: Any = None
        self._lost = asyncio.Event()
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        """Listen now (raises if the database is out of reach), then keep listening."""
        await self._connect()
        self._task = asyncio.create_task(self._watch(), name=f"listener-{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self._drop()

    @property
    def listening(self) -> bool:
        try:
            return self._conn is not None and not self._conn.is_closed()
        except Exception:  # noqa: BLE001 - a proxy detached from its pool: not listening
            return False

    async def _connect(self) -> None:
        conn = await self.pool.acquire()
        try:
            for channel in self.callbacks:
                await conn.add_listener(channel, self._on_notify)
            conn.add_termination_listener(self._on_terminated)
        except BaseException:
            await self._release(conn)
            raise
        self._conn = conn
        self._lost.clear()

    def _on_notify(self, _conn: Any, _pid: int, channel: str, _payload: str) -> None:
        callback = self.callbacks.get(channel)
        if callback is not None:
            callback()

    def _on_terminated(self, _conn: Any) -> None:
        self._lost.set()

    async def _watch(self) -> None:
        backoff = 0.2
        while True:
            await wait_event(self._lost, self.check_seconds)
            if self.listening:
                continue
            await self._drop()
            try:
                await self._connect()
            except Exception as exc:  # noqa: BLE001 - the database is still away: try again
                log.warning("listener lost its connection; retrying", listener=self.name,
                            error=repr(exc), backoff=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            backoff = 0.2
            self.reconnects += 1
            log.info("listening again", listener=self.name, channels=sorted(self.callbacks))
            for callback in self.callbacks.values():
                callback()  # what was notified while we were not listening

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if not conn.is_closed():
                for channel in self.callbacks:
                    await conn.remove_listener(channel, self._on_notify)
        except Exception:  # noqa: BLE001 - dead or detached: nothing to remove
            pass
        await self._release(conn)

    async def _release(self, conn: Any) -> None:
        try:
            await self.pool.release(conn, timeout=5)
        except Exception:  # noqa: BLE001 - already released, or the pool is closing
            pass
