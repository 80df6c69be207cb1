"""The staff console's deployment, generated from the `console:` entry of services.yaml by
generate.py (which passes itself as `g` for the shared building blocks):

- Kubernetes (base/generated/console.yaml): ServiceAccount, Deployment (console/Dockerfile's
  unprivileged nginx, /config.json from the ConfigMap `console-config`), Service, PDB, the
  console's NetworkPolicy, and the two Ingresses of the staff host — `console` (the files) and
  `staff-api` (`/api/<service>/v1/…` → each deployed service's `/v1/…`, the prefix stripped);
  base/generated/console-config.json (the ConfigMap's config.json; overlays replace it);
- docker compose: the `console` block and deploy/docker/console-nginx.conf — console/deploy/nginx.conf
  with one `location /api/<service>/v1/` per service instead of the Ingress.

Only `/v1/…` of each service is routed: /metrics, /readyz and /docs stay in the cluster.
"""

from __future__ import annotations

import json
import re
from typing import Any

NAME = "console"
API_INGRESS = "staff-api"
NGINX_UID = 101                      # nginxinc/nginx-unprivileged runs as uid/gid 101
PRESTOP_SECONDS, GRACE_SECONDS = 5, 30
CONFIG_DIR = "/etc/recoup-console"   # console/Dockerfile reads /etc/recoup-console/config.json
CONFIG_FILE = "console-config.json"
KNOWN_KEYS = {"port", "host", "ingress_class", "tls_issuer", "source_ranges", "max_body", "replicas",
              "resources", "config", "compose"}
DEFAULT_RESOURCES = {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "128Mi"}}
API_MARKERS = ("    # >>> api (generate.py replaces this block in the compose copy)\n", "    # <<< api\n")


def validate(spec: dict[str, Any]) -> dict[str, Any]:
    c = spec.get(NAME)
    if c is None:
        raise SystemExit("services.yaml: the console entry is missing")
    unknown = set(c) - KNOWN_KEYS
    if unknown:
        raise SystemExit(f"services.yaml: console has unknown keys {sorted(unknown)}")
    for key in ("port", "host", "ingress_class", "tls_issuer", "config"):
        if key not in c:
            raise SystemExit(f"services.yaml: console needs {key}")
    c.setdefault("source_ranges", [])
    c.setdefault("max_body", "256m")
    c.setdefault("replicas", 2)
    c.setdefault("resources", DEFAULT_RESOURCES)
    c.setdefault("compose", {})
    if c["port"] in {s["port"] for s in spec["services"].values()}:
        raise SystemExit(f"services.yaml: the console's port {c['port']} is a service's")
    return c


def pod_security() -> dict[str, Any]:
    return {"runAsNonRoot": True, "runAsUser": NGINX_UID, "runAsGroup": NGINX_UID, "fsGroup": NGINX_UID,
            "seccompProfile": {"type": "RuntimeDefault"}}


def container_security() -> dict[str, Any]:
    return {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "runAsNonRoot": True,
            "runAsUser": NGINX_UID, "runAsGroup": NGINX_UID, "privileged": False,
            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}


