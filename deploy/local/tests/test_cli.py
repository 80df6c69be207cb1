"""`recoup token` and the `token_for` fixture: tokens the local stack accepts."""

from __future__ import annotations

import pytest

from recoup_local import cli
from recoup_shared.auth import TokenVerifier
from recoup_shared.errors import ServiceError


def _verify(token: str):
    return TokenVerifier(jwks_url=None, public_key_pem=None, issuer="recoup", audience="recoup",
                         allow_local=True).verify(token)


def test_token_command_prints_a_token_the_local_stack_accepts(capsys) -> None:
    assert cli.main(["token", "--role", "collector", "--team-id", "T1"]) == 0
    p = _verify(capsys.readouterr().out.strip())
    assert p.roles == {"collector"} and p.sub == "collector" and p.team_id == "T1"


def test_client_token_needs_a_client_and_defaults_its_subject(capsys) -> None:
    assert cli.main(["token", "--role", "client"]) == 2
    assert "--client-id" in capsys.readouterr().err
    assert cli.main(["token", "--role", "client", "--client-id", "ICBC-SH"]) == 0
    p = _verify(capsys.readouterr().out.strip())
    assert p.is_client and p.client_id == "ICBC-SH" and p.sub == "ICBC-SH"


def test_unknown_role_is_refused(capsys) -> None:
    assert cli.main(["token", "--role", "janitor"]) == 2
    assert "unknown role" in capsys.readouterr().err


def test_several_roles_and_a_short_ttl(capsys) -> None:
    assert cli.main(["token", "--role", "auditor", "--role", "finance", "--sub", "u42",
                     "--ttl", "60"]) == 0
    p = _verify(capsys.readouterr().out.strip())
    assert p.roles == {"auditor", "finance"} and p.sub == "u42"
    assert p.claims["exp"] - p.claims["iat"] == 60


def test_expired_token_is_refused() -> None:
    with pytest.raises(ServiceError):
        _verify(cli.mint(["admin"], ttl=-120))


def test_token_for_fixture(token_for) -> None:
    p = _verify(token_for("client", client_id="CMB-01"))
    assert p.client_id == "CMB-01"
    assert _verify(token_for(["team_lead"], sub="lead-7", team_id="T9")).team_id == "T9"
    with pytest.raises(ValueError):
        token_for("client")


def test_clock_command_writes_the_stack_clock_file(tmp_path):
    from recoup_local.cli import main
    from recoup_shared.clock import BusinessClock

    assert main(["clock", "fixed:2026-12-05T21:05:00+08:00", "--data-dir", str(tmp_path)]) == 0
    clock = BusinessClock(spec_file=str(tmp_path / "run" / "clock"))
    assert clock.local_now().hour == 21
    assert main(["clock", "yesterday", "--data-dir", str(tmp_path)]) == 2
    assert main(["clock", "real", "--data-dir", str(tmp_path)]) == 0
    assert not (tmp_path / "run" / "clock").exists()
