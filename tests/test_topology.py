"""deploy/k8s/services.yaml drives the services at run time (bus/topology.py, generated from it):
a service that emits nothing runs no outbox relay; the others relay exactly what they emit."""

from __future__ import annotations

import pytest

from recoup_shared.bus import topology


def test_the_packaged_topology_is_the_one_list():
    yaml = pytest.importorskip("yaml")
    from pathlib import Path

    spec = yaml.safe_load((Path(__file__).resolve().parents[1] / "deploy/k8s/services.yaml").read_text())
    assert set(topology.SERVICES) == set(spec["services"])
    for name, svc in spec["services"].items():
        assert topology.emits(name) == tuple(svc.get("emits", []))
    assert topology.emits("not-a-service") is None


@pytest.mark.parametrize("name", ["billing", "allocation"])
async def test_relay_switch_is_derived_from_what_the_service_emits(stack, name):
    from recoup_local.inprocess import running_service

    async with running_service(stack, name) as svc:
        relay = svc.app.state.relay
        if topology.emits(name):
            assert relay is not None and relay.topics == frozenset(topology.emits(name))
        else:
            assert relay is None, f"{name} emits nothing: no outbox relay"
