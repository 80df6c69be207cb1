"""Kafka client security (bus/security.py): the settings per mode, the refusal of plaintext in
production, and the aiokafka arguments every client is built with — with real certificates from a
throw-away CA (a TLS broker cannot be run here: Tansu has no TLS)."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from recoup_shared.bus import security, topics
from recoup_shared.bus.consumer import EventConsumer
from recoup_shared.bus.produce import make_producer
from recoup_shared.bus.security import KafkaSettings, client_kwargs

# --- a throw-away CA with a client certificate ----------------------------------------------


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: str, key, issuer: str, issuer_key, *, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    return (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256()))


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("recoup-test-ca", ca_key, "recoup-test-ca", ca_key, ca=True)
    user_key = ec.generate_private_key(ec.SECP256R1())
    user = _cert("recoup-billing", user_key, "recoup-test-ca", ca_key, ca=False)
    pem = serialization.Encoding.PEM
    files = {"ca": d / "ca.crt", "cert": d / "user.crt", "key": d / "user.key",
             "key_enc": d / "user-enc.key", "password": d / "password", "key_password": d / "key-password"}
    files["ca"].write_bytes(ca.public_bytes(pem))
    files["cert"].write_bytes(user.public_bytes(pem))
    files["key"].write_bytes(user_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    files["key_enc"].write_bytes(user_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"k3y-pass")))
    files["password"].write_text("s3cr3t-scram\n")
    files["key_password"].write_text("k3y-pass\n")
    return files


def _ca_subjects(context: ssl.SSLContext) -> list[str]:
    return [dict(x[0] for x in c["subject"])["commonName"] for c in context.get_ca_certs()]


# --- settings ---------------------------------------------------------------------------------

def test_plaintext_is_the_local_default_and_adds_nothing():
    s = KafkaSettings()
    assert s.kafka_security_protocol == "PLAINTEXT"
    assert client_kwargs(s) == {}


def test_production_refuses_plaintext_unless_allowed():
    with pytest.raises(ValueError, match="refuses an unencrypted"):
        KafkaSettings(profile="production")
    with pytest.raises(ValueError, match="refuses an unencrypted"):
        KafkaSettings(profile="production", kafka_security_protocol="SASL_PLAINTEXT",
                      kafka_sasl_username="u", kafka_sasl_password="p")
    assert KafkaSettings(profile="production", kafka_allow_plaintext=True).kafka_allow_plaintext


def test_production_refusal_reaches_the_service_settings(monkeypatch):
    from recoup_shared.settings import ServiceSettings

    monkeypatch.setenv("RECOUP_PROFILE", "production")
    monkeypatch.setenv("RECOUP_DATA_KEYS", "p1:" + "A" * 43 + "=")
    monkeypatch.setenv("RECOUP_BLIND_INDEX_KEY", "B" * 43 + "=")
    monkeypatch.setenv("RECOUP_JWT_JWKS_URL", "https://idp.example/jwks")
    with pytest.raises(ValueError, match="RECOUP_KAFKA_SECURITY_PROTOCOL"):
        ServiceSettings()
    monkeypatch.setenv("RECOUP_KAFKA_ALLOW_PLAINTEXT", "true")
    assert ServiceSettings().kafka_security_protocol == "PLAINTEXT"


@pytest.mark.parametrize("kwargs, message", [
    ({"kafka_security_protocol": "SASL_SSL"}, "RECOUP_KAFKA_SASL_USERNAME"),
    ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_username": "u"}, "PASSWORD"),
    ({"kafka_security_protocol": "SSL", "kafka_ssl_certfile": "/x.crt"}, "both"),
    ({"kafka_security_protocol": "SSL", "profile": "production"}, "mutual TLS"),
    ({"kafka_ssl_cafile": "/ca.crt"}, "TLS files are set"),
])
def test_incomplete_security_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        KafkaSettings(**kwargs)


# --- client arguments per mode -----------------------------------------------------------------

def test_sasl_ssl_scram_with_password_from_a_file(pki):
    s = KafkaSettings(profile="production", kafka_security_protocol="SASL_SSL",
                      kafka_sasl_username="recoup-billing", kafka_sasl_password_file=pki["password"],
                      kafka_ssl_cafile=pki["ca"])
    kw = client_kwargs(s)
    assert set(kw) == {"security_protocol", "ssl_context", "sasl_mechanism", "sasl_plain_username",
                       "sasl_plain_password"}
    assert kw["security_protocol"] == "SASL_SSL" and kw["sasl_mechanism"] == "SCRAM-SHA-512"
    assert kw["sasl_plain_username"] == "recoup-billing"
    assert kw["sasl_plain_password"] == "s3cr3t-scram"          # the file's content, stripped
    ctx = kw["ssl_context"]
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.minimum_version >= ssl.TLSVersion.TLSv1_2
    assert _ca_subjects(ctx) == ["recoup-test-ca"]              # trusts the cluster CA only
    assert "s3cr3t" not in repr(s)                               # the secret stays out of logs


def test_mutual_tls_presents_the_client_certificate(pki):
    s = KafkaSettings(profile="production", kafka_security_protocol="SSL", kafka_ssl_cafile=pki["ca"],
                      kafka_ssl_certfile=pki["cert"], kafka_ssl_keyfile=pki["key"])
    kw = client_kwargs(s)
    assert set(kw) == {"security_protocol", "ssl_context"} and kw["security_protocol"] == "SSL"
    assert _ca_subjects(kw["ssl_context"]) == ["recoup-test-ca"]


def test_mutual_tls_with_an_encrypted_key(pki):
    base = dict(kafka_security_protocol="SSL", kafka_ssl_cafile=pki["ca"],
                kafka_ssl_certfile=pki["cert"], kafka_ssl_keyfile=pki["key_enc"])
    assert client_kwargs(KafkaSettings(**base, kafka_ssl_key_password_file=pki["key_password"]))
    with pytest.raises(security.KafkaSecurityError):   # never an interactive OpenSSL prompt
        client_kwargs(KafkaSettings(**base))


def test_a_key_that_does_not_match_the_certificate_is_refused(pki, tmp_path):
    other = tmp_path / "other.key"
    other.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    s = KafkaSettings(kafka_security_protocol="SSL", kafka_ssl_cafile=pki["ca"],
                      kafka_ssl_certfile=pki["cert"], kafka_ssl_keyfile=other)
    with pytest.raises(security.KafkaSecurityError):
        client_kwargs(s)


def test_a_missing_secret_file_is_a_clear_error(tmp_path):
    s = KafkaSettings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="u",
                      kafka_sasl_password_file=tmp_path / "nope")
    with pytest.raises(security.KafkaSecurityError, match="SASL password"):
        client_kwargs(s)


def test_sasl_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("RECOUP_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("RECOUP_KAFKA_SASL_USERNAME", "recoup-intake")
    monkeypatch.setenv("RECOUP_KAFKA_SASL_PASSWORD", "from-env")
    kw = client_kwargs(KafkaSettings())
    assert kw["sasl_plain_password"] == "from-env" and kw["ssl_context"].check_hostname


# --- every client of the platform gets them ----------------------------------------------------

@pytest.fixture()
def scram_kwargs(pki):
    return client_kwargs(KafkaSettings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="u",
                                       kafka_sasl_password="p", kafka_ssl_cafile=pki["ca"]))


async def test_producer_consumer_and_dlq_producer_are_built_with_them(scram_kwargs):
    producer = make_producer("127.0.0.1:1", **scram_kwargs)
    consumer = EventConsumer(None, bootstrap_servers="127.0.0.1:1", group_id="g", handlers={"t": None},
                             service="s", security=scram_kwargs)
    for client in (producer.client, consumer._consumer._client, consumer._dlq_producer.client):
        assert client._security_protocol == "SASL_SSL"
        assert client._ssl_context is scram_kwargs["ssl_context"]
        assert client._sasl_mechanism == "SCRAM-SHA-512"


async def test_the_admin_client_of_ensure_topics_is_built_with_them(monkeypatch, scram_kwargs):
    seen = {}

    class Admin:
        def __init__(self, **kwargs):
            seen.update(kwargs)

        async def start(self):
            pass

        async def list_topics(self):
            return ["a.b"]

        async def close(self):
            pass

    monkeypatch.setattr(topics, "AIOKafkaAdminClient", Admin)
    await topics.ensure_topics("127.0.0.1:1", topics=["a.b"], security=scram_kwargs)
    assert seen["security_protocol"] == "SASL_SSL" and seen["sasl_plain_username"] == "u"


def test_the_replay_tool_reads_only_the_bus_settings(monkeypatch):
    """The DLQ replay Job has Kafka credentials and no service keys: it must not need them."""
    from recoup_shared.bus import replay

    seen = {}

    async def fake_replay(bootstrap, topic, **kwargs):
        seen.update(kwargs, bootstrap=bootstrap)
        return 0

    monkeypatch.setattr(replay, "replay_dlq", fake_replay)
    monkeypatch.setenv("RECOUP_PROFILE", "production")
    monkeypatch.setenv("RECOUP_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("RECOUP_KAFKA_SASL_USERNAME", "recoup-dlq-replay")
    monkeypatch.setenv("RECOUP_KAFKA_SASL_PASSWORD", "p")
    assert replay.main(["--topic", "case.received", "--bootstrap-servers", "k:9093"]) == 0
    assert seen["bootstrap"] == "k:9093"
    assert seen["security"]["security_protocol"] == "SASL_SSL"
    assert seen["security"]["sasl_plain_username"] == "recoup-dlq-replay"
