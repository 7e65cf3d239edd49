#!/bin/sh
# The API server in a container: data in ORCH_DATA_DIR (a volume), listening on every address of the container at
# ORCH_API_PORT (the same number is published on the host, so that admin.kubeconfig's https://127.0.0.1:PORT works
# from the host). ORCH_TLS_SAN: extra names/addresses for the serving certificate (blank- or comma-separated), e.g.
# the Docker host's name and LAN address, so that kubectl and agents on other machines can reach it.
# Further arguments are passed on (e.g. --service-cidr, --cluster-cidr, --node-port-range).
set -eu
set -- --data-dir "${ORCH_DATA_DIR:-/var/lib/orchestrator-api}" --bind 0.0.0.0 --port "${ORCH_API_PORT:-6443}" "$@"
for san in $(echo "${ORCH_TLS_SAN:-}" | tr ',' ' '); do
  set -- "$@" --tls-san "$san"
done
exec dotnet /app/Orchestrator.Api.dll "$@"
