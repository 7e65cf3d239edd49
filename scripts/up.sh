#!/usr/bin/env bash
# Brings up a single-node cluster on this machine: installs and starts Docker when missing, builds the local images
# (scripts/images.sh) and the orchestrator, starts the API server and this host's node agent in the background and
# waits until the node is Ready.
#
#   scripts/up.sh            start (or restart) the cluster; data in ./data
#   scripts/up.sh --down     stop it (data is kept)
#
# Afterwards: export KUBECONFIG=$PWD/data/admin.kubeconfig && kubectl get ns
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${ORCH_DATA_DIR:-$ROOT/data}
BIN=$ROOT/.local/bin
RUN=$ROOT/.local/run
PORT=${ORCH_PORT:-6443}
mkdir -p "$RUN"

stop() {
  for name in agent api; do
    if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
      kill "$(cat "$RUN/$name.pid")" && echo "stopped $name"
    fi
    rm -f "$RUN/$name.pid"
  done
}

if [ "${1:-}" = "--down" ]; then stop; exit 0; fi

# 1. Docker: the node agent runs pods on the local engine.
if ! command -v dockerd >/dev/null 2>&1; then
  echo "installing docker.io, iptables, busybox-static ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io iptables busybox-static >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd ..."
  nohup dockerd >"$RUN/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see $RUN/dockerd.log" >&2; exit 1; }
fi

# 2. The images the manifests use (no registry needed).
if ! [ -x /bin/busybox ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
scripts/images.sh

# 3. Build.
echo "building ..."
dotnet publish Orchestrator.Api -c Release -o "$BIN/api" --nologo -v quiet
dotnet publish Orchestrator.Agent -c Release -o "$BIN/agent" --nologo -v quiet

# 4. API server.
stop
mkdir -p "$DATA"
rm -f "$DATA/admin.kubeconfig"
nohup "$BIN/api/Orchestrator.Api" --data-dir "$DATA" --port "$PORT" >"$RUN/api.log" 2>&1 &
echo $! >"$RUN/api.pid"
for _ in $(seq 1 120); do
  [ -f "$DATA/admin.kubeconfig" ] && break
  kill -0 "$(cat "$RUN/api.pid")" 2>/dev/null || { echo "the API server exited; see $RUN/api.log" >&2; exit 1; }
  sleep 0.5
done
[ -f "$DATA/admin.kubeconfig" ] || { echo "the API server did not become ready; see $RUN/api.log" >&2; exit 1; }

# 5. This host's node agent: joins with node-token, registers the node and runs its pods on the local Docker engine.
NodeNetwork__CleanupOnExit=true DOTNET_GCgen0size=0x400000 nohup "$BIN/agent/Orchestrator.Agent" --server "https://127.0.0.1:$PORT" --token-file "$DATA/node-token" \
  --data-dir "$DATA/agent" >"$RUN/agent.log" 2>&1 &
echo $! >"$RUN/agent.pid"
export KUBECONFIG=$DATA/admin.kubeconfig
for _ in $(seq 1 120); do
  kubectl get nodes --no-headers 2>/dev/null | grep -q ' Ready' && break
  kill -0 "$(cat "$RUN/agent.pid")" 2>/dev/null || { echo "the agent exited; see $RUN/agent.log" >&2; exit 1; }
  sleep 0.5
done
kubectl get nodes --no-headers 2>/dev/null | grep -q ' Ready' || { echo "the node did not become Ready; see $RUN/agent.log" >&2; exit 1; }

echo
echo "cluster is up: API server on https://127.0.0.1:$PORT (log: $RUN/api.log)"
echo "  export KUBECONFIG=$DATA/admin.kubeconfig"
echo "  kubectl get nodes"
echo "  kubectl apply -f manifests/"
