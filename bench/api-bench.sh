#!/usr/bin/env bash
# API server benchmark (issue 2): starts a fresh server from a Release build on a loopback port, runs
# bench/ApiBench against it and prints a Markdown table for docs/BENCHMARKS.md.
#   bench/api-bench.sh [pods=10000] [watchers=100]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
SERVER=; trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true; rm -rf "$OUT"' EXIT
dotnet publish Orchestrator.Api -c Release -o "$OUT/api" --nologo -v quiet
dotnet build bench/ApiBench -c Release -o "$OUT/bench" --nologo -v quiet
PORT=$((20000 + RANDOM % 10000))
"$OUT/api/Orchestrator.Api" --data-dir "$OUT/data" --port "$PORT" --bind 127.0.0.1 >"$OUT/api.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do [ -f "$OUT/data/admin.kubeconfig" ] && break; sleep 0.2; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d)"
"$OUT/bench/ApiBench" "https://127.0.0.1:$PORT" "$OUT/data/admin.kubeconfig" "$SERVER" "${1:-10000}" "${2:-100}"
