#!/usr/bin/env bash
# Pod start benchmark (issue 4): a fresh API server and one agent on the local Docker engine, then bench/PodBench:
# 1 pod and N pods created together (create → Running/Ready through a watch) and a ReplicaSet scaled 0 → M, each
# beside as many raw `docker run -d` of the same container; agent RSS idle and loaded. Prints a Markdown table.
#   bench/pod-start-bench.sh [pods=50] [rs=30]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
SERVER=; AGENT=
cleanup() {
  [ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  docker ps -aq --filter label=io.orchestrator.node=podbench-node | xargs -r docker rm -f >/dev/null
  docker ps -aq --filter label=podbench=raw | xargs -r docker rm -f >/dev/null
  docker network rm orchestrator-pods >/dev/null 2>&1 || true
  rm -rf "$OUT"
}
trap cleanup EXIT
docker info >/dev/null
IMAGE=orchestrator-bench/busybox:1
if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  mkdir -p "$OUT/rootfs/bin" && cp /bin/busybox "$OUT/rootfs/bin/busybox"
  for a in sh sleep; do ln -s busybox "$OUT/rootfs/bin/$a"; done
  tar -C "$OUT/rootfs" -c . | docker import - "$IMAGE" >/dev/null
fi
dotnet publish Orchestrator.Api -c Release -o "$OUT/api" --nologo -v quiet
dotnet publish Orchestrator.Agent -c Release -o "$OUT/agent" --nologo -v quiet
dotnet build bench/PodBench -c Release -o "$OUT/bench" --nologo -v quiet
PORT=$((20000 + RANDOM % 10000))
"$OUT/api/Orchestrator.Api" --data-dir "$OUT/data" --port "$PORT" --bind 127.0.0.1 >"$OUT/api.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do [ -f "$OUT/data/node-token" ] && break; sleep 0.2; done
DOTNET_GCgen0size=0x400000 "$OUT/agent/Orchestrator.Agent" --server "https://127.0.0.1:$PORT" --token-file "$OUT/data/node-token" \
  --node-name podbench-node --node-ip 127.0.0.1 --data-dir "$OUT/agent-data" --kubelet-port $((PORT + 1)) >"$OUT/agent.log" 2>&1 &
AGENT=$!
export KUBECONFIG=$OUT/data/admin.kubeconfig
until kubectl get node podbench-node --no-headers 2>/dev/null | grep -q ' Ready'; do sleep 0.5; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d); docker $(docker version -f '{{.Server.Version}}')"
"$OUT/bench/PodBench" "https://127.0.0.1:$PORT" "$OUT/data/admin.kubeconfig" "$AGENT" "$IMAGE" "${1:-50}" "${2:-30}"
