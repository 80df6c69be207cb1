#!/usr/bin/env bash
# Deploy an overlay with plain kubectl, in the order Recoup needs:
#   1. platform   everything but the workloads: namespace, ConfigMaps, NetworkPolicies, Kafka,
#                 topics, database clusters, Services, PDBs, ServiceMonitors, Ingress
#   2. wait       Kafka, every KafkaUser and every CloudNativePG Cluster Ready
#   3. migrate    re-create each <service>-migrate Job (Jobs are immutable) and wait for all
#   4. apps       Deployments and their autoscalers; wait for the rollouts
# A GitOps controller gets the same order from the Jobs' sync-wave/hook annotations.
#
#   deploy/k8s/tools/deploy.sh staging|production [--dry-run]
# --dry-run validates everything against the cluster (server-side) and changes nothing.
set -euo pipefail

OVERLAY="${1:?usage: deploy.sh <overlay> [--dry-run]}"
DRY=()
[ "${2:-}" = "--dry-run" ] && DRY=(--dry-run=server)
K8S="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NS="${NAMESPACE:-recoup}"
WORKLOADS='Deployment|Job|HorizontalPodAutoscaler|ScaledObject'
RENDERED="$(mktemp)"
trap 'rm -f "$RENDERED"' EXIT

if command -v kustomize >/dev/null 2>&1; then
  kustomize build "$K8S/overlays/$OVERLAY" > "$RENDERED"
else
  kubectl kustomize "$K8S/overlays/$OVERLAY" > "$RENDERED"
fi

# Print the documents of the rendered stream whose top-level kind matches (or, with -v, doesn't).
select_kinds() {
  awk -v re="^kind: (${2})\$" -v invert="$1" '
    function flush() { if (doc != "" && ((doc_kind ~ re) != (invert == "-v"))) printf "---\n%s", doc; doc = ""; doc_kind = "" }
    /^---$/ { flush(); next }
    { doc = doc $0 "\n"; if ($0 ~ /^kind: /) doc_kind = $0 }
    END { flush() }' "$RENDERED"
}

echo "== 1/4 platform"
select_kinds -v "$WORKLOADS" | kubectl apply "${DRY[@]}" -f -

if [ ${#DRY[@]} -eq 0 ]; then
  echo "== 2/4 waiting for Kafka and the databases"
  kubectl -n "$NS" wait kafka.kafka.strimzi.io --all --for=condition=Ready --timeout=20m
  # the services' Kafka credentials (Secrets written by Strimzi's user operator) must exist first
  kubectl -n "$NS" wait kafkauser.kafka.strimzi.io --all --for=condition=Ready --timeout=10m
  kubectl -n "$NS" wait clusters.postgresql.cnpg.io --all --for=condition=Ready --timeout=20m
fi

echo "== 3/4 migrations"
if [ ${#DRY[@]} -eq 0 ]; then
  kubectl -n "$NS" delete job -l app.kubernetes.io/component=migrations --ignore-not-found --wait=true
fi
select_kinds "" "Job" | kubectl apply "${DRY[@]}" -f -
if [ ${#DRY[@]} -eq 0 ]; then
  if ! kubectl -n "$NS" wait job -l app.kubernetes.io/component=migrations --for=condition=Complete --timeout=20m; then
    kubectl -n "$NS" logs -l app.kubernetes.io/component=migrations --tail=50 --prefix || true
    echo "migrations failed: the running release is untouched" >&2
    exit 1
  fi
fi

echo "== 4/4 apps"
select_kinds "" "Deployment|HorizontalPodAutoscaler|ScaledObject" | kubectl apply "${DRY[@]}" -f -
if [ ${#DRY[@]} -eq 0 ]; then
  for d in $(kubectl -n "$NS" get deploy -l 'app.kubernetes.io/component in (app,web)' -o name); do
    kubectl -n "$NS" rollout status "$d" --timeout=10m
  done
fi
echo "deployed $OVERLAY"
