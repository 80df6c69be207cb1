"""FieldopsSettings: the domain's numbers by default, incoherent values refused at start."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError
from recoup_fieldops.context import deadline_config, planner_config
from recoup_fieldops.settings import FieldopsSettings
from recoup_shared.clock import zone_of

PROD = {"profile": "production", "data_keys": "k1:" + "A" * 43 + "=", "blind_index_key": "B" * 43 + "=",
        "jwt_jwks_url": "https://sso.example/certs", "kafka_allow_plaintext": True}


def test_defaults_are_the_domain_values():
    s = FieldopsSettings()
    d = deadline_config(s, zone_of("Asia/Shanghai"))
    assert (d.local_min_amount, d.local.days, d.repaired.days, d.unrepaired.days, d.escalation.days) == (
        Decimal("5000"), 2, 3, 10, 5)
    p = planner_config(s)
    assert p.slots.min_agents == 2 and p.special_population_agents == 2
    assert s.evidence_retention_years == 5 and s.evidence_backend == "local"


@pytest.mark.parametrize("values", [
    {"evidence_retention_years": 4},                                          # at least 5
    {"min_agents": 1},                                                        # at least 2
    {"home_rest_day_band": "09:00-21:00", "workplace_rest_day_band": "10:00-12:00"},   # overlap
    {"home_working_day_band": "21:00-18:00"},
    {"evidence_max_bytes": 10 * 1024 * 1024, "max_request_bytes": 10 * 1024 * 1024},
    {"deadline_lost_contact_min_amount": "30000"},
    {"local_areas": ["河南省/郑州市/金水区/x"]},
    {"team_capacity": 10_000},
])
def test_incoherent_settings_are_refused(values):
    with pytest.raises(ValidationError):
        FieldopsSettings(**values)


def test_production_keeps_evidence_in_s3():
    with pytest.raises(ValidationError, match="S3"):
        FieldopsSettings(**PROD)
    s = FieldopsSettings(**PROD, evidence_backend="s3", evidence_s3_bucket="recoup-evidence")
    assert s.evidence_backend == "s3"
