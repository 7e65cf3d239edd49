#!/bin/sh
# The node agent in a container (host network, the Docker socket, NET_ADMIN): waits until the API server has written
# its node-token (ORCH_TOKEN_FILE, on the API server's volume mounted read-only), then joins ORCH_SERVER.
# ORCH_NODE_NAME / ORCH_NODE_IP / ORCH_KUBELET_PORT are optional (defaults: the host's name, its first non-loopback
# IPv4, 10250). Further arguments are passed on.
set -eu
token=${ORCH_TOKEN_FILE:-/var/lib/orchestrator-api/node-token}
waited=0
until [ -s "$token" ]; do
  [ $((waited % 10)) -eq 0 ] && echo "waiting for the API server's node-token at $token ..."
  waited=$((waited + 1))
  sleep 1
done
set -- --server "${ORCH_SERVER:-https://127.0.0.1:6443}" --token-file "$token" \
  --data-dir "${ORCH_AGENT_DATA_DIR:-/var/lib/orchestrator-agent}" "$@"
[ -n "${ORCH_NODE_NAME:-}" ] && set -- "$@" --node-name "$ORCH_NODE_NAME"
[ -n "${ORCH_NODE_IP:-}" ] && set -- "$@" --node-ip "$ORCH_NODE_IP"
[ -n "${ORCH_KUBELET_PORT:-}" ] && set -- "$@" --kubelet-port "$ORCH_KUBELET_PORT"
exec dotnet /app/Orchestrator.Agent.dll "$@"
