#!/usr/bin/env bash
# Writes the shared inputs of bench/dns-bench.sh into DIR (PERF-BASELINES §3):
#   queries.txt   1000 A queries, 690 for the 100 existing names svc-{1..20}.ns-{1..5}.svc.cluster.local and 310 for
#                 missing-N.ns-M.svc.cluster.local, in a fixed shuffled order;
#   dnsmasq.conf  dnsmasq serving the same 100 records (10.96.ns.svc), NXDOMAIN for the rest of cluster.local, no upstream.
#   make-inputs.sh DIR ADDRESS PORT
set -euo pipefail
dir=$1 address=$2 port=$3
mkdir -p "$dir"
{
  for i in $(seq 0 689); do s=$((i % 20 + 1)); n=$((i / 20 % 5 + 1)); echo "svc-$s.ns-$n.svc.cluster.local A"; done
  for i in $(seq 0 309); do echo "missing-$i.ns-$((i % 5 + 1)).svc.cluster.local A"; done
} | shuf --random-source=<(yes 53) >"$dir/queries.txt"
{
  echo "port=$port"
  echo "listen-address=$address"
  echo "bind-interfaces"
  echo "no-resolv"
  echo "no-hosts"
  echo "keep-in-foreground"
  echo "pid-file="
  echo "local=/cluster.local/"
  for n in 1 2 3 4 5; do for s in $(seq 1 20); do echo "host-record=svc-$s.ns-$n.svc.cluster.local,10.96.$n.$s"; done; done
} >"$dir/dnsmasq.conf"
