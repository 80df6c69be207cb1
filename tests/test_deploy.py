"""Offline checks of the production deployment artefacts (issue 5): Kubernetes manifests,
Dockerfiles and docker-compose.yml. Nothing here needs a cluster, a Docker engine or the network.

- every kustomize overlay renders (`kustomize`, or `kubectl kustomize`; deploy/k8s/tools/
  ensure-kustomize.sh installs one if missing) and every core object validates in strict mode
  against the Kubernetes OpenAPI schemas shipped by `kubernetes-validate`;
- CRDs: KEDA ScaledObject and prometheus-operator ServiceMonitor against the models generated from
  their published CRDs (cloudcoil-models-*), strictly (unknown fields fail); Strimzi and
  CloudNativePG have no offline schema package, so schema validation is skipped for them (stated
  in the output) and their essentials are asserted structurally instead;
- the operational properties SREs rely on (probes, resources, securityContext, PDB, preStop vs
  grace period, autoscaling bounds, NetworkPolicies, TLS ingress, topic durability);
- each Dockerfile's shape, and docker-compose.yml against the Kubernetes base (services, ports,
  environment variable names, start order) and the Compose specification.
"""

from __future__ import annotations

import base64
import importlib
import ipaddress
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
K8S = REPO / "deploy" / "k8s"
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").exists())
RENDERS = ["base", *OVERLAYS]
COMPOSE_FILE = REPO / "docker-compose.yml"
COMPOSE_ENV = REPO / "deploy" / "compose.env"
DEMO_KEYS = REPO / "deploy" / "docker" / "demo-keys"

# Kinds served by operators (CRDs): not in the core Kubernetes schemas.
STRIMZI_KINDS = {"Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"}
CNPG_KINDS = {"Cluster"}
MODEL_VALIDATED_KINDS = {"ScaledObject", "TriggerAuthentication", "ServiceMonitor", "PrometheusRule"}
CRD_KINDS = STRIMZI_KINDS | CNPG_KINDS | MODEL_VALIDATED_KINDS

# JWT verification key: a JWKS URL in Kubernetes, a static public key in compose (no IdP there).
JWT_KEY_VARS = {"RECOUP_JWT_JWKS_URL", "RECOUP_JWT_PUBLIC_KEY_PEM"}
# Broker security: TLS + SCRAM (or mutual TLS) in Kubernetes, plaintext explicitly allowed in compose.
KAFKA_SECURITY_VARS = {"RECOUP_KAFKA_SECURITY_PROTOCOL", "RECOUP_KAFKA_SASL_MECHANISM",
                       "RECOUP_KAFKA_SASL_USERNAME", "RECOUP_KAFKA_SASL_PASSWORD_FILE",
                       "RECOUP_KAFKA_SSL_CAFILE", "RECOUP_KAFKA_SSL_CERTFILE", "RECOUP_KAFKA_SSL_KEYFILE",
                       "RECOUP_KAFKA_ALLOW_PLAINTEXT"}


# --- loading --------------------------------------------------------------------------------

def _load_generator():
    spec = importlib.util.spec_from_file_location("recoup_deploy_generate", K8S / "tools" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()
SPEC = GEN.load_spec()
# The services that are deployed; `planned: true` ones (package not written yet) have no objects.
SERVICES: dict[str, dict[str, Any]] = GEN.deployed(SPEC)
PLANNED = sorted(set(SPEC["services"]) - set(SERVICES))
CONSOLE = SPEC["console"]
STAFF_INGRESSES = {"console", "staff-api"}


def _renderer() -> list[str] | None:
    if shutil.which("kustomize"):
        return [shutil.which("kustomize"), "build"]  # type: ignore[list-item]
    for kubectl in (shutil.which("kubectl"), str(Path(sys.executable).parent / "kubectl")):
        if kubectl and os.access(kubectl, os.X_OK):
            ok = subprocess.run([kubectl, "kustomize", "--help"], capture_output=True).returncode == 0
            if ok:
                return [kubectl, "kustomize"]
    return None


@lru_cache(maxsize=None)
def render(target: str) -> tuple[dict[str, Any], ...]:
    cmd = _renderer()
    if cmd is None:
        pytest.fail("no kustomize renderer (kustomize or kubectl) found: run "
                    "deploy/k8s/tools/ensure-kustomize.sh (make test does)")
    path = K8S / "base" if target == "base" else K8S / "overlays" / target
    proc = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, f"kustomize failed for {target}:\n{proc.stderr}"
    docs = tuple(d for d in yaml.safe_load_all(proc.stdout) if d)
    assert docs, f"{target} rendered nothing"
    return docs


def of_kind(docs, kind: str) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind]


