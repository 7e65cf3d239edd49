#!/usr/bin/env bash
# Network programming latency on the lab (issue 5): from a change to every node's proxy and DNS serving it.
#
#   bench/netprog-bench.sh [ROUNDS]     (default 20; brings the lab up with scripts/lab.sh up 3 unless LAB_UP=1)
#
# Each round creates a Service with a fixed clusterIP over an already running Deployment and, on every node at
# once, polls (bench/netprog/probe.py, inside the node's namespace) until a TCP connection through the cluster IP
# gets an HTTP answer and the node's DNS resolves the name. Latency = that moment - the moment just before
# `kubectl create` was started (so it includes kubectl's own request, ~0.1 s). Afterwards the agents' own metric
# (orchestrator_agent_network_programming_duration_seconds, from the endpoints' trigger times) is read per node.
# Only lab addresses are used: the probes run inside the lab's namespaces, which have no default route.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-20}
NODES=3
NS=netprog-bench
export KUBECONFIG=/var/lib/orchestrator-lab/api/admin.kubeconfig
[ "${LAB_UP:-0}" = 1 ] || scripts/lab.sh up $NODES
trap '[ "${KEEP_LAB:-0}" = 1 ] || scripts/lab.sh down' EXIT

kubectl create namespace $NS >/dev/null 2>&1 || true
kubectl -n $NS create deployment hostname --image=orchestrator/echo-hostname:1 --replicas=$NODES >/dev/null
kubectl -n $NS rollout status deployment/hostname --timeout=180s >/dev/null

out=$(mktemp -d)
for r in $(seq 1 "$ROUNDS"); do
  ip=10.96.250.$r
  for n in $(seq 1 $NODES); do
    scripts/lab.sh exec "$n" python3 bench/netprog/probe.py "$ip" 80 "bench-$r.$NS.svc.cluster.local" 10.96.0.10 15 >"$out/r$r-n$n" &
  done
  sleep 0.3   # probers running
  t0=$(date +%s.%N)
  printf 'apiVersion: v1\nkind: Service\nmetadata: {name: bench-%s}\nspec:\n  clusterIP: %s\n  selector: {app: hostname}\n  ports: [{port: 80, targetPort: 8080}]\n' \
    "$r" "$ip" | kubectl -n $NS create -f - >/dev/null
  wait
  for n in $(seq 1 $NODES); do echo "$t0 $(cat "$out/r$r-n$n")" >>"$out/all"; done
done

python3 - "$out/all" <<'PY'
import sys
tcp, dns, both = [], [], []
timeouts = 0
for line in open(sys.argv[1]):
    t0, _, t, _, d = line.split()
    if t == "timeout" or d == "timeout":
        timeouts += 1
        continue
    tcp.append(float(t) - float(t0)); dns.append(float(d) - float(t0)); both.append(max(float(t), float(d)) - float(t0))
def q(v, p):
    v = sorted(v); return v[min(len(v) - 1, max(0, int(round(p * len(v) + 0.5)) - 1))]
print(f"samples (round x node): {len(both)}, timeouts: {timeouts}")
print("| path | p50 s | p90 s | p99 s | max s |")
print("|---|---|---|---|---|")
for name, v in (("proxy (TCP answer)", tcp), ("DNS (A record)", dns), ("both", both)):
    if v: print(f"| {name} | {q(v,.5):.3f} | {q(v,.9):.3f} | {q(v,.99):.3f} | {max(v):.3f} |")
PY
echo
echo "agents' own metric (trigger time -> applied by proxy, DNS and addresses):"
for n in $(seq 1 $NODES); do
  echo "node $n: $(scripts/lab.sh exec "$n" curl -s http://127.0.0.1:10249/metrics | grep -E '^orchestrator_agent_network_programming_(recent_seconds|duration_seconds_count)' | tr '\n' ' ')"
done
kubectl delete namespace $NS --wait=false >/dev/null
rm -rf "$out"
