"""Issue 14 items 5 and 7, over intake's whole OpenAPI document: every integer parameter is
bounded (a value beyond it is a 422, never a 500 from PostgreSQL), and no route takes personal data
(ID, card, phone numbers) in its path or query string."""

from __future__ import annotations

import re

import pytest

HUGE = 2**63
PERSONAL = re.compile(r"id_number|card|phone|mobile|account_ref|debtor|address|id_card|身份证|手机", re.I)


async def _spec(intake) -> dict:
    return (await intake.client.get("/openapi.json")).json()


def _parameters(spec: dict):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                yield path, method, p


def _integer(schema: dict) -> dict | None:
    if schema.get("type") == "integer":
        return schema
    for alt in schema.get("anyOf", []):
        if alt.get("type") == "integer":
            return alt
    return None


async def test_every_integer_parameter_declares_its_bounds(intake):
    spec = await _spec(intake)
    found = []
    for path, method, p in _parameters(spec):
        schema = _integer(p.get("schema", {}))
        if schema is not None:
            found.append((method, path, p["name"]))
            assert "maximum" in schema and "minimum" in schema, (method, path, p["name"])
            assert schema["maximum"] < 2**31, (method, path, p["name"])
    upload = spec["paths"]["/v1/placements/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"]["properties"]["template_version"]["maximum"] == 2**31 - 1
    assert len(found) >= 6  # the lists' limits, errors_limit, warnings_limit, the template version


@pytest.mark.parametrize("path, params", [
    ("/v1/placements", {"limit": HUGE}),
    ("/v1/placements/X-1", {"errors_limit": HUGE}),
    ("/v1/placements/X-1", {"warnings_limit": HUGE}),
    ("/v1/placements/X-1", {"errors_limit": -1}),
    ("/v1/placements/X-1/cases", {"limit": HUGE}),
    ("/v1/cases", {"limit": HUGE}),
    ("/v1/audit-log", {"limit": HUGE}),
    ("/v1/import-templates/bank-a/cards/2147483648", {}),
    ("/v1/import-templates/bank-a/cards/99999999999999999999999", {}),
])
async def test_integers_beyond_their_bounds_are_422(intake, auth, path, params):
    r = await intake.client.get(path, params={"client_id": "bank-a", **params}, headers=auth("admin"))
    assert r.status_code == 422, (path, params, r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_an_upload_naming_a_huge_template_version_is_422(intake, as_client):
    r = await intake.client.post("/v1/placements/upload", headers=as_client, files={"file": ("a.csv", b"x", "text/csv")},
                                 data={"placement_ref": "B-1", "product": "cc", "placed_on": "2026-11-20",
                                       "template": "t", "template_version": str(HUGE)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "template_version"


async def test_no_route_takes_personal_data_in_its_path_or_query(intake):
    spec = await _spec(intake)
    offending = [(m, path, p["name"]) for path, m, p in _parameters(spec)
                 if p.get("in") in ("query", "path") and PERSONAL.search(p["name"])]
    assert offending == []
    # the lookups are there, in a body
    search = spec["paths"]["/v1/cases/search"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    ref = search["$ref"].rsplit("/", 1)[-1]
    assert {"id_number", "card_number", "phone"} <= set(spec["components"]["schemas"][ref]["properties"])