def deployment(g, spec: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    probe = lambda period, failures: {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},  # noqa: E731
                                      "periodSeconds": period, "timeoutSeconds": 2, "failureThreshold": failures}
    container = {
        "name": NAME, "image": g.image(spec, NAME), "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "http", "containerPort": c["port"], "protocol": "TCP"}],
        "resources": c["resources"],
        # nginx answers /healthz itself: started, alive and ready are the same thing here
        "startupProbe": probe(2, 30), "livenessProbe": probe(10, 3), "readinessProbe": probe(5, 2),
        "lifecycle": {"preStop": {"exec": {"command": ["sleep", str(PRESTOP_SECONDS)]}}},
        "securityContext": container_security(),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"},
                         {"name": "config", "mountPath": CONFIG_DIR, "readOnly": True}],
    }
    spread = lambda key: {"maxSkew": 1, "topologyKey": key, "whenUnsatisfiable": "ScheduleAnyway",  # noqa: E731
                          "labelSelector": {"matchLabels": g.selector(NAME, "web")}}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": NAME, "labels": g.labels(NAME, "web")},
        "spec": {
            "replicas": c["replicas"],       # static files: no autoscaler, overlays set the count
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": g.selector(NAME, "web")},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": g.labels(NAME, "web")},
                "spec": {
                    "serviceAccountName": NAME, "automountServiceAccountToken": False,
                    "terminationGracePeriodSeconds": GRACE_SECONDS, "securityContext": pod_security(),
                    "topologySpreadConstraints": [spread("topology.kubernetes.io/zone"),
                                                  spread("kubernetes.io/hostname")],
                    "containers": [container],
                    "volumes": [g.tmp_volume("64Mi"),
                                {"name": "config", "configMap": {"name": "console-config",
                                                                 "items": [{"key": "config.json", "path": "config.json"}]}}],
                },
            },
        },
    }


def network_policy(g, spec: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    """Only the ingress controller reaches the console's port; the console reaches nothing but
    the services' HTTP ports (it serves files: in Kubernetes the browser's API calls go through
    the Ingress, and the services admit only the ingress controller and Prometheus)."""
    ns = {"kubernetes.io/metadata.name": g.INGRESS_NAMESPACE}
    return {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": NAME, "labels": g.labels(NAME, "network")},
        "spec": {
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": NAME}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": ns},
                                   "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}}}],
                         "ports": [{"protocol": "TCP", "port": "http"}]}],
            "egress": [{"to": [{"podSelector": {"matchLabels": g.selector(name)}}],
                        "ports": [{"protocol": "TCP", "port": svc["port"]}]}
                       for name, svc in g.deployed(spec).items()],
        },
    }


def _ingress_meta(g, name: str, c: dict[str, Any], extra: dict[str, str]) -> dict[str, Any]:
    annotations = {"nginx.ingress.kubernetes.io/ssl-redirect": "true", **extra}
    if c["source_ranges"]:   # the staff host answers the agency's networks only
        annotations["nginx.ingress.kubernetes.io/whitelist-source-range"] = ",".join(c["source_ranges"])
    return {"name": name, "labels": g.labels(NAME, "web"), "annotations": annotations}


def ingresses(g, spec: dict[str, Any], c: dict[str, Any]) -> list[dict[str, Any]]:
    host, tls = c["host"], [{"hosts": [c["host"]], "secretName": f"{NAME}-tls"}]
    files = {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        # one Certificate for the host (cert-manager's annotation on this Ingress only)
        "metadata": _ingress_meta(g, NAME, c, {"cert-manager.io/cluster-issuer": c["tls_issuer"]}),
        "spec": {"ingressClassName": c["ingress_class"], "tls": tls, "rules": [{"host": host, "http": {"paths": [
            {"path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": NAME, "port": {"name": "http"}}}}]}}]},
    }
    api = {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": _ingress_meta(g, API_INGRESS, c, {
            "nginx.ingress.kubernetes.io/use-regex": "true",
            "nginx.ingress.kubernetes.io/rewrite-target": "/$1",   # /api/<service>/v1/… → /v1/…
            "nginx.ingress.kubernetes.io/proxy-body-size": c["max_body"],
            # uploads (evidence, placements) and downloads (letter batches) stream, never spooled
            "nginx.ingress.kubernetes.io/proxy-request-buffering": "off",
            "nginx.ingress.kubernetes.io/proxy-buffering": "off",
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "300",
            "nginx.ingress.kubernetes.io/proxy-send-timeout": "300",
        }),
        "spec": {"ingressClassName": c["ingress_class"], "tls": tls, "rules": [{"host": host, "http": {"paths": [
            {"path": f"/api/{name}/(v1/.*)", "pathType": "ImplementationSpecific",
             "backend": {"service": {"name": name, "port": {"name": "http"}}}}
            for name in g.deployed(spec)]}}]},
    }
    return [files, api]


