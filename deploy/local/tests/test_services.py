"""The launcher's list of services and ports is deploy/k8s/services.yaml, read from the checkout."""

from __future__ import annotations

import yaml

from recoup_local import procs, services


def test_ports_come_from_services_yaml():
    spec = yaml.safe_load((services.repo_root() / services.SPEC_PATH).read_text())
    assert services.SERVICES == {n: s["port"] for n, s in sorted(spec["services"].items(),
                                                                   key=lambda i: i[1]["port"])}
    assert list(services.SERVICES)[:2] == ["intake", "allocation"]
    assert set(services.SERVICES.values()) <= procs.reserved_ports()


def test_a_listed_service_not_written_yet_is_known_but_not_started(tmp_path, monkeypatch):
    spec = tmp_path / "services.yaml"
    spec.write_text(yaml.safe_dump({"services": {
        "billing": {"port": 8006}, "intake": {"port": 8001}, "zeta": {"port": 8010, "planned": True}}}))
    ports = services.load_ports(spec)
    assert ports == {"intake": 8001, "billing": 8006, "zeta": 8010}   # port order
    monkeypatch.setattr(services, "SERVICES", ports)
    assert "zeta" not in services.existing() and "zeta" not in services.runnable()
    assert {"intake", "billing"} <= set(services.runnable())
    assert 8010 in procs.reserved_ports()


def test_without_a_checkout_the_packaged_topology_gives_the_same_ports(tmp_path):
    from recoup_shared.bus.topology import SERVICES as packaged

    assert services.load_ports(tmp_path / "missing.yaml") == services.SERVICES
    assert {n: s["port"] for n, s in packaged.items()} == services.SERVICES
