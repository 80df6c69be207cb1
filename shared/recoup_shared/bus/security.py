"""How every Kafka client of the platform connects: plaintext (local), SASL_SSL with SCRAM, or
mutual TLS — decided here once, from RECOUP_KAFKA_* settings.

`client_kwargs(settings)` returns the aiokafka keyword arguments (security_protocol, ssl_context,
sasl_*) that every client is built with: the outbox producer, the consumer and its DLQ
producer (web.py / consumer.py), the admin client of `ensure_topics` and the DLQ replay tool.

    local, tests      PLAINTEXT (the default; Tansu has no TLS)
    production        SASL_SSL + SCRAM-SHA-512 (Strimzi KafkaUser, password from a mounted file)
                      or SSL with a client certificate (mutual TLS; Strimzi `tls` KafkaUser)
    docker compose    PLAINTEXT, allowed explicitly with RECOUP_KAFKA_ALLOW_PLAINTEXT=true

The production profile refuses a plaintext connection unless it is explicitly allowed. Secrets
(SASL password, key password) come from the environment or, better, from a file (`*_FILE`, a
mounted Kubernetes Secret: not visible in the process environment, and a rotated Secret is picked
up at the next start).
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any, Literal

from aiokafka.helpers import create_ssl_context
from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Protocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
Mechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]

PLAINTEXT_PROTOCOLS = ("PLAINTEXT", "SASL_PLAINTEXT")


class KafkaSecurityError(ValueError):
    pass


class KafkaSettings(BaseSettings):
    """The Kafka connection settings (prefix RECOUP_). ServiceSettings extends this; tools that
    need only the bus (the DLQ replay) use it alone, without the service's keys."""

    model_config = SettingsConfigDict(env_prefix="RECOUP_", extra="ignore", frozen=True)

    profile: Literal["local", "test", "production"] = "local"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"

    kafka_security_protocol: Protocol = "PLAINTEXT"
    kafka_allow_plaintext: bool = False          # production only: accept PLAINTEXT (compose)
    kafka_sasl_mechanism: Mechanism = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_sasl_password_file: Path | None = None
    kafka_ssl_cafile: Path | None = None         # CA of the brokers' certificates (Strimzi cluster CA)
    kafka_ssl_certfile: Path | None = None       # client certificate (mutual TLS)
    kafka_ssl_keyfile: Path | None = None
    kafka_ssl_key_password: SecretStr | None = None
    kafka_ssl_key_password_file: Path | None = None

    @model_validator(mode="after")
    def _check_kafka_security(self) -> "KafkaSettings":
        problems = kafka_security_problems(self)
        if problems:
            raise ValueError("Kafka connection settings: " + "; ".join(problems))
        return self


def kafka_security_problems(s: KafkaSettings) -> list[str]:
    problems = []
    protocol = s.kafka_security_protocol
    if s.profile == "production" and protocol in PLAINTEXT_PROTOCOLS and not s.kafka_allow_plaintext:
        problems.append(
            f"the production profile refuses an unencrypted broker connection ({protocol}): set "
            "RECOUP_KAFKA_SECURITY_PROTOCOL=SASL_SSL (SCRAM) or SSL (mutual TLS), or "
            "RECOUP_KAFKA_ALLOW_PLAINTEXT=true where the network is private (docker compose)")
    if protocol.startswith("SASL_"):
        if not s.kafka_sasl_username:
            problems.append(f"{protocol} needs RECOUP_KAFKA_SASL_USERNAME")
        if s.kafka_sasl_password is None and s.kafka_sasl_password_file is None:
            problems.append(f"{protocol} needs RECOUP_KAFKA_SASL_PASSWORD_FILE (or _PASSWORD)")
    if (s.kafka_ssl_certfile is None) != (s.kafka_ssl_keyfile is None):
        problems.append("a client certificate needs both RECOUP_KAFKA_SSL_CERTFILE and _KEYFILE")
    if protocol == "SSL" and s.profile == "production" and s.kafka_ssl_certfile is None:
        problems.append("SSL in production is mutual TLS: set RECOUP_KAFKA_SSL_CERTFILE and "
                        "RECOUP_KAFKA_SSL_KEYFILE (or use SASL_SSL)")
    if protocol in PLAINTEXT_PROTOCOLS and (s.kafka_ssl_cafile or s.kafka_ssl_certfile):
        problems.append(f"TLS files are set but RECOUP_KAFKA_SECURITY_PROTOCOL is {protocol}")
    return problems


def _secret(value: SecretStr | None, file: Path | None, what: str) -> str | None:
    if file is not None:
        try:
            return file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise KafkaSecurityError(f"cannot read {what} from {file}: {exc.strerror}") from None
    return value.get_secret_value() if value is not None else None


def ssl_context(s: KafkaSettings) -> ssl.SSLContext:
    """Verifies the brokers (their CA, and their host name) and, for mutual TLS, presents the
    client certificate. TLS 1.2 at least."""
    key_password = _secret(s.kafka_ssl_key_password, s.kafka_ssl_key_password_file,
                           "the client key password")

    def password() -> str:
        # Without a password OpenSSL would prompt on the terminal for an encrypted key.
        if key_password is None:
            raise KafkaSecurityError("the Kafka client key is encrypted: set "
                                     "RECOUP_KAFKA_SSL_KEY_PASSWORD_FILE")
        return key_password

    try:
        context = create_ssl_context(
            cafile=s.kafka_ssl_cafile, certfile=s.kafka_ssl_certfile, keyfile=s.kafka_ssl_keyfile,
            password=password if s.kafka_ssl_certfile is not None else None)
    except (OSError, ssl.SSLError) as exc:
        raise KafkaSecurityError(f"Kafka TLS files: {exc}") from exc
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def client_kwargs(s: KafkaSettings) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaProducer / AIOKafkaConsumer / AIOKafkaAdminClient."""
    protocol = s.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return {}
    kwargs: dict[str, Any] = {"security_protocol": protocol}
    if protocol in ("SSL", "SASL_SSL"):
        kwargs["ssl_context"] = ssl_context(s)
    if protocol.startswith("SASL_"):
        kwargs.update(sasl_mechanism=s.kafka_sasl_mechanism,
                      sasl_plain_username=s.kafka_sasl_username,
                      sasl_plain_password=_secret(s.kafka_sasl_password, s.kafka_sasl_password_file,
                                                  "the SASL password"))
    return kwargs
