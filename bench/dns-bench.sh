#!/usr/bin/env bash
# DNS benchmark (issue 5): dnsperf against dnsmasq and against the agent's cluster DNS responder (bench/DnsBench: UDP
# loops as blocking threads, the default, and as async loops — "ours-async"), side by side in one run, same records
# (100 services), same query file (69% existing / 31% NXDOMAIN), all on 127.0.0.0/8. The machine's load average is
# printed first: with other work on the 2 cores the numbers say little.
# Per server: max QPS (dnsperf -c 4 -T 2 -q 500, -l 10) × RUNS, then fixed rates of 10k and 30k QPS (-l 5, per-query
# latencies with -v); server CPU (cores, from /proc/PID/stat) and RSS during each run. Prints a Markdown table.
#   bench/dns-bench.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
OUT=$(mktemp -d /tmp/dns-bench.XXXXXX)
DNSMASQ=; OURS=; ASYNC=
cleanup() {
  [ -n "$DNSMASQ" ] && kill "$DNSMASQ" 2>/dev/null && wait "$DNSMASQ" 2>/dev/null
  [ -n "$OURS" ] && kill "$OURS" 2>/dev/null && wait "$OURS" 2>/dev/null
  [ -n "$ASYNC" ] && kill "$ASYNC" 2>/dev/null && wait "$ASYNC" 2>/dev/null
  rm -rf "$OUT"
}
trap cleanup EXIT

missing=()
command -v dnsperf >/dev/null || missing+=(dnsperf)
[ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null
fi

# Loopback only; a random third octet so two runs (or other helpers) do not meet.
NET=127.$((100 + RANDOM % 100)).$((RANDOM % 250))
A_DNSMASQ=$NET.53 A_OURS=$NET.54 A_ASYNC=$NET.55 PORT=5353
bench/dns/make-inputs.sh "$OUT" "$A_DNSMASQ" "$PORT"
dotnet build bench/DnsBench -c Release -o "$OUT/bench" --nologo -v quiet >/dev/null

/usr/sbin/dnsmasq --conf-file="$OUT/dnsmasq.conf" >"$OUT/dnsmasq.log" 2>&1 &
DNSMASQ=$!
DOTNET_GCgen0size=0x400000 "$OUT/bench/DnsBench" "$A_OURS" "$PORT" blocking >"$OUT/ours.log" 2>&1 &
OURS=$!
DOTNET_GCgen0size=0x400000 "$OUT/bench/DnsBench" "$A_ASYNC" "$PORT" async >"$OUT/async.log" 2>&1 &
ASYNC=$!
for log in ours async; do
  for _ in $(seq 1 150); do grep -q listening "$OUT/$log.log" && break; sleep 0.2; done
  grep -q listening "$OUT/$log.log" || { cat "$OUT/$log.log"; exit 1; }
done
# All must answer the same way before we measure them.
for a in "$A_DNSMASQ" "$A_OURS" "$A_ASYNC"; do
  [ "$(dig +short @"$a" -p $PORT svc-3.ns-2.svc.cluster.local A)" = 10.96.2.3 ] || { echo "$a does not answer" >&2; exit 1; }
  dig @"$a" -p $PORT missing-1.ns-1.svc.cluster.local A | grep -q 'status: NXDOMAIN' || { echo "$a: no NXDOMAIN" >&2; exit 1; }
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/{printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
HZ=$(getconf CLK_TCK)

# run NAME PID ADDRESS MODE: one dnsperf run; prints "qps avg p50 p99 p999 max lost cpu rss noerror nxdomain".
run() {
  local name=$1 pid=$2 address=$3 mode=$4 args log=$OUT/run.log
  case $mode in
    max) args=(-l 10 -c 4 -T 2 -q 500) ;;
    rate*) args=(-l 5 -Q "${mode#rate}" -v) ;;
  esac
  local t0 c0 t1 c1
  t0=$(date +%s.%N); c0=$(ticks "$pid")
  dnsperf -s "$address" -p $PORT -d "$OUT/queries.txt" "${args[@]}" >"$log" 2>&1
  t1=$(date +%s.%N); c1=$(ticks "$pid")
  local qps lost avg lat noerror nxdomain cpu
  qps=$(awk '/Queries per second:/{print $4}' "$log")
  lost=$(awk '/Queries lost:/{print $3}' "$log")
  noerror=$(grep -oE 'NOERROR [0-9]+ \([0-9.]+%\)' "$log" | head -1 | awk '{print $3}' | tr -d '()')
  nxdomain=$(grep -oE 'NXDOMAIN [0-9]+ \([0-9.]+%\)' "$log" | head -1 | awk '{print $3}' | tr -d '()')
  if [ "$mode" = max ]; then
    avg=$(awk '/Average Latency/{printf "%.3f", $4 * 1000}' "$log")
    lat="$avg n/a n/a n/a $(awk '/Average Latency/{gsub(/[(),]/," "); printf "%.2f", $9 * 1000}' "$log")"
  else
    lat=$(python3 bench/dns/percentiles.py <"$log")
  fi
  cpu=$(awk -v d="$((c1 - c0))" -v hz="$HZ" -v s="$t0" -v e="$t1" 'BEGIN{printf "%.2f", d / hz / (e - s)}')
  echo "$qps $lat $lost $cpu $(rss_mb "$pid") $noerror $nxdomain"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC'); dnsperf $(dnsperf -h 2>&1 | awk '/Version/{print $2; exit}'), $(/usr/sbin/dnsmasq --version | head -1 | awk '{print $1, $3}')"
echo
echo "| server | mode | run | QPS | avg ms | p50 ms | p99 ms | p99.9 ms | max ms | lost | server CPU (cores) | server RSS MB | NOERROR / NXDOMAIN |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
# Interleaved, so that a busy machine hurts both servers alike.
for mode in max rate10000 rate30000; do
  n=$RUNS; [ "$mode" = max ] || n=$(( RUNS < 2 ? RUNS : 2 ))
  for i in $(seq 1 "$n"); do
    for server in dnsmasq ours ours-async; do
      case $server in
        dnsmasq) pid=$DNSMASQ addr=$A_DNSMASQ ;;
        ours) pid=$OURS addr=$A_OURS ;;
        ours-async) pid=$ASYNC addr=$A_ASYNC ;;
      esac
      read -r qps avg p50 p99 p999 max lost cpu rss ok nx <<<"$(run $server "$pid" "$addr" "$mode")"
      echo "| $server | $mode | $i | ${qps%.*} | $avg | $p50 | $p99 | $p999 | $max | $lost | $cpu | $rss | $ok / $nx |"
    done
  done
done
