#!/usr/bin/env bash
# Runs the whole test suite: unit tests and end-to-end tests (real server processes, real kubectl).
# Prints "N passed, N failed" at the end and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
RESULTS=$(mktemp -d)
trap 'rm -rf "$RESULTS"' EXIT

# Tools the end-to-end tests drive for real: dig (DNS), curl, ip (the lab's namespaces), dockerd and busybox (the agent's tests build their own
# images; there is no registry). kubectl v1.32 comes with the machine image at /usr/bin/kubectl.
missing=()
command -v dig >/dev/null 2>&1 || missing+=(dnsutils)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io iptables)
[ -x /bin/busybox ] || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing test prerequisites: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || exit 1
fi

dotnet build Orchestrator.sln -c Release --nologo -v quiet || exit 1
dotnet test Orchestrator.sln -c Release --no-build --nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$RESULTS" \
  --logger "console;verbosity=normal" -- RunConfiguration.TestSessionTimeout=3000000
rc=$?

trx=$(find "$RESULTS" -name '*.trx' | head -n 1)
if [ -n "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  echo
  echo "${passed:-0} passed, ${failed:-0} failed"
  [ "${passed:-0}" -gt 0 ] || rc=1
else
  echo "no test results were written" >&2
  rc=1
fi
exit $rc
