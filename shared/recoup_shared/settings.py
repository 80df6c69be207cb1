"""Settings from the environment only (prefix RECOUP_), with local defaults.

Every service subclasses `ServiceSettings`; the local profile needs no configuration at all, the
production profile refuses to start with the committed local keys (they are public in the repo).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cached_property
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from .bus.security import KafkaSettings

# Local-only key material. Public in the repository by design; refused outside the local profile.
LOCAL_DATA_KEYS = "local-1:" + base64.b64encode(hashlib.sha256(b"recoup-local-data-key-1").digest()).decode()
LOCAL_BLIND_INDEX_KEY = base64.b64encode(hashlib.sha256(b"recoup-local-blind-index").digest()).decode()
LOCAL_JWT_PRIVATE_KEY_FILE = "local"  # sentinel: the key pair shipped in recoup_shared/keys/


class ServiceSettings(KafkaSettings):
    """Kafka connection and security (TLS, SCRAM, mutual TLS; plaintext refused in production):
    the RECOUP_KAFKA_* fields of `KafkaSettings` (bus/security.py)."""

    model_config = SettingsConfigDict(env_prefix="RECOUP_", extra="ignore", frozen=True)

    service_name: str = "recoup"
    profile: Literal["local", "test", "production"] = "local"

    database_url: str = "postgresql://postgres@127.0.0.1:55432/recoup"
    db_pool_min: int = 2
    db_pool_max: int = 10

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    topic_partitions: int = 12
    topic_replication: int = 1
    consumer_batch_max: int = 2000
    consumer_max_attempts: int = 5  # handler failures before an event is dead-lettered
    # The consumer group's session and heartbeat (Kafka's defaults; a broker refuses a session
    # under its group.min.session.timeout.ms, 6 s). The local stack's Tansu holds a JoinGroup for
    # half the session timeout, so it runs with 3 s / 0.75 s (recoup_local.stack): a consumer
    # joins in ~2 s instead of 5, and a killed one is replaced sooner.
    consumer_session_timeout_ms: int = 10000
    consumer_heartbeat_ms: int = 3000
    relay_batch_size: int = 5000
    relay_poll_seconds: float = 1.0
    # Broker connections the outbox relay produces on (bus/produce.py send_all): aiokafka has one
    # produce request in flight per connection, so one connection sends a big batch request after
    # request; two send a placement's 100,000 events in about half the time.
    relay_connections: int = Field(default=2, ge=1, le=8)
    outbox_retention_days: int = 7

    # Auth: RS256. Production verifies against a JWKS URL; local/test use the shipped key.
    jwt_jwks_url: str | None = None
    jwt_public_key_pem: str | None = None
    jwt_issuer: str = "recoup"
    jwt_audience: str = "recoup"

    # Personal data at rest: "kid:base64key,kid2:base64key"; the first listed encrypts.
    data_keys: str = LOCAL_DATA_KEYS
    blind_index_key: str = LOCAL_BLIND_INDEX_KEY

    log_level: str = "INFO"
    log_file: str | None = None
    # JSON lines on stderr too (the launcher renders them readable on its console); off where a
    # process prints something else (benchmarks print their figures, RECOUP_LOG_CONSOLE=false).
    log_console: bool = True
    # The business zone: business dates, month cuts, the default debtor zone.
    timezone: str = "Asia/Shanghai"
    # A controllable business clock (clock.py) — local and test profiles only.
    clock: str | None = None
    clock_file: str | None = None

    max_request_bytes: int = Field(default=256 * 1024 * 1024)

    @model_validator(mode="after")
    def _refuse_local_keys_in_production(self) -> "ServiceSettings":
        if self.profile == "production":
            problems = []
            if self.data_keys == LOCAL_DATA_KEYS:
                problems.append("RECOUP_DATA_KEYS")
            if self.blind_index_key == LOCAL_BLIND_INDEX_KEY:
                problems.append("RECOUP_BLIND_INDEX_KEY")
            if not (self.jwt_jwks_url or self.jwt_public_key_pem):
                problems.append("RECOUP_JWT_JWKS_URL or RECOUP_JWT_PUBLIC_KEY_PEM")
            if self.clock or self.clock_file:
                raise ValueError("production profile refuses RECOUP_CLOCK / RECOUP_CLOCK_FILE: "
                                 "the business clock is the real one there")
            if problems:
                raise ValueError(
                    "production profile refuses local defaults; set: " + ", ".join(problems)
                )
        return self

    @model_validator(mode="after")
    def _clock_parses(self) -> "ServiceSettings":
        from .clock import ClockSpec, zone_of

        zone_of(self.timezone)
        ClockSpec.parse(self.clock)
        return self

    @property
    def is_local(self) -> bool:
        return self.profile in ("local", "test")

    @cached_property
    def data_key_ring(self) -> dict[str, bytes]:
        ring: dict[str, bytes] = {}
        for part in self.data_keys.split(","):
            kid, _, b64 = part.strip().partition(":")
            ring[kid] = base64.b64decode(b64)
        return ring

    @property
    def active_data_key_id(self) -> str:
        return self.data_keys.split(",")[0].split(":")[0].strip()