def named(docs, kind: str, name: str) -> dict[str, Any]:
    found = [d for d in of_kind(docs, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


def app_container(deploy: dict[str, Any]) -> dict[str, Any]:
    containers = deploy["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{deploy['metadata']['name']}: one container expected"
    return containers[0]


def service_deployments(docs) -> list[dict[str, Any]]:
    """The services' Deployments (the console's has its own checks below)."""
    return [d for d in of_kind(docs, "Deployment") if d["metadata"]["name"] in SERVICES]


def configmap_keys(docs, name: str) -> set[str]:
    return set(named(docs, "ConfigMap", name).get("data", {}))


def k8s_env_names(docs, deploy: dict[str, Any]) -> set[str]:
    c = app_container(deploy)
    names = {e["name"] for e in c.get("env", [])}
    for src in c.get("envFrom", []):
        names |= configmap_keys(docs, src["configMapRef"]["name"])
    return names


def k8s_env_values(docs, deploy: dict[str, Any]) -> dict[str, Any]:
    c = app_container(deploy)
    values: dict[str, Any] = {}
    for src in c.get("envFrom", []):
        values.update(named(docs, "ConfigMap", src["configMapRef"]["name"]).get("data", {}))
    for e in c.get("env", []):
        values[e["name"]] = e.get("value", e.get("valueFrom"))
    return values


# --- generated files ------------------------------------------------------------------------

def test_generated_manifests_and_dockerfiles_are_up_to_date(capsys):
    rc = GEN.main(["--check"])
    assert rc == 0, capsys.readouterr().err


def test_services_list_matches_the_shared_topics():
    topics = pytest.importorskip("recoup_shared.bus.topics")
    assert list(SPEC["topics"]) == list(topics.TOPICS)
    assert sorted(GEN.all_topics(SPEC)) == sorted(topics.all_topics())


@pytest.mark.parametrize("name", sorted(SPEC["services"]))
def test_planned_means_not_written_yet(name):
    """`planned: true` reserves a service's port and topology until the service runs (its app
    module exists — its rules may come first); that commit removes the flag (and so deploys it)."""
    written = (REPO / "services" / name / f"recoup_{name}" / "app.py").exists()
    if SPEC["services"][name]["planned"]:
        assert not written, f"services/{name}/ exists: delete `planned: true` in deploy/k8s/services.yaml"
    else:
        assert written, f"{name} is deployed but services/{name}/pyproject.toml is missing: mark it planned"


@pytest.mark.parametrize("name", sorted(SPEC["services"]))
def test_consumed_topics_match_the_service_handlers(name):
    """KEDA watches the lag of the topics listed in services.yaml: they must be the ones the
    service's consumer actually reads (handlers.HANDLERS keys are topic names)."""
    try:
        handlers = importlib.import_module(f"recoup_{name}.handlers")
    except ImportError as exc:
        pytest.skip(f"recoup_{name}.handlers not importable yet ({exc.__class__.__name__}: {exc})")
    assert sorted(handlers.HANDLERS) == sorted(SERVICES[name]["consumes"]), (
        f"deploy/k8s/services.yaml lists {name} consuming {SERVICES[name]['consumes']} but its "
        f"HANDLERS are {sorted(handlers.HANDLERS)}: update services.yaml and re-run the generator")


# --- rendering and schema validation --------------------------------------------------------

@pytest.mark.parametrize("target", RENDERS)
def test_renders(target):
    docs = render(target)
    assert named(docs, "Namespace", SPEC["namespace"])
    for d in docs:
        if d["kind"] != "Namespace":
            assert d["metadata"].get("namespace") == SPEC["namespace"], d["metadata"]["name"]


def _k8s_versions() -> list[str]:
    from kubernetes_validate.utils import latest_version
    return sorted({"1.30", latest_version()})


@pytest.mark.parametrize("target", RENDERS)
def test_core_objects_validate_strictly_against_kubernetes_schemas(target):
    kv = pytest.importorskip("kubernetes_validate")
    from kubernetes_validate.utils import SchemaNotFoundError

    errors, without_schema = [], set()
    for version in _k8s_versions():
        for d in render(target):
            try:
                kv.validate(d, version, strict=True)
            except SchemaNotFoundError:
                without_schema.add(d["kind"])
            except kv.ValidationError as exc:
                errors.append(f"k8s {version} {d['kind']}/{d['metadata']['name']}: "
                              f"{'/'.join(map(str, exc.path))}: {exc.message}")
    assert not errors, "\n".join(errors)
    # only operator kinds may lack a core schema; anything else is a typo'd apiVersion/kind
    assert without_schema <= CRD_KINDS, f"no schema for {sorted(without_schema - CRD_KINDS)}"


def test_strict_validation_really_rejects_unknown_fields():
    kv = pytest.importorskip("kubernetes_validate")
    deploy = json.loads(json.dumps(named(render("base"), "Deployment", "intake")))
    app_container(deploy)["readinesProbe"] = {"httpGet": {"path": "/readyz", "port": "http"}}
    with pytest.raises(kv.ValidationError):
        kv.validate(deploy, "1.30", strict=True)


def _unknown_fields(given: Any, kept: Any, path: str = "") -> list[str]:
    """Keys of `given` that the model dropped (pydantic ignores extra fields): unknown to the CRD."""
    out: list[str] = []
    if isinstance(given, dict):
        for key, value in given.items():
            if not isinstance(kept, dict) or key not in kept:
                out.append(f"{path}/{key}")
            else:
                out += _unknown_fields(value, kept[key], f"{path}/{key}")
    elif isinstance(given, list) and isinstance(kept, list):
        for i, (a, b) in enumerate(zip(given, kept)):
            out += _unknown_fields(a, b, f"{path}/{i}")
    return out


def _crd_models() -> dict[str, Any]:
    try:
        from cloudcoil.models.keda.v1alpha1 import ScaledObject
        from cloudcoil.models.prometheus_operator.v1 import PrometheusRule, ServiceMonitor
    except ImportError as exc:
        pytest.skip(f"CRD models not installed ({exc}); run deploy/k8s/tools/ensure-kustomize.sh")
    from cloudcoil.models.keda.v1alpha1 import TriggerAuthentication
    return {"ScaledObject": ScaledObject, "TriggerAuthentication": TriggerAuthentication,
            "ServiceMonitor": ServiceMonitor, "PrometheusRule": PrometheusRule}


@pytest.mark.parametrize("target", RENDERS)
def test_keda_and_prometheus_operator_objects_validate_against_their_crds(target):
    """ScaledObject, ServiceMonitor, PrometheusRule (the Ingress only carries a cert-manager
    annotation: no cert-manager object to validate)."""
    models = _crd_models()
    errors, checked = [], 0
    for d in render(target):
        model = models.get(d["kind"])
        if model is None:
            continue
        checked += 1
        try:
            kept = model.model_validate(d).model_dump(by_alias=True, exclude_unset=True, mode="json")
        except Exception as exc:  # pydantic.ValidationError
            errors.append(f"{d['kind']}/{d['metadata']['name']}: {exc}")
            continue
        unknown = _unknown_fields(d, kept)
        if unknown:
            errors.append(f"{d['kind']}/{d['metadata']['name']}: unknown fields {unknown}")
    assert not errors, "\n".join(errors)
    assert checked >= len(SERVICES) + 1  # a ServiceMonitor per service and the alert rules


def test_crd_model_check_rejects_unknown_fields_and_wrong_types():
    models = _crd_models()
    so = json.loads(json.dumps(of_kind(render("base"), "ScaledObject")[0]))
    so["spec"]["maxReplicas"] = 3   # HPA spelling, not KEDA's
    kept = models["ScaledObject"].model_validate(so).model_dump(by_alias=True, exclude_unset=True, mode="json")
    assert _unknown_fields(so, kept) == ["/spec/maxReplicas"]
    so["spec"].pop("maxReplicas")
    so["spec"]["triggers"][0]["metadata"]["lagThreshold"] = 1000   # KEDA wants strings
    with pytest.raises(Exception):
        models["ScaledObject"].model_validate(so)


def test_strimzi_and_cloudnativepg_schema_validation():
    pytest.skip("Strimzi (Kafka, KafkaNodePool, KafkaTopic, KafkaUser) and CloudNativePG (Cluster): no package "
                "on PyPI or Debian ships their CRD schemas for offline use (kubernetes-validate has "
                "core APIs only; cloudcoil-models has no Strimzi/CNPG package), and the test run has "
                "no network; their essentials are asserted by test_kafka_*, the KafkaUser ACL tests and "
                "test_one_database_cluster_per_service instead")


# --- workloads ------------------------------------------------------------------------------

def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


@pytest.mark.parametrize("target", RENDERS)
def test_every_service_has_its_objects(target):
    docs = render(target)
    for name, svc in SERVICES.items():
        named(docs, "Deployment", name)
        named(docs, "Service", name)
        named(docs, "ServiceAccount", name)
        named(docs, "PodDisruptionBudget", name)
        named(docs, "ServiceMonitor", name)
        named(docs, "NetworkPolicy", name)
        named(docs, "NetworkPolicy", f"{name}-db")
        named(docs, "Job", f"{name}-migrate")
        named(docs, "Cluster", f"{name}-db")
        assert any(c["metadata"]["name"].startswith(f"{name}-config") for c in of_kind(docs, "ConfigMap"))
    assert len(of_kind(docs, "Deployment")) == len(SERVICES) + 1   # and the staff console


@pytest.mark.parametrize("target", RENDERS)
def test_deployments_are_probed_sized_hardened_and_drain_cleanly(target):
    docs = render(target)
    pdbs = of_kind(docs, "PodDisruptionBudget")
    for deploy in service_deployments(docs):
        name = deploy["metadata"]["name"]
        pod = deploy["spec"]["template"]["spec"]
        pod_labels = deploy["spec"]["template"]["metadata"]["labels"]
        c = app_container(deploy)
        port_names = {p["name"]: p["containerPort"] for p in c["ports"]}
        assert port_names == {"http": SERVICES[name]["port"]}, name

        # probes: readiness = DB + broker, liveness = process only, startup guards slow starts
        assert c["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        assert c["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        assert c["startupProbe"]["httpGet"]["path"] == "/healthz", name
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            assert c[probe]["httpGet"]["port"] in ("http", SERVICES[name]["port"]), (name, probe)

        # resources
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(c["resources"][kind]), (name, kind)

        # securityContext (pod and container)
        psc, csc = pod["securityContext"], c["securityContext"]
        assert psc["runAsNonRoot"] is True and psc["runAsUser"] != 0, name
        assert psc["seccompProfile"]["type"] == "RuntimeDefault", name
        assert csc["allowPrivilegeEscalation"] is False, name
        assert csc["readOnlyRootFilesystem"] is True, name
        assert csc["capabilities"]["drop"] == ["ALL"], name
        assert csc.get("privileged", False) is False, name
        assert pod.get("automountServiceAccountToken") is False, name
        # writable /tmp on an emptyDir, since the root filesystem is read-only
        tmp = [m for m in c["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert tmp, f"{name}: no /tmp mount"
        vol = {v["name"]: v for v in pod["volumes"]}[tmp[0]["name"]]
        assert "emptyDir" in vol, name

        # shutdown: preStop pause + uvicorn's drain fit in the grace period
        grace = pod["terminationGracePeriodSeconds"]
        cmd = c["lifecycle"]["preStop"]["exec"]["command"]
        assert cmd[0] == "sleep", name
        assert int(cmd[1]) < grace, name
        assert int(cmd[1]) + GEN.UVICORN_GRACEFUL_SECONDS < grace, name

        # a PDB selects these pods
        assert any(_matches(p["spec"]["selector"]["matchLabels"], pod_labels) for p in pdbs), name
        # the autoscaler owns the replica count
        assert "replicas" not in deploy["spec"], name
        # zero-downtime rollout
        assert deploy["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0, name

        if target != "base":  # overlays pin a registry and a tag
            image = c["image"]
            assert not image.endswith(":latest") and ":" in image.rsplit("/", 1)[-1], (name, image)


@pytest.mark.parametrize("target", RENDERS)
def test_migrations_run_as_a_job_per_service_from_the_service_image(target):
    docs = render(target)
    for name in SERVICES:
        job = named(docs, "Job", f"{name}-migrate")
        pod = job["spec"]["template"]["spec"]
        c = pod["containers"][0]
        assert c["command"] == ["python", "-m", "recoup_shared.migrate", f"recoup_{name}"]
        assert c["image"] == app_container(named(docs, "Deployment", name))["image"]
        assert pod["restartPolicy"] == "Never"
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert c["securityContext"]["readOnlyRootFilesystem"] is True
        assert c["securityContext"]["allowPrivilegeEscalation"] is False
        env = {e["name"]: e for e in c["env"]}
        assert env["RECOUP_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {"name": f"{name}-db-app", "key": "uri"}
        # least privilege: the migration gets no encryption keys
        assert not {"RECOUP_DATA_KEYS", "RECOUP_BLIND_INDEX_KEY"} & set(env)
        # runs before the Deployments under GitOps
        assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "Sync"


@pytest.mark.parametrize("target", RENDERS)
def test_services_point_at_their_pods(target):
    docs = render(target)
    for name, svc in SERVICES.items():
        s = named(docs, "Service", name)
        pod_labels = named(docs, "Deployment", name)["spec"]["template"]["metadata"]["labels"]
        assert _matches(s["spec"]["selector"], pod_labels)
        assert s["spec"]["ports"] == [{"name": "http", "port": svc["port"], "targetPort": "http", "protocol": "TCP"}]


@pytest.mark.parametrize("target", RENDERS)
def test_autoscaling_consumers_on_lag_within_partitions_and_http_only_on_cpu(target):
    docs = render(target)
    partitions = {t["spec"]["topicName"]: t["spec"]["partitions"] for t in of_kind(docs, "KafkaTopic")}
    scaled = {s["spec"]["scaleTargetRef"]["name"]: s for s in of_kind(docs, "ScaledObject")}
    hpas = {h["spec"]["scaleTargetRef"]["name"]: h for h in of_kind(docs, "HorizontalPodAutoscaler")}
    for name, svc in SERVICES.items():
        assert (name in scaled) != (name in hpas), f"{name}: exactly one autoscaler"
        if svc["consumes"]:
            so = scaled[name]["spec"]
            kafka = [t for t in so["triggers"] if t["type"] == "kafka"]
            assert sorted(t["metadata"]["topic"] for t in kafka) == sorted(svc["consumes"])
            for t in kafka:
                md = t["metadata"]
                assert md["consumerGroup"] == f"recoup-{name}"
                # KEDA runs in its own namespace: the bootstrap address must be fully qualified
                assert md["bootstrapServers"] == GEN.bootstrap(SPEC, fqdn=True)
                assert so["maxReplicaCount"] <= partitions[md["topic"]], name
            assert 1 <= so["minReplicaCount"] <= so["maxReplicaCount"]
        else:
            hpa = hpas[name]["spec"]
            assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
            assert 1 <= hpa["minReplicas"] <= hpa["maxReplicas"]
    assert "intake" in hpas, "intake (HTTP-facing) scales on CPU"


# --- network --------------------------------------------------------------------------------

def _peer_labels(peer: dict[str, Any]) -> dict[str, str]:
    return peer.get("podSelector", {}).get("matchLabels", {})


def _peer_namespace(peer: dict[str, Any]) -> str | None:
    return peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")


@pytest.mark.parametrize("target", RENDERS)
def test_network_policies_default_deny_and_least_privilege(target):
    docs = render(target)
    policies = {p["metadata"]["name"]: p["spec"] for p in of_kind(docs, "NetworkPolicy")}
    deny = policies["default-deny-all"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert not deny.get("ingress") and not deny.get("egress")
    dns = policies["allow-dns"]["egress"][0]
    assert {p["port"] for p in dns["ports"]} == {53}

    cluster = SPEC["kafka"]["cluster"]
    for name in SERVICES:
        pol = policies[name]
        pod_labels = named(docs, "Deployment", name)["spec"]["template"]["metadata"]["labels"]
        job_labels = named(docs, "Job", f"{name}-migrate")["spec"]["template"]["metadata"]["labels"]
        assert _matches(pol["podSelector"]["matchLabels"], pod_labels)
        assert _matches(pol["podSelector"]["matchLabels"], job_labels)
        # egress: own database and the Kafka brokers, nothing else
        targets = []
        for rule in pol["egress"]:
            for peer in rule["to"]:
                assert "ipBlock" not in peer and "namespaceSelector" not in peer, (name, peer)
                targets.append(_peer_labels(peer))
        assert {"cnpg.io/cluster": f"{name}-db"} in targets, name
        assert any(t.get("strimzi.io/cluster") == cluster for t in targets), name
        assert len(targets) == 2, (name, targets)
        kafka_ports = [p["port"] for rule in pol["egress"] for p in rule["ports"]
                       if any(_peer_labels(peer).get("strimzi.io/cluster") for peer in rule["to"])]
        assert kafka_ports == [GEN.KAFKA_TLS_PORT], (name, kafka_ports)   # TLS only
        # ingress: only the ingress controller and Prometheus, only on the HTTP port
        namespaces = set()
        for rule in pol["ingress"]:
            assert [p["port"] for p in rule["ports"]] == ["http"], name
            for peer in rule["from"]:
                namespaces.add(_peer_namespace(peer))
        assert namespaces == {GEN.INGRESS_NAMESPACE, GEN.MONITORING_NAMESPACE}, name

        # the database accepts its own service only (plus replication/operator/metrics)
        db = policies[f"{name}-db"]
        app_peers = [_peer_labels(p) for rule in db["ingress"] for p in rule["from"]
                     if "app.kubernetes.io/name" in _peer_labels(p)]
        assert app_peers == [{"app.kubernetes.io/name": name}], name

    # Kafka accepts clients only from pods labelled as Recoup Kafka clients (and KEDA)
    kafka = policies[cluster]
    client_rules = [r for r in kafka["ingress"]
                    if any(_peer_labels(p).get(GEN.KAFKA_CLIENT_LABEL) == "true" for p in r["from"])]
    assert client_rules and all(p["port"] == GEN.KAFKA_TLS_PORT for r in client_rules for p in r["ports"])
    for name in SERVICES:
        labels = named(docs, "Deployment", name)["spec"]["template"]["metadata"]["labels"]
        assert labels.get(GEN.KAFKA_CLIENT_LABEL) == "true", name


@pytest.mark.parametrize("target", RENDERS)
def test_ingress_only_for_client_facing_services_with_tls(target):
    docs = render(target)
    ingresses = {i["metadata"]["name"]: i for i in of_kind(docs, "Ingress")
                 if i["metadata"]["name"] not in STAFF_INGRESSES}   # the staff host: tested below
    assert set(ingresses) == {n for n, s in SERVICES.items() if s["ingress"]}
    assert "intake" in ingresses
    for name, ing in ingresses.items():
        spec = ing["spec"]
        assert ing["metadata"]["annotations"].get("cert-manager.io/cluster-issuer")
        hosts = [r["host"] for r in spec["rules"]]
        assert spec["tls"] and set(hosts) <= {h for t in spec["tls"] for h in t["hosts"]}
        paths = [p["path"] for r in spec["rules"] for p in r["http"]["paths"]]
        assert paths == SERVICES[name]["ingress"]
        assert all(p.startswith("/v1/") for p in paths), "no /, /metrics or /readyz on the internet"
        if target != "base":  # each environment sets its own public host
            base_rules = named(render("base"), "Ingress", name)["spec"]["rules"]
            assert not set(hosts) & {r["host"] for r in base_rules}, (target, hosts)


# --- platform: Kafka, databases, monitoring, secrets ----------------------------------------

@pytest.mark.parametrize("target", RENDERS)
def test_kafka_is_kraft_with_durable_topics_and_dlqs(target):
    docs = render(target)
    k = SPEC["kafka"]
    kafka = named(docs, "Kafka", k["cluster"])
    assert kafka["metadata"]["annotations"]["strimzi.io/kraft"] == "enabled"
    assert kafka["metadata"]["annotations"]["strimzi.io/node-pools"] == "enabled"
    assert "zookeeper" not in kafka["spec"]
    config = kafka["spec"]["kafka"]["config"]
    assert config["min.insync.replicas"] == 2 and config["default.replication.factor"] == 3
    assert config["auto.create.topics.enable"] is False
    pools = of_kind(docs, "KafkaNodePool")
    roles = {r for p in pools for r in p["spec"]["roles"]}
    assert roles == {"controller", "broker"}
    for p in pools:
        assert p["metadata"]["labels"]["strimzi.io/cluster"] == k["cluster"]
        assert p["spec"]["replicas"] >= 3, p["metadata"]["name"]
    topics = {t["spec"]["topicName"]: t for t in of_kind(docs, "KafkaTopic")}
    assert sorted(topics) == sorted(GEN.all_topics(SPEC))
    for name, t in topics.items():
        assert t["metadata"]["labels"]["strimzi.io/cluster"] == k["cluster"]
        assert t["spec"]["partitions"] == k["partitions"] == 12
        assert t["spec"]["replicas"] == 3, name
        assert t["spec"]["config"]["min.insync.replicas"] == "2", name
    common = [c for c in of_kind(docs, "ConfigMap") if c["metadata"]["name"].startswith("recoup-common")]
    assert common[0]["data"]["RECOUP_KAFKA_BOOTSTRAP_SERVERS"] == f"{k['cluster']}-kafka-bootstrap:9093"
    assert common[0]["data"]["RECOUP_TOPIC_REPLICATION"] == "3"


@pytest.mark.parametrize("target", RENDERS)
def test_one_database_cluster_per_service(target):
    docs = render(target)
    clusters = {c["metadata"]["name"]: c for c in of_kind(docs, "Cluster")}
    assert set(clusters) == {f"{n}-db" for n in SERVICES}
    for name in SERVICES:
        c = clusters[f"{name}-db"]
        assert c["apiVersion"] == "postgresql.cnpg.io/v1"
        assert c["spec"]["instances"] >= 2
        assert c["spec"]["bootstrap"]["initdb"] == {"database": name, "owner": name}
        env = {e["name"]: e for e in app_container(named(docs, "Deployment", name))["env"]}
        # CNPG's generated app secret, referenced by name
        assert env["RECOUP_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {"name": f"{name}-db-app", "key": "uri"}


@pytest.mark.parametrize("target", RENDERS)
def test_service_monitors_scrape_metrics(target):
    docs = render(target)
    for name in SERVICES:
        sm = named(docs, "ServiceMonitor", name)["spec"]
        service_labels = named(docs, "Service", name)["metadata"]["labels"]
        assert _matches(sm["selector"]["matchLabels"], service_labels)
        assert [(e["port"], e["path"]) for e in sm["endpoints"]] == [("http", "/metrics")]


@pytest.mark.parametrize("target", RENDERS)
def test_no_secret_values_are_committed(target):
    docs = render(target)
    assert not of_kind(docs, "Secret"), "Secrets are referenced by name, never rendered"
    refs = set()
    for d in [*of_kind(docs, "Deployment"), *of_kind(docs, "Job")]:
        for c in d["spec"]["template"]["spec"]["containers"]:
            for e in c.get("env", []):
                # a *_FILE variable holds the path of a mounted Secret, not a secret
                assert ("value" not in e or e["name"].endswith("_FILE")
                        or not re.search(r"(?i)key|password|secret|token", e["name"])), e
                if "valueFrom" in e:
                    ref = e["valueFrom"]["secretKeyRef"]
                    refs.add((ref["name"], ref["key"]))
    assert ("recoup-crypto", "data-keys") in refs and ("recoup-crypto", "blind-index-key") in refs
    # the example Secret documents those keys and is not part of any kustomization
    example = yaml.safe_load((K8S / "examples" / "secret.example.yaml").read_text())
    assert set(example["stringData"]) == {"data-keys", "blind-index-key"}
    for kz in K8S.rglob("kustomization.yaml"):
        assert "examples" not in kz.read_text(), kz


@pytest.mark.parametrize("target", RENDERS)
def test_alerts_cover_lag_backlog_and_dead_letters(target):
    rules = named(render(target), "PrometheusRule", "recoup")["spec"]["groups"]
    exprs = " ".join(r["expr"] for g in rules for r in g["rules"])
    metrics = importlib.import_module("recoup_shared.metrics") if importlib.util.find_spec("recoup_shared") else None
    for metric in ("recoup_consumer_lag", "recoup_outbox_backlog", "recoup_events_dead_lettered_total",
                   "recoup_events_failed_total", "recoup_http_request_duration_seconds"):
        assert metric in exprs, metric
        if metrics is not None:  # the names the services really export
            exported = {m._name for m in vars(metrics).values() if hasattr(m, "_name")}
            assert metric.removesuffix("_total") in exported, metric


# --- Dockerfiles ----------------------------------------------------------------------------

def parse_dockerfile(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs; continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        word, _, rest = current.partition(" ")
        instructions.append((word.upper(), rest.strip()))
        current = ""
    assert not current, "dangling line continuation"
    return instructions


def _exec_form(args: str) -> list[str]:
    assert args.startswith("["), f"not exec form: {args}"
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value)
    return value


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_dockerfile_is_multistage_slim_nonroot_with_exec_cmd_and_healthcheck(name):
    path = REPO / "services" / name / "Dockerfile"
    text = path.read_text()
    assert text.startswith("# syntax=docker/dockerfile:1"), "BuildKit (RUN --mount) needed"
    ins = parse_dockerfile(text)
    froms = [i for i, (k, _) in enumerate(ins) if k == "FROM"]
    assert len(froms) >= 2, "multi-stage"
    for i in froms:
        assert ins[i][1].split()[0] == "python:3.11-slim", ins[i]
    final = ins[froms[-1]:]
    builder = ins[froms[0]:froms[-1]]
    assert ins[froms[0]][1].split()[-1] == "builder"

    # builder: wheels of shared + this service only (build context = repository root)
    copies = [a for k, a in builder if k == "COPY"]
    assert "shared/ shared/" in copies and f"services/{name}/ services/{name}/" in copies
    assert not any("services/" in c and f"services/{name}/" not in c for c in copies)
    assert any(k == "RUN" and "pip wheel" in a and "./shared" in a and f"./services/{name}" in a
               for k, a in builder)

    # supply chain: the service's lock (hashes), wheels only, the recoup wheels without deps
    lock = f"requirements/images/{name}.txt"
    assert (REPO / lock).is_file(), f"no {lock}: run make lock"
    assert any(k == "COPY" and lock in a for k, a in builder)
    assert any(k == "RUN" and "pip download --require-hashes --only-binary=:all:" in a and f"requirements/{name}.txt" in a
               for k, a in builder)
    assert any(k == "RUN" and "pip wheel --no-deps --no-build-isolation" in a for k, a in builder)

    # final: offline install from the wheels, hash-checked, numeric non-root user
    assert any(k == "RUN" and "pip install --no-index" in a and "--require-hashes" in a
               and f"--no-deps recoup-shared recoup-{name}" in a for k, a in final)
    users = [a for k, a in final if k == "USER"]
    assert users and users[-1].split(":")[0].isdigit() and int(users[-1].split(":")[0]) == GEN.UID

    cmd = _exec_form([a for k, a in final if k == "CMD"][-1])
    port = str(SERVICES[name]["port"])
    assert cmd[:3] == ["uvicorn", f"recoup_{name}.app:create_app", "--factory"]
    assert cmd[cmd.index("--port") + 1] == port and cmd[cmd.index("--host") + 1] == "0.0.0.0"
    graceful = int(cmd[cmd.index("--timeout-graceful-shutdown") + 1])
    assert graceful + GEN.PRESTOP_SECONDS < GEN.GRACE_SECONDS
    assert not [a for k, a in final if k == "ENTRYPOINT"], "uvicorn must be PID 1"

    health = [a for k, a in final if k == "HEALTHCHECK"]
    assert health
    options, _, check = health[-1].partition("CMD ")
    probe = _exec_form(check)
    assert probe[:2] == ["python", "-c"] and "urllib" in probe[2] and f":{port}/healthz" in probe[2]
    assert [a for k, a in final if k == "EXPOSE"] == [port]

    project = REPO / "services" / name / "pyproject.toml"
    if project.exists():  # the distribution pip installs by name
        import tomllib
        meta = tomllib.loads(project.read_text())["project"]
        assert meta["name"] == f"recoup-{name}"
        assert "recoup-shared" in [re.split(r"[<>=!~ \[]", d)[0] for d in meta["dependencies"]]


def test_migrate_entrypoint_uses_only_the_database_url(monkeypatch):
    migrate = pytest.importorskip("recoup_shared.migrate")
    calls = []

    async def fake_migrate_service(dsn, package):
        calls.append((dsn, package))
        return ["0001_x.sql"]

    monkeypatch.setattr(migrate, "migrate_service", fake_migrate_service)
    monkeypatch.setenv("RECOUP_PROFILE", "production")   # no keys needed for migrations
    monkeypatch.setenv("RECOUP_DATABASE_URL", "postgresql://u:p@db:5432/intake")
    assert migrate.main(["recoup_intake"]) == 0
    assert calls == [("postgresql://u:p@db:5432/intake", "recoup_intake")]


# --- docker-compose -------------------------------------------------------------------------

def load_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())   # PyYAML applies `<<` merge keys


def parse_env_file(path: Path) -> dict[str, str]:
    """The subset of Compose's env-file syntax used here: KEY=value, # comments, double quotes
    with \\n escapes."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if value.startswith('"'):
            assert value.endswith('"'), key
            value = value[1:-1].replace("\\n", "\n")
        values[key.strip()] = value
    return values


def test_compose_validates_against_the_compose_specification():
    try:
        import compose_spec
    except ImportError as exc:
        pytest.skip(f"compose-spec not installed ({exc}); run deploy/k8s/tools/ensure-kustomize.sh")
    compose = compose_spec.PyOptions(apply_merge=True).from_yaml(COMPOSE_FILE.read_text())
    compose.validate()
    assert set(compose.service_names()) == set(load_compose()["services"])


def test_compose_has_the_same_services_ports_and_environment_as_kubernetes():
    compose = load_compose()["services"]
    docs = render("base")
    secrets_env = parse_env_file(COMPOSE_ENV)
    expected = {"kafka", "kafka-init", "minio", "minio-init", "console"} | {
        f"{n}{s}" for n in SERVICES for s in ("", "-db", "-migrate")}
    assert set(compose) == expected

    for name, svc in SERVICES.items():
        app = compose[name]
        port = svc["port"]
        assert app["ports"] == [f"{port}:{port}"], name
        assert app["image"] == compose[f"{name}-migrate"]["image"] == f"recoup/{name}:compose"
        assert app["build"] == {"context": ".", "dockerfile": f"services/{name}/Dockerfile"}
        assert app["env_file"] == ["deploy/compose.env"]
        assert app["read_only"] is True and app["tmpfs"] == ["/tmp"]

        compose_env = set(app["environment"]) | set(secrets_env)
        k8s_env = k8s_env_names(docs, named(docs, "Deployment", name))
        # the broker connection differs on purpose: TLS + SCRAM in Kubernetes, plaintext allowed
        # explicitly in compose (one broker on a private Docker network)
        assert app["environment"]["RECOUP_KAFKA_ALLOW_PLAINTEXT"] == "true"
        assert "RECOUP_KAFKA_ALLOW_PLAINTEXT" not in k8s_env
        assert k8s_env_values(docs, named(docs, "Deployment", name))["RECOUP_KAFKA_SECURITY_PROTOCOL"] in ("SASL_SSL", "SSL")
        compose_env = {n for n in compose_env if n not in KAFKA_SECURITY_VARS}
        k8s_env = {n for n in k8s_env if n not in KAFKA_SECURITY_VARS}
        assert compose_env - JWT_KEY_VARS == k8s_env - JWT_KEY_VARS, (
            f"{name}: only in compose {sorted(compose_env - k8s_env - JWT_KEY_VARS)}, "
            f"only in k8s {sorted(k8s_env - compose_env - JWT_KEY_VARS)}")
        assert compose_env & JWT_KEY_VARS and k8s_env & JWT_KEY_VARS
        k8s_values = k8s_env_values(docs, named(docs, "Deployment", name))
        assert app["environment"]["RECOUP_PROFILE"] == k8s_values["RECOUP_PROFILE"] == "production"
        assert app["environment"]["RECOUP_SERVICE_NAME"] == k8s_values["RECOUP_SERVICE_NAME"] == name
        assert app["environment"]["RECOUP_TOPIC_PARTITIONS"] == k8s_values["RECOUP_TOPIC_PARTITIONS"]

        # the migration: same command as the Job, against the same database, before the service
        migrate = compose[f"{name}-migrate"]
        job = named(docs, "Job", f"{name}-migrate")["spec"]["template"]["spec"]["containers"][0]
        assert migrate["command"] == job["command"]
        assert migrate["environment"]["RECOUP_DATABASE_URL"] == app["environment"]["RECOUP_DATABASE_URL"]
        job_env = {e["name"]: e.get("value") for e in job["env"]}
        assert set(migrate["environment"]) == set(job_env), name
        assert migrate["environment"]["RECOUP_SERVICE_NAME"] == job_env["RECOUP_SERVICE_NAME"]
        assert "env_file" not in migrate, "migrations get no encryption keys"
        assert f"@{name}-db:5432/{name}" in app["environment"]["RECOUP_DATABASE_URL"]
        assert migrate["depends_on"] == {f"{name}-db": {"condition": "service_healthy"}}
        assert app["depends_on"] == {f"{name}-migrate": {"condition": "service_completed_successfully"},
                                     "kafka-init": {"condition": "service_completed_successfully"}}
        db = compose[f"{name}-db"]
        assert db["image"].startswith("postgres:") and "healthcheck" in db
        assert db["environment"]["POSTGRES_DB"] == name
        # graceful stop budget as in Kubernetes
        assert app["stop_grace_period"] == f"{GEN.GRACE_SECONDS}s"


def test_compose_keeps_evidence_in_an_object_locked_bucket_as_kubernetes_does():
    """fieldops (R-37): an S3-compatible bucket with object lock; MinIO in compose."""
    compose = load_compose()["services"]
    env = compose["fieldops"]["environment"]
    assert env["RECOUP_EVIDENCE_BACKEND"] == "s3" and env["RECOUP_EVIDENCE_S3_ENDPOINT_URL"] == "http://minio:9000"
    script = compose["minio-init"]["command"][0]
    assert f"--with-lock demo/{env['RECOUP_EVIDENCE_S3_BUCKET']}" in script
    assert compose["minio-init"]["depends_on"] == {"minio": {"condition": "service_healthy"}}
    k8s = k8s_env_values(render("base"), named(render("base"), "Deployment", "fieldops"))
    assert k8s["RECOUP_EVIDENCE_BACKEND"] == "s3" and k8s["RECOUP_EVIDENCE_S3_BUCKET"]
    assert k8s["RECOUP_EVIDENCE_S3_SECRET_ACCESS_KEY"]["secretKeyRef"]["name"] == "fieldops-evidence-s3"


def test_compose_runs_real_kafka_in_kraft_mode_with_explicit_topics():
    compose = load_compose()["services"]
    kafka = compose["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert str(env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]) == "false"
    assert len(base64.urlsafe_b64decode(env["CLUSTER_ID"] + "==")) == 16, "KRaft cluster id is a UUID"
    assert "healthcheck" in kafka
    init = compose["kafka-init"]
    assert init["image"] == kafka["image"]
    assert init["depends_on"] == {"kafka": {"condition": "service_healthy"}}
    assert init["environment"]["TOPICS"].split() == list(SPEC["topics"])
    assert init["environment"]["PARTITIONS"] == str(SPEC["kafka"]["partitions"])
    script = init["command"][0]
    assert '"$${topic}.dlq"' in script and "--if-not-exists" in script


def test_compose_demo_keys_are_valid_for_the_production_profile_and_not_the_local_ones():
    settings_mod = pytest.importorskip("recoup_shared.settings")
    from cryptography.hazmat.primitives import serialization

    env = parse_env_file(COMPOSE_ENV)
    assert env["RECOUP_DATA_KEYS"] != settings_mod.LOCAL_DATA_KEYS
    assert env["RECOUP_BLIND_INDEX_KEY"] != settings_mod.LOCAL_BLIND_INDEX_KEY
    for part in env["RECOUP_DATA_KEYS"].split(","):
        kid, _, key = part.partition(":")
        assert kid and len(base64.b64decode(key)) == 32
    assert len(base64.b64decode(env["RECOUP_BLIND_INDEX_KEY"])) >= 32

    allow_plaintext = load_compose()["x-recoup-env"]["RECOUP_KAFKA_ALLOW_PLAINTEXT"]
    settings = settings_mod.ServiceSettings(
        profile="production", data_keys=env["RECOUP_DATA_KEYS"],
        blind_index_key=env["RECOUP_BLIND_INDEX_KEY"], jwt_public_key_pem=env["RECOUP_JWT_PUBLIC_KEY_PEM"],
        jwt_issuer=env["RECOUP_JWT_ISSUER"], jwt_audience=env["RECOUP_JWT_AUDIENCE"],
        kafka_allow_plaintext=allow_plaintext)
    assert settings.profile == "production"

    public = serialization.load_pem_public_key(env["RECOUP_JWT_PUBLIC_KEY_PEM"].encode())
    private = serialization.load_pem_private_key((DEMO_KEYS / "jwt-demo-private.pem").read_bytes(), None)
    assert public.public_numbers() == private.public_key().public_numbers()
    assert (DEMO_KEYS / "jwt-demo-public.pem").read_text().strip() == env["RECOUP_JWT_PUBLIC_KEY_PEM"].strip()
    local_public = (REPO / "shared" / "recoup_shared" / "keys" / "local-signing-key.pub.pem")
    if local_public.exists():
        assert local_public.read_text().strip() != env["RECOUP_JWT_PUBLIC_KEY_PEM"].strip()


def test_compose_demo_token_verifies_with_the_compose_settings():
    auth = pytest.importorskip("recoup_shared.auth")
    env = parse_env_file(COMPOSE_ENV)
    spec = importlib.util.spec_from_file_location("mint_demo_token", REPO / "deploy" / "docker" / "mint_demo_token.py")
    mint = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mint)
    token = mint.mint("demo", ["admin"])
    verifier = auth.TokenVerifier(jwks_url=None, public_key_pem=env["RECOUP_JWT_PUBLIC_KEY_PEM"],
                                  issuer=env["RECOUP_JWT_ISSUER"], audience=env["RECOUP_JWT_AUDIENCE"],
                                  allow_local=False)
    principal = verifier.verify(token)
    assert principal.sub == "demo" and "admin" in principal.roles


# --- operations guide -----------------------------------------------------------------------

def test_operations_guide_covers_the_runbook():
    guide = (REPO / "deploy" / "README.md").read_text()
    for needle in ("recoup_consumer_lag", "recoup_outbox_backlog", "recoup_events_dead_lettered_total",
                   "recoup_events_failed_total", "recoup_http_request_duration_seconds",
                   "dlq-replay", "RECOUP_DATA_KEYS", "JWKS", "rollout undo", "ensure-kustomize.sh",
                   "deploy.sh", "docker compose up", "KafkaUser", "SCRAM-SHA-512", "mutual TLS",
                   "rollout restart deployment/billing", "make lock", "--require-hashes",
                   # the console (issue 13): deploy it, sign-in settings, the Keycloak realm (R-45)
                   "staff-api", "console-config.json", "recoup-console", "RECOUP_JWT_ISSUER",
                   "redirect_uri", "deploy/keycloak/recoup-realm.json", "forceExpiredPasswordChange(30)",
                   "user-session-limits", "PKCE", "mint_demo_token.py"):
        assert needle in guide, needle


# --- Kafka security: TLS listener, users and ACLs (issue 14) --------------------------------

def _acl_allows(acls: list[dict[str, Any]], operation: str, kind: str, name: str) -> bool:
    """Kafka's simple authorizer for the ACLs we generate (allow rules only): a literal resource
    matches its name, a prefixed one every name starting with it; Read and Write imply Describe."""
    for a in acls:
        r = a["resource"]
        if r["type"] != kind:
            continue
        hit = r["name"] == name if r["patternType"] == "literal" else name.startswith(r["name"])
        ops = set(a["operations"])
        if hit and (operation in ops or (operation == "Describe" and ops & {"Read", "Write"})):
            return True
    return False


def _check_acls(name: str, svc: dict[str, Any], acls: list[dict[str, Any]], topics: list[str]) -> None:
    for a in acls:
        assert a["resource"]["type"] in ("topic", "group"), a          # never cluster-wide rights
        assert a["resource"]["patternType"] == "literal", a            # never a wildcard or prefix
        assert set(a["operations"]) <= {"Read", "Write", "Describe"}, a
    for topic in [*topics, *(f"{t}.dlq" for t in topics)]:
        may_write = topic in svc["emits"] or topic in {f"{t}.dlq" for t in svc["consumes"]}
        assert _acl_allows(acls, "Write", "topic", topic) == may_write, (name, topic)
        assert _acl_allows(acls, "Read", "topic", topic) == (topic in svc["consumes"]), (name, topic)
    for group in ("recoup-intake", "recoup-allocation", "recoup-billing", f"recoup-{name}", "recoup-x"):
        may_join = bool(svc["consumes"]) and group == f"recoup-{name}"
        assert _acl_allows(acls, "Read", "group", group) == may_join, (name, group)


@pytest.mark.parametrize("target", RENDERS)
def test_kafka_users_acls_match_services_yaml(target):
    """Each service produces only what it emits and reads only what it consumes (plus its group
    and the .dlq twins it dead-letters to), as rendered."""
    docs = render(target)
    users = {u["metadata"]["name"]: u for u in of_kind(docs, "KafkaUser")}
    assert set(users) == {GEN.kafka_user_name(n) for n in [*SERVICES, GEN.DLQ_REPLAY]}
    for name, svc in SERVICES.items():
        user = users[GEN.kafka_user_name(name)]
        assert user["metadata"]["labels"]["strimzi.io/cluster"] == SPEC["kafka"]["cluster"]
        assert user["spec"]["authentication"]["type"] == SPEC["kafka"]["authentication"]
        assert user["spec"]["authorization"]["type"] == "simple"
        _check_acls(name, svc, user["spec"]["authorization"]["acls"], SPEC["topics"])
    replay = users[GEN.kafka_user_name(GEN.DLQ_REPLAY)]["spec"]["authorization"]["acls"]
    for t in SPEC["topics"]:
        assert _acl_allows(replay, "Read", "topic", f"{t}.dlq") and _acl_allows(replay, "Write", "topic", t)
        assert not _acl_allows(replay, "Read", "topic", t) and not _acl_allows(replay, "Write", "topic", f"{t}.dlq")
    assert _acl_allows(replay, "Read", "group", "recoup-dlq-replay-case.received")
    assert not _acl_allows(replay, "Read", "group", "recoup-billing")


_TOPIC_NAMES = st.lists(st.from_regex(r"[a-z]{1,6}\.[a-z]{1,6}", fullmatch=True), min_size=1,
                        max_size=8, unique=True)


@st.composite
def _specs(draw):
    topics = draw(_TOPIC_NAMES)
    names = draw(st.lists(st.from_regex(r"[a-z]{2,8}", fullmatch=True), min_size=1, max_size=5, unique=True))
    owner = {t: draw(st.sampled_from([None, *names])) for t in topics}   # one producer per topic
    services = {n: {"port": 8001 + i, "emits": [t for t in topics if owner[t] == n],
                    "consumes": draw(st.lists(st.sampled_from(topics), unique=True))}
                for i, n in enumerate(names)}
    return {"kafka": {"cluster": "k"}, "topics": topics, "services": services}


@settings(max_examples=150, deadline=None)
@given(_specs())
def test_generated_acls_grant_exactly_what_services_yaml_declares(spec):
    """Property: for any list of services, the generated KafkaUser of each grants Write on a
    topic iff it emits it (or it is the .dlq twin of one it consumes), Read iff it consumes it,
    its own consumer group only, and nothing cluster-wide or by prefix."""
    GEN.validate_spec(spec)
    for name, svc in spec["services"].items():
        user = GEN.kafka_user(spec, name, svc)
        _check_acls(name, svc, user["spec"]["authorization"]["acls"], spec["topics"])


def test_two_producers_of_one_topic_are_refused():
    spec = {"topics": ["a.b"], "services": {"x": {"port": 1, "emits": ["a.b"]},
                                            "y": {"port": 2, "emits": ["a.b"]}}}
    with pytest.raises(SystemExit, match="one producer"):
        GEN.validate_spec(spec)


@pytest.mark.parametrize("target", RENDERS)
def test_kafka_listener_is_tls_with_authentication_and_acls(target):
    docs = render(target)
    kafka = named(docs, "Kafka", SPEC["kafka"]["cluster"])["spec"]
    listeners = kafka["kafka"]["listeners"]
    assert listeners and all(lst["tls"] is True for lst in listeners), "no plaintext listener"
    assert [lst["port"] for lst in listeners] == [GEN.KAFKA_TLS_PORT]
    assert all(lst["authentication"]["type"] == SPEC["kafka"]["authentication"] for lst in listeners)
    assert kafka["kafka"]["authorization"]["type"] == "simple"
    assert "userOperator" in kafka["entityOperator"]
    policy = named(docs, "NetworkPolicy", SPEC["kafka"]["cluster"])["spec"]
    client_ports = {p["port"] for r in policy["ingress"] if r.get("ports") for p in r["ports"]
                    if p["port"] not in (9404, 9308)}
    assert client_ports == {GEN.KAFKA_TLS_PORT}


@pytest.mark.parametrize("target", RENDERS)
def test_services_connect_with_their_own_user_over_tls(target):
    docs = render(target)
    auths = {a["metadata"]["name"]: a["spec"] for a in of_kind(docs, "TriggerAuthentication")}
    for name, svc in SERVICES.items():
        deploy = named(docs, "Deployment", name)
        env = k8s_env_values(docs, deploy)
        user = GEN.kafka_user_name(name)
        assert env["RECOUP_KAFKA_SECURITY_PROTOCOL"] == ("SASL_SSL" if GEN.scram(SPEC) else "SSL")
        assert env["RECOUP_KAFKA_BOOTSTRAP_SERVERS"].endswith(f":{GEN.KAFKA_TLS_PORT}")
        volumes = {v["name"]: v for v in deploy["spec"]["template"]["spec"]["volumes"]}
        assert volumes["kafka-user"]["secret"]["secretName"] == user
        assert volumes["kafka-ca"]["secret"]["secretName"] == GEN.cluster_ca_secret(SPEC)
        mounts = {m["mountPath"]: m for m in app_container(deploy)["volumeMounts"]}
        assert env["RECOUP_KAFKA_SSL_CAFILE"].startswith(GEN.KAFKA_CA_DIR)
        if GEN.scram(SPEC):
            assert env["RECOUP_KAFKA_SASL_USERNAME"] == user
            assert env["RECOUP_KAFKA_SASL_PASSWORD_FILE"] == f"{GEN.KAFKA_USER_DIR}/password"
        for path in (GEN.KAFKA_USER_DIR, GEN.KAFKA_CA_DIR):
            assert mounts[path]["readOnly"] is True
        # the migrations touch no broker: no Kafka credentials
        job = named(docs, "Job", f"{name}-migrate")["spec"]["template"]["spec"]
        assert not any(v["name"].startswith("kafka") for v in job["volumes"])
        if svc["consumes"]:   # KEDA reads the lag as the service's user
            so = [s for s in of_kind(docs, "ScaledObject") if s["spec"]["scaleTargetRef"]["name"] == name][0]
            for t in so["spec"]["triggers"]:
                if t["type"] == "kafka":
                    assert t["authenticationRef"] == {"name": f"{name}-kafka"}
                    assert t["metadata"]["tls"] == "enable"
            refs = {r["parameter"]: (r["name"], r["key"]) for r in auths[f"{name}-kafka"]["secretTargetRef"]}
            assert refs["ca"] == (GEN.cluster_ca_secret(SPEC), "ca.crt")
            if GEN.scram(SPEC):
                assert refs["password"] == (user, "password")


def test_settings_from_the_manifests_are_accepted_and_refuse_plaintext_in_production(tmp_path):
    """The RECOUP_KAFKA_* a Deployment gets make valid production settings and client arguments
    (with stand-ins for the mounted files); without them production refuses plaintext."""
    security = pytest.importorskip("recoup_shared.bus.security")
    docs = render("base")
    env = k8s_env_values(docs, named(docs, "Deployment", "billing"))
    kafka_env = {k: v for k, v in env.items() if k.startswith("RECOUP_KAFKA_")}
    with pytest.raises(ValueError, match="refuses an unencrypted"):
        security.KafkaSettings(profile="production",
                               kafka_bootstrap_servers=kafka_env["RECOUP_KAFKA_BOOTSTRAP_SERVERS"])
    values = {k.removeprefix("RECOUP_").lower(): v for k, v in kafka_env.items()}
    s = security.KafkaSettings(profile="production", **values)
    assert s.kafka_security_protocol in ("SASL_SSL", "SSL")
    assert str(s.kafka_ssl_cafile).startswith(GEN.KAFKA_CA_DIR)


# --- the staff console (issue 13) -------------------------------------------------------------

def _console_config(docs) -> dict[str, Any]:
    deploy = named(docs, "Deployment", "console")
    volume = {v["name"]: v for v in deploy["spec"]["template"]["spec"]["volumes"]}["config"]
    cm = named(docs, "ConfigMap", volume["configMap"]["name"])   # the hashed name kustomize wrote
    return json.loads(cm["data"]["config.json"])


def _recoup_common(docs) -> dict[str, str]:
    return next(c for c in of_kind(docs, "ConfigMap") if c["metadata"]["name"].startswith("recoup-common"))["data"]


@pytest.mark.parametrize("target", RENDERS)
def test_console_is_a_hardened_static_container_with_its_config(target):
    docs = render(target)
    deploy = named(docs, "Deployment", "console")
    pod = deploy["spec"]["template"]["spec"]
    labels = deploy["spec"]["template"]["metadata"]["labels"]
    c = app_container(deploy)
    assert [(p["name"], p["containerPort"]) for p in c["ports"]] == [("http", CONSOLE["port"])]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert c[probe]["httpGet"] == {"path": "/healthz", "port": "http", "scheme": "HTTP"}, probe
    # the unprivileged nginx of console/Dockerfile, read-only root, writes /tmp only
    psc, csc = pod["securityContext"], c["securityContext"]
    assert psc["runAsNonRoot"] is True and psc["runAsUser"] == 101 and psc["seccompProfile"]["type"] == "RuntimeDefault"
    assert csc["readOnlyRootFilesystem"] is True and csc["allowPrivilegeEscalation"] is False
    assert csc["capabilities"]["drop"] == ["ALL"] and pod["automountServiceAccountToken"] is False
    mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]["name"]]
    assert mounts["/etc/recoup-console"]["readOnly"] is True and "configMap" in volumes["config"]
    assert not c.get("env") and not c.get("envFrom"), "the console holds no settings or secrets of the services"
    assert int(c["lifecycle"]["preStop"]["exec"]["command"][1]) < pod["terminationGracePeriodSeconds"]
    assert {"cpu", "memory"} <= set(c["resources"]["requests"]) and {"cpu", "memory"} <= set(c["resources"]["limits"])
    assert deploy["spec"]["replicas"] >= 2 and deploy["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    # not an "app": no Kafka credentials, no JWKS egress, the services' overlay patches skip it
    assert labels["app.kubernetes.io/component"] == "web" and GEN.KAFKA_CLIENT_LABEL not in labels
    assert any(_matches(p["spec"]["selector"]["matchLabels"], labels) for p in of_kind(docs, "PodDisruptionBudget"))
    svc = named(docs, "Service", "console")
    assert _matches(svc["spec"]["selector"], labels) and svc["spec"]["ports"][0]["port"] == CONSOLE["port"]
    if target != "base":
        image = c["image"]
        assert image.endswith(f"/recoup/console:{image.rsplit(':', 1)[1]}") and not image.endswith(":latest"), image

    # config.json: OpenID Connect against the issuer the services verify, back to the staff host
    config, common = _console_config(docs), _recoup_common(docs)
    auth = config["auth"]
    assert auth["mode"] == "oidc" and auth["client_id"] == "recoup-console"
    assert auth["issuer"] == common["RECOUP_JWT_ISSUER"], "the console signs in where the services' tokens come from"
    assert common["RECOUP_JWT_JWKS_URL"].startswith(auth["issuer"] + "/")
    host = named(docs, "Ingress", "console")["spec"]["rules"][0]["host"]
    assert auth["redirect_uri"] == f"https://{host}/auth/callback"
    assert auth["post_logout_redirect_uri"] == f"https://{host}/sign-in"


@pytest.mark.parametrize("target", RENDERS)
def test_staff_host_routes_the_api_of_each_service_internal_and_tls(target):
    """One internal, TLS host: `/` is the console, `/api/<service>/v1/…` each deployed service with
    the prefix stripped — and nothing else of a service (no /metrics, /readyz, /docs)."""
    docs = render(target)
    files, api = named(docs, "Ingress", "console"), named(docs, "Ingress", "staff-api")
    host = files["spec"]["rules"][0]["host"]
    for ing in (files, api):
        spec, ann = ing["spec"], ing["metadata"]["annotations"]
        assert spec["ingressClassName"] == CONSOLE["ingress_class"] != "nginx", "the internal controller"
        assert [r["host"] for r in spec["rules"]] == [host] and spec["tls"] == [{"hosts": [host], "secretName": "console-tls"}]
        assert ann["nginx.ingress.kubernetes.io/ssl-redirect"] == "true"
        ranges = ann["nginx.ingress.kubernetes.io/whitelist-source-range"].split(",")
        assert ranges and all(ipaddress.ip_network(r).is_private for r in ranges), ranges
    # one certificate for the host: cert-manager's annotation on one Ingress only
    assert files["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == CONSOLE["tls_issuer"]
    assert "cert-manager.io/cluster-issuer" not in api["metadata"]["annotations"]
    assert [(p["path"], p["backend"]["service"]["name"]) for p in files["spec"]["rules"][0]["http"]["paths"]] == [("/", "console")]

    ann = api["metadata"]["annotations"]
    assert ann["nginx.ingress.kubernetes.io/use-regex"] == "true"
    assert ann["nginx.ingress.kubernetes.io/rewrite-target"] == "/$1"
    assert ann["nginx.ingress.kubernetes.io/proxy-request-buffering"] == "off"
    paths = api["spec"]["rules"][0]["http"]["paths"]
    assert {p["backend"]["service"]["name"] for p in paths} == set(SERVICES)
    for p in paths:
        name = p["backend"]["service"]["name"]
        assert p["backend"]["service"]["port"] == {"name": "http"} and named(docs, "Service", name)
        rx = re.compile(p["path"])   # what ingress-nginx matches, and what $1 becomes
        assert rx.fullmatch(f"/api/{name}/v1/cases/abc").group(1) == "v1/cases/abc"
        for hidden in ("metrics", "readyz", "healthz", "docs", "openapi.json"):
            assert not rx.fullmatch(f"/api/{name}/{hidden}"), (name, hidden)
        assert not any(re.fullmatch(q["path"], f"/api/{name}/v1/x") for q in paths if q is not p)
    # the largest upload through it fits: fieldops' evidence (R-37), multipart framing included
    size = ann["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert size.endswith("m") and int(size[:-1]) * 1024 * 1024 >= _fieldops_max_request_bytes()


def _fieldops_max_request_bytes() -> int:
    try:
        from recoup_fieldops.settings import FieldopsSettings
    except ImportError:
        return 2049 * 1024 * 1024
    return FieldopsSettings.model_fields["max_request_bytes"].default


@pytest.mark.parametrize("target", RENDERS)
def test_console_network_policy_admits_the_ingress_and_reaches_only_the_services_http_ports(target):
    docs = render(target)
    policies = {p["metadata"]["name"]: p["spec"] for p in of_kind(docs, "NetworkPolicy")}
    pol = policies["console"]
    labels = named(docs, "Deployment", "console")["spec"]["template"]["metadata"]["labels"]
    assert _matches(pol["podSelector"]["matchLabels"], labels) and set(pol["policyTypes"]) == {"Ingress", "Egress"}
    [rule] = pol["ingress"]
    assert [p["port"] for p in rule["ports"]] == ["http"]
    assert [(_peer_namespace(p), _peer_labels(p)) for p in rule["from"]] == [
        (GEN.INGRESS_NAMESPACE, {"app.kubernetes.io/name": "ingress-nginx"})]
    reached = {}
    for rule in pol["egress"]:
        [peer] = rule["to"]
        assert "namespaceSelector" not in peer and "ipBlock" not in peer, peer
        [port] = rule["ports"]
        target_name = _peer_labels(peer)["app.kubernetes.io/name"]
        pod_labels = named(docs, "Deployment", target_name)["spec"]["template"]["metadata"]["labels"]
        assert _matches(_peer_labels(peer), pod_labels)
        reached[target_name] = port["port"]
    assert reached == {name: svc["port"] for name, svc in SERVICES.items()}
    # the services accept the ingress controller on their HTTP port (the staff-api routes)
    for name in SERVICES:
        peers = [(_peer_namespace(p), _peer_labels(p)) for r in policies[name]["ingress"] for p in r["from"]]
        assert (GEN.INGRESS_NAMESPACE, {"app.kubernetes.io/name": "ingress-nginx"}) in peers, name
    # no JWKS egress for the console: the browser talks to the identity provider itself
    assert not _matches(policies["allow-jwks"]["podSelector"]["matchLabels"], labels)


def test_console_dockerfile_builds_with_node_and_serves_with_unprivileged_nginx():
    ins = parse_dockerfile((REPO / "console" / "Dockerfile").read_text())
    froms = [a for k, a in ins if k == "FROM"]
    assert froms[0].startswith("node:20") and froms[-1].startswith("nginxinc/nginx-unprivileged:")
    assert any(k == "RUN" and a.startswith("npm ci") for k, a in ins), "the lockfile, nothing else"
    assert [a for k, a in ins if k == "USER"][-1] == "101"
    assert [a for k, a in ins if k == "EXPOSE"] == [str(CONSOLE["port"])]
    assert any(k == "HEALTHCHECK" and "/healthz" in a for k, a in ins)
    assert any(k == "COPY" and a.endswith("/etc/recoup-console/config.json") for k, a in ins)


def test_compose_runs_the_console_in_front_of_every_service():
    compose = load_compose()["services"]
    console = compose["console"]
    port = CONSOLE["port"]
    assert console["build"] == {"context": "console"} and console["ports"] == [f"{port}:{port}"]
    assert console["read_only"] is True and console["tmpfs"] == ["/tmp"] and console["cap_drop"] == ["ALL"]
    assert console["depends_on"] == {n: {"condition": "service_healthy"} for n in SERVICES}
    mounts = {v.split(":")[1]: v.split(":")[0] for v in console["volumes"]}
    nginx = REPO / mounts["/etc/nginx/conf.d/default.conf"]
    config = json.loads((REPO / mounts["/etc/recoup-console/config.json"]).read_text())
    assert config["auth"] == {"mode": "token"}, "no identity provider in compose: demo tokens"
    text = nginx.read_text()
    locations = re.findall(r"location /api/([a-z]+)/v1/ \{\s*proxy_pass http://([a-z]+):(\d+)/v1/;", text)
    assert sorted(locations) == sorted((n, n, str(s["port"])) for n, s in SERVICES.items())
    assert "location /api/ {" in text, "anything else under /api/ is a 404 problem, never the app"
    # everything else is the production nginx.conf, unchanged
    production = (REPO / "console" / "deploy" / "nginx.conf").read_text()
    for line in ("location /assets/ {", "location = /config.json {", "try_files $uri /index.html;", "access_log /dev/stdout recoup_console;"):
        assert line in production and line in text, line


# --- the identity provider: a Keycloak realm that enforces R-45 -------------------------------

REALM_FILE = REPO / "deploy" / "keycloak" / "recoup-realm.json"
# Keycloak's provider ids (GET /admin/serverinfo of Keycloak 26): a typo would import silently
# and break the sign-in.
KEYCLOAK_AUTHENTICATORS = {"auth-cookie", "auth-username-password-form", "auth-otp-form", "user-session-limits",
                           "identity-provider-redirector", "auth-spnego", "conditional-user-configured"}
KEYCLOAK_MAPPERS = {"oidc-usermodel-realm-role-mapper", "oidc-audience-mapper", "oidc-usermodel-attribute-mapper",
                    "oidc-hardcoded-claim-mapper", "oidc-usermodel-property-mapper", "oidc-full-name-mapper"}


@lru_cache(maxsize=1)
def _realm() -> dict[str, Any]:
    return json.loads(REALM_FILE.read_text(encoding="utf-8"))


def test_realm_has_personal_accounts_30_day_passwords_and_one_session_each():
    realm = _realm()
    assert realm["realm"] == "recoup" and realm["enabled"] is True and realm["sslRequired"] == "all"
    # personal accounts: created by an administrator, never self-registered, shared or renamed
    assert realm["registrationAllowed"] is False and realm["editUsernameAllowed"] is False
    assert realm["duplicateEmailsAllowed"] is False and realm["bruteForceProtected"] is True
    policy = dict(re.findall(r"(\w+)\(([^)]*)\)", realm["passwordPolicy"]))
    assert policy["forceExpiredPasswordChange"] == "30" and int(policy["passwordHistory"]) >= 1
    assert int(policy["length"]) >= 12
    # R-45 roles, exactly the ones the services know
    from recoup_shared.auth import Role
    staff = {r.value for r in Role} - {"client"}   # clients' systems are OAuth clients, not people
    assert {r["name"] for r in realm["roles"]["realm"]} == staff

    # one session per account: the browser flow bound to the realm ends in the session limiter
    flows = {f["alias"]: f for f in realm["authenticationFlows"]}
    configs = {c["alias"]: c["config"] for c in realm["authenticatorConfig"]}
    browser = flows[realm["browserFlow"]]
    assert browser["topLevel"] is True

    def executions(flow):
        for e in flow["authenticationExecutions"]:
            if e.get("authenticatorFlow"):
                assert e["flowAlias"] in flows, e
                yield from executions(flows[e["flowAlias"]])
            else:
                assert e["authenticator"] in KEYCLOAK_AUTHENTICATORS, e["authenticator"]
                yield e
    steps = list(executions(browser))
    limiter = [e for e in steps if e["authenticator"] == "user-session-limits"]
    assert len(limiter) == 1 and limiter[0]["requirement"] == "REQUIRED"
    password = next(e for e in steps if e["authenticator"] == "auth-username-password-form")
    assert limiter[0]["priority"] > password["priority"], "the limit is checked once the user is known"
    config = configs[limiter[0]["authenticatorConfig"]]
    assert config["userRealmLimit"] == "1" and config["behavior"] in ("Terminate oldest session", "Deny new session")


def test_realm_console_client_is_public_with_pkce_and_the_claims_the_services_read():
    realm = _realm()
    [client] = [c for c in realm["clients"] if c["clientId"] == "recoup-console"]
    assert client["publicClient"] is True and client["standardFlowEnabled"] is True
    assert client["implicitFlowEnabled"] is False and client["directAccessGrantsEnabled"] is False
    assert client["attributes"]["pkce.code.challenge.method"] == "S256"
    [redirect] = client["redirectUris"]
    assert redirect.startswith("https://") and redirect.endswith("/auth/callback") and "*" not in redirect
    base_config = json.loads((K8S / "base" / "generated" / "console-config.json").read_text())
    assert redirect == base_config["auth"]["redirect_uri"] and base_config["auth"]["client_id"] == client["clientId"]
    mappers = {m["protocolMapper"]: m["config"] for m in client["protocolMappers"]}
    assert set(mappers) <= KEYCLOAK_MAPPERS
    roles = mappers["oidc-usermodel-realm-role-mapper"]
    assert roles["claim.name"] == "roles" and roles["multivalued"] == "true" and roles["access.token.claim"] == "true"
    audience = mappers["oidc-audience-mapper"]
    assert audience["included.custom.audience"] == _recoup_common(render("base"))["RECOUP_JWT_AUDIENCE"] == "recoup"
    assert audience["access.token.claim"] == "true"
    team = mappers["oidc-usermodel-attribute-mapper"]
    assert (team["user.attribute"], team["claim.name"], team["access.token.claim"]) == ("team_id", "team_id", "true")
    # the declarative user profile holds team_id, set by administrators only
    [profile] = realm["components"]["org.keycloak.userprofile.UserProfileProvider"]
    attributes = {a["name"]: a for a in json.loads(profile["config"]["kc.user.profile.config"][0])["attributes"]}
    assert attributes["team_id"]["permissions"]["edit"] == ["admin"]
    # the issuer the overlays verify is this realm's
    for target in OVERLAYS:
        assert _recoup_common(render(target))["RECOUP_JWT_ISSUER"].endswith(f"/realms/{realm['realm']}")


def test_a_token_shaped_like_the_realms_passes_the_services_verifier():
    """The claims the realm's mappers put in an access token (roles, aud incl. recoup, team_id,
    Keycloak's sub and azp) are what recoup_shared.auth accepts."""
    auth = pytest.importorskip("recoup_shared.auth")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    import jwt as pyjwt
    import time

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    issuer = "https://sso.recoup.example/realms/recoup"
    now = int(time.time())
    claims = {"iss": issuer, "sub": "3f6c1a52-9a0e-4b8e-8f0e-2d7c9f6b1a11", "aud": ["recoup", "account"],
              "azp": "recoup-console", "exp": now + 300, "iat": now, "typ": "Bearer",
              "roles": ["team_lead", "default-roles-recoup", "offline_access"], "team_id": "t-east",
              "preferred_username": "zhaojg"}
    token = pyjwt.encode(claims, key, algorithm="RS256")
    verifier = auth.TokenVerifier(jwks_url=None, public_key_pem=public, issuer=issuer, audience="recoup", allow_local=False)
    principal = verifier.verify(token)
    assert principal.roles == frozenset({"team_lead"}) and principal.team_id == "t-east"
