#!/usr/bin/env bash
# Control-plane benchmark (issue 3), with simulated nodes (Orchestrator.Simulator, no containers):
#   1. scale a ReplicaSet 0 → 1,000 pods over 50 nodes: time until all Running, and until all are in Endpoints;
#   2. a 100-replica Deployment rolling update (new image) until `rollout status` succeeds;
#   server CPU time (user+system, from /proc) and RSS around each step.
#   bench/controllers-bench.sh [pods=1000] [nodes=50]
set -euo pipefail
cd "$(dirname "$0")/.."
PODS=${1:-1000}
NODES=${2:-50}
OUT=$(mktemp -d)
SERVER=; SIM=
trap '[ -n "$SIM" ] && kill $SIM 2>/dev/null; [ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$OUT"' EXIT
dotnet publish Orchestrator.Api -c Release -o "$OUT/api" --nologo -v quiet
dotnet publish Orchestrator.Simulator -c Release -o "$OUT/sim" --nologo -v quiet
PORT=$((20000 + RANDOM % 10000))
"$OUT/api/Orchestrator.Api" --data-dir "$OUT/data" --port "$PORT" --bind 127.0.0.1 >"$OUT/api.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do [ -f "$OUT/data/admin.kubeconfig" ] && break; sleep 0.2; done
"$OUT/sim/Orchestrator.Simulator" --server "https://127.0.0.1:$PORT" --kubeconfig "$OUT/data/admin.kubeconfig" \
  --nodes "$NODES" --startup-delay 200ms --pods 250 >"$OUT/sim.log" 2>&1 &
SIM=$!
export KUBECONFIG=$OUT/data/admin.kubeconfig
K="kubectl --cache-dir $OUT/cache"
until [ "$($K get nodes --no-headers 2>/dev/null | grep -c ' Ready')" = "$NODES" ]; do sleep 0.5; done

cpu() { awk '{print ($14+$15)/100}' /proc/$SERVER/stat; }
rss() { awk '/VmRSS/{print int($2/1024)}' /proc/$SERVER/status; }
now() { date +%s.%N; }
running() { $K get pods -l app=bench --field-selector=status.phase=Running --no-headers 2>/dev/null | wc -l; }
ready_endpoints() { $K get endpoints bench -o jsonpath='{range .subsets[*]}{range .addresses[*]}{.ip}{"\n"}{end}{end}' 2>/dev/null | grep -c . || true; }

cat <<YAML | $K apply -f - >/dev/null
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: bench}
spec:
  replicas: 0
  selector: {matchLabels: {app: bench}}
  template:
    metadata: {labels: {app: bench}}
    spec:
      containers: [{name: web, image: "echo-hostname:1.0", ports: [{containerPort: 80}], resources: {requests: {cpu: 10m, memory: 16Mi}}}]
---
apiVersion: v1
kind: Service
metadata: {name: bench}
spec:
  selector: {app: bench}
  ports: [{port: 80}]
YAML

c0=$(cpu); t0=$(now)
$K scale rs bench --replicas="$PODS" >/dev/null
until [ "$(running)" -ge "$PODS" ]; do sleep 0.5; done
t1=$(now)
until [ "$(ready_endpoints)" -ge "$PODS" ]; do sleep 0.5; done
t2=$(now); c1=$(cpu); r1=$(rss)
spread=$($K get pods -l app=bench -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort | uniq -c | awk '{print $1}' | sort -n | sed -n '1p;$p' | paste -sd/)

$K create deployment roll --image=echo-hostname:1.0 --replicas=100 >/dev/null
$K rollout status deployment/roll --timeout=600s >/dev/null
c2=$(cpu); t3=$(now)
$K set image deployment/roll echo-hostname=echo-hostname:2.0 >/dev/null
$K rollout status deployment/roll --timeout=600s >/dev/null
t4=$(now); c3=$(cpu); r3=$(rss)

echo "machine: $(nproc) cores; $(date -u +%Y-%m-%d); $NODES simulated nodes"
echo "| measurement | result |"
echo "|---|---|"
printf '| ReplicaSet 0 → %d pods: all Running | %.1f s |\n' "$PODS" "$(echo "$t1 - $t0" | bc)"
printf '| … and all %d in Endpoints | %.1f s |\n' "$PODS" "$(echo "$t2 - $t0" | bc)"
printf '| pods per node (min/max) | %s |\n' "$spread"
printf '| server CPU during the scale-up | %.1f s |\n' "$(echo "$c1 - $c0" | bc)"
printf '| server RSS after the scale-up | %d MB |\n' "$r1"
printf '| 100-replica Deployment rolling update (25%%/25%%) | %.1f s |\n' "$(echo "$t4 - $t3" | bc)"
printf '| server CPU during the rolling update | %.1f s |\n' "$(echo "$c3 - $c2" | bc)"
printf '| server RSS after the rolling update | %d MB |\n' "$r3"