def documents(g, spec: dict[str, Any]) -> list[dict[str, Any]]:
    c = spec[NAME]
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": NAME, "labels": g.labels(NAME, "web")},
         "automountServiceAccountToken": False},
        deployment(g, spec, c),
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": NAME, "labels": g.labels(NAME, "web")},
         "spec": {"type": "ClusterIP", "selector": g.selector(NAME, "web"),
                  "ports": [{"name": "http", "port": c["port"], "targetPort": "http", "protocol": "TCP"}]}},
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
         "metadata": {"name": NAME, "labels": g.labels(NAME, "web")},
         "spec": {"maxUnavailable": 1, "selector": {"matchLabels": g.selector(NAME, "web")},
                  "unhealthyPodEvictionPolicy": "AlwaysAllow"}},
        network_policy(g, spec, c),
        *ingresses(g, spec, c),
    ]


def config_json(config: dict[str, Any]) -> str:
    return json.dumps(config, ensure_ascii=False, indent=2) + "\n"


# --- docker compose ---------------------------------------------------------------------------

COMPOSE_BLOCK = """\
  # --- console (the staff console: http://localhost:{port}) {rule}
  console:
    build: {{context: console}}
    image: recoup/console:compose
    restart: unless-stopped
    ports: ["{port}:{port}"]
    read_only: true
    tmpfs: [/tmp]
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    volumes:
      # instead of the Ingress: /api/<service>/v1/ to each service (generated, like this block)
      - ./deploy/docker/console-nginx.conf:/etc/nginx/conf.d/default.conf:ro
      - ./deploy/docker/console-config.json:{config_dir}/config.json:ro
    depends_on:
{depends}
"""


def compose_block(g, spec: dict[str, Any]) -> str:
    c = spec[NAME]
    depends = "\n".join(f"      {name}: {{condition: service_healthy}}" for name in g.deployed(spec))
    return COMPOSE_BLOCK.format(port=c["port"], rule="-" * 48, config_dir=CONFIG_DIR, depends=depends)


def compose_config(spec: dict[str, Any]) -> str:
    """/config.json in compose: no identity provider on a laptop, so the console takes a token
    minted with the demo key (deploy/docker/mint_demo_token.py) pasted on its sign-in page."""
    c = spec[NAME]
    return config_json({"environment": "compose", "auth": {"mode": "token"},
                        "clients": c["compose"].get("clients", []),
                        "timezone": c["config"].get("timezone", "Asia/Shanghai")})


def compose_nginx(g, spec: dict[str, Any], nginx_conf: str) -> str:
    """console/deploy/nginx.conf with the block between the api markers replaced by one proxy
    location per deployed service (what the Ingress does in Kubernetes), then the fallback."""
    start, end = API_MARKERS
    m = re.search(re.escape(start) + r"(.*?)" + re.escape(end), nginx_conf, re.S)
    if not m:
        raise SystemExit("console/deploy/nginx.conf: the api markers are missing")
    c = spec[NAME]
    routes = "".join(f"""\
    location /api/{name}/v1/ {{
        proxy_pass http://{name}:{svc['port']}/v1/;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_request_buffering off;
        proxy_buffering off;
        client_max_body_size {c['max_body']};
        proxy_read_timeout 300s;
        proxy_send_timeout 300s;
    }}

""" for name, svc in g.deployed(spec).items())
    header = ("# GENERATED by deploy/k8s/tools/generate.py from console/deploy/nginx.conf and\n"
              "# deploy/k8s/services.yaml: the console's nginx in docker compose, where no Ingress routes\n"
              "# /api/<service>/ (only /v1/ of each service, the prefix stripped). Do not edit.\n")
    body = "    # The services' client APIs, as the Ingress routes them in Kubernetes.\n" + routes + m.group(1)
    return header + nginx_conf[:m.start()] + body + nginx_conf[m.end():]
