#!/usr/bin/env bash
# Proxy benchmark: the same nginx backends and the same client (wrk, iperf3) on this machine, side by side in one run:
#   direct   wrk → nginx on the backend address (the node's IP)
#   haproxy  wrk → HAProxy (mode tcp, round robin over the 3 nginx servers) on 127.88.0.1
#   cluster  wrk → the clusterIP of a selectorless Service whose hand-written Endpoints are the same 3 nginx servers,
#            served by the real agent of a single-node cluster brought up with scripts/up.sh (our proxy)
# Scenarios (PERF-BASELINES §1/§2): keep-alive 6-byte body and `Connection: close` at 64 and 1,000 connections,
# keep-alive 1 MB at 64; iperf3 bulk with 1 and 4 streams; repetitions interleaved (target order rotates); CPU-seconds
# and max RSS of the proxy process (nginx itself for "direct") from /proc. Then a memory check: 10,000 idle
# connections held open through each target while its RSS is read.
#
#   bench/proxy-bench.sh [--targets direct,haproxy,cluster] [--duration 10] [--reps 3] [--conns 64,1000]
#                        [--idle 10000] [--no-iperf] [--no-mem] [--quick] [--keep-cluster] [--backend-ip IP] [--out DIR]
#
# Only addresses on this machine are used; every run is bounded by its duration and an outer `timeout`; only the
# processes this script started are stopped (by PID). Results: a markdown table on stdout and in OUT/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HERE=$ROOT/bench/proxy

TARGETS=direct,haproxy
DURATION=10
REPS=3
CONNS=64,1000
IDLE=10000
IPERF=1
MEM=1
KEEP_CLUSTER=0
BACKEND_IP=
OUT=
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) TARGETS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --no-iperf) IPERF=0; shift ;;
    --no-mem) MEM=0; shift ;;
    --quick) DURATION=5; REPS=1; IDLE=2000; shift ;;
    --keep-cluster) KEEP_CLUSTER=1; shift ;;
    --backend-ip) BACKEND_IP=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-$ROOT/.local/proxy-bench/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
RAW=$OUT/raw.log
: >"$RESULTS"

# Addresses and ports of this benchmark (distinct from other benches sharing the machine).
FRONT_IP=127.88.0.1
NGINX_PORTS=(28081 28082 28083)
IPERF_PORT=25201
HAPROXY_HTTP=29081
HAPROXY_IPERF=29201

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# 1. Tools: install what is missing from the Debian packages.
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v iperf3 >/dev/null || need+=(iperf3)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH=$PATH:/usr/sbin

# 1000 client connections, 10,000 idle ones through a proxy (two sockets each): raise the descriptor limit for this
# shell and what it starts (the agent too, when up.sh starts it from here).
# Without CAP_SYS_RESOURCE the hard limit cannot be raised (20,000 on the dev VMs): then a proxy holds at most about
# (limit - 1000) / 2 client+backend pairs, and the memory check is capped there (the per-connection cost it reports
# extrapolates to 10,000).
ulimit -Hn 200000 2>/dev/null || true
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -Hn)
if [ "$FD_LIMIT" != unlimited ] && [ "$IDLE" -gt $(((FD_LIMIT - 1000) / 2)) ]; then
  log "descriptor limit $FD_LIMIT: holding $(((FD_LIMIT - 1000) / 2)) idle connections instead of $IDLE"
  IDLE=$(((FD_LIMIT - 1000) / 2))
fi
HAPROXY_MAXCONN=$(((FD_LIMIT == 0 ? 40000 : FD_LIMIT) / 2 - 500))
[ "$FD_LIMIT" = unlimited ] && HAPROXY_MAXCONN=40000

# The backend address: the node's IP (Endpoints may not point at loopback). A route lookup sends nothing.
if [ -z "$BACKEND_IP" ]; then
  BACKEND_IP=$(ip -4 -o route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
  [ -n "$BACKEND_IP" ] || BACKEND_IP=$(ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1 | head -1)
fi
[ -n "$BACKEND_IP" ] || { echo "no IPv4 address for the backends; pass --backend-ip" >&2; exit 1; }
# (grep -q on a pipe would end `ip` with SIGPIPE, which pipefail turns into a failure)
[[ $(ip -4 -o addr) == *" $BACKEND_IP/"* ]] || { echo "$BACKEND_IP is not an address of this machine" >&2; exit 1; }

port_taken() { local listening; listening=$(ss -Hltn "sport = :$2" | awk '{print $4}'); grep -qE "^($1|0\.0\.0\.0|\*|\[::\]):$2$" <<<"$listening"; }
for p in "${NGINX_PORTS[@]}" "$IPERF_PORT"; do port_taken "$BACKEND_IP" "$p" && { echo "$BACKEND_IP:$p is in use" >&2; exit 1; }; done
for p in "$HAPROXY_HTTP" "$HAPROXY_IPERF"; do port_taken "$FRONT_IP" "$p" && { echo "$FRONT_IP:$p is in use" >&2; exit 1; }; done

# Everything started here, stopped on exit by PID (never by name).
STARTED=()
CLUSTER_STARTED=0
cleanup() {
  set +e
  for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${STARTED[@]}"; do timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null; done
  if [ "$CLUSTER_STARTED" = 1 ] && [ "$KEEP_CLUSTER" = 0 ]; then
    kubectl delete service,endpoints udp-bench --ignore-not-found --wait=false >/dev/null 2>&1
    "$ROOT/scripts/up.sh" --down >&2
  fi
}
trap cleanup EXIT

# 2. Backends: one nginx (2 workers) serving 3 ports on the backend address, `/` → "hello\n" (6 bytes) and
#    /1mb.bin (1,048,576 random bytes, sendfile); iperf3 server.
mkdir -p "$OUT/www" "$OUT/nginx"
[ -f "$OUT/www/1mb.bin" ] || head -c 1048576 /dev/urandom >"$OUT/www/1mb.bin"
{
  echo "daemon off; worker_processes 2; worker_rlimit_nofile 65536; pid $OUT/nginx/nginx.pid; error_log $OUT/nginx/error.log warn;"
  echo "events { worker_connections 30000; }"
  echo "http { access_log off; keepalive_requests 1000000; keepalive_timeout 120s; sendfile on; tcp_nopush on;"
  echo "  client_body_temp_path $OUT/nginx; proxy_temp_path $OUT/nginx; fastcgi_temp_path $OUT/nginx; uwsgi_temp_path $OUT/nginx; scgi_temp_path $OUT/nginx;"
  echo "  server {"
  for p in "${NGINX_PORTS[@]}"; do echo "    listen $BACKEND_IP:$p backlog=4096;"; done
  echo "    root $OUT/www;"
  echo "    location = / { default_type text/plain; return 200 \"hello\\n\"; }"
  echo "    location = /1mb.bin { }"
  echo "  }"
  echo "}"
} >"$OUT/nginx/nginx.conf"
nginx -t -q -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" 2>>"$RAW"
nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" 2>>"$RAW" &
NGINX_PID=$!
STARTED+=("$NGINX_PID")
iperf3 -s -B "$BACKEND_IP" -p "$IPERF_PORT" >>"$RAW" 2>&1 &
IPERF_PID=$!
STARTED+=("$IPERF_PID")

wait_http() { # url, seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s --noproxy '*' --max-time 1 "$1" 2>/dev/null)" = hello ] && return 0
    sleep 0.2
  done
  return 1
}
wait_http "http://$BACKEND_IP:${NGINX_PORTS[0]}/" 10 || { echo "nginx did not come up; see $RAW" >&2; exit 1; }

declare -A URL PID IPERF_ADDR
URL[direct]=http://$BACKEND_IP:${NGINX_PORTS[0]}
PID[direct]=$NGINX_PID
IPERF_ADDR[direct]="$BACKEND_IP $IPERF_PORT"

# 3. HAProxy in TCP mode (the reference L4 proxy).
if [[ ,$TARGETS, == *,haproxy,* ]]; then
  {
    echo "global"
    echo "  maxconn $HAPROXY_MAXCONN"
    echo "  nbthread 2"
    echo "defaults"
    echo "  mode tcp"
    echo "  timeout connect 5s"
    echo "  timeout client 120s"
    echo "  timeout server 120s"
    echo "  maxconn $HAPROXY_MAXCONN"
    echo "frontend http"
    echo "  bind $FRONT_IP:$HAPROXY_HTTP"
    echo "  default_backend nginx"
    echo "backend nginx"
    echo "  balance roundrobin"
    for i in "${!NGINX_PORTS[@]}"; do echo "  server n$i $BACKEND_IP:${NGINX_PORTS[$i]}"; done
    echo "frontend iperf"
    echo "  bind $FRONT_IP:$HAPROXY_IPERF"
    echo "  default_backend iperf"
    echo "backend iperf"
    echo "  server i0 $BACKEND_IP:$IPERF_PORT"
  } >"$OUT/haproxy.cfg"
  haproxy -db -f "$OUT/haproxy.cfg" >>"$RAW" 2>&1 &
  PID[haproxy]=$!
  STARTED+=("${PID[haproxy]}")
  URL[haproxy]=http://$FRONT_IP:$HAPROXY_HTTP
  IPERF_ADDR[haproxy]="$FRONT_IP $HAPROXY_IPERF"
  wait_http "${URL[haproxy]}/" 10 || { echo "haproxy did not come up; see $RAW" >&2; exit 1; }
fi

# 4. Our proxy: a real single-node cluster (scripts/up.sh: API server + this host's agent), a selectorless Service
#    with hand-written Endpoints at the same nginx servers (3 subsets: one address, three ports) and iperf3.
if [[ ,$TARGETS, == *,cluster,* ]]; then
  export ORCH_DATA_DIR=${ORCH_DATA_DIR:-$OUT/cluster}
  export ORCH_PORT=${ORCH_PORT:-16443}
  port_taken 127.0.0.1 "$ORCH_PORT" && { echo "port $ORCH_PORT (API server) is in use; set ORCH_PORT" >&2; exit 1; }
  port_taken 0.0.0.0 10250 && log "warning: port 10250 (the agent's streaming port) is taken; the agent may not start"
  # Our own pod network names and network marks (address label, route protocol, rule comment), so the agent never
  # touches what agents of other worktrees or tests on this host programmed; removed again when the agent stops.
  # (up.sh starts the agent with this environment.)
  export PodNetwork__NetworkName=udp-bench-pods PodNetwork__BridgeName=udpbench0
  export NodeNetwork__AddressLabel=lo:udpb NodeNetwork__RouteProtocol=187 NodeNetwork__RuleComment=udp-bench \
         NodeNetwork__CleanupOnExit=true NodeNetwork__PodRoutes=false
  log "bringing up the cluster (scripts/up.sh; data in $ORCH_DATA_DIR, API port $ORCH_PORT)"
  CLUSTER_STARTED=1
  timeout 1200 "$ROOT/scripts/up.sh" >>"$RAW" 2>&1 || { echo "scripts/up.sh failed; see $RAW" >&2; exit 1; }
  export KUBECONFIG=$ORCH_DATA_DIR/admin.kubeconfig
  PID[cluster]=$(cat "$ROOT/.local/run/agent.pid")
  subsets="  - addresses: [{ip: $BACKEND_IP}]
    ports: [{name: http, port: ${NGINX_PORTS[0]}, protocol: TCP}, {name: iperf, port: $IPERF_PORT, protocol: TCP}]"
  for p in "${NGINX_PORTS[@]:1}"; do
    subsets+="
  - addresses: [{ip: $BACKEND_IP}]
    ports: [{name: http, port: $p, protocol: TCP}]"
  done
  kubectl apply -f - >>"$RAW" <<YAML
apiVersion: v1
kind: Service
metadata: {name: udp-bench, namespace: default}
spec:
  ports:
  - {name: http, port: 80, protocol: TCP}
  - {name: iperf, port: 5201, protocol: TCP}
---
apiVersion: v1
kind: Endpoints
metadata: {name: udp-bench, namespace: default}
subsets:
$subsets
YAML
  CLUSTER_IP=$(kubectl get service udp-bench -o jsonpath='{.spec.clusterIP}')
  URL[cluster]=http://$CLUSTER_IP
  IPERF_ADDR[cluster]="$CLUSTER_IP 5201"
  wait_http "${URL[cluster]}/" 60 || { echo "the cluster IP $CLUSTER_IP does not serve the backends (is the proxy wired into the agent?); see $RAW and .local/run/agent.log" >&2; exit 1; }
  log "cluster IP $CLUSTER_IP serves the backends (agent PID ${PID[cluster]})"
fi

IFS=, read -r -a TARGET_LIST <<<"$TARGETS"
IFS=, read -r -a CONN_LIST <<<"$CONNS"
for t in "${TARGET_LIST[@]}"; do [ -n "${URL[$t]:-}" ] || { echo "unknown or unavailable target: $t" >&2; exit 2; }; done

rotate() { # rep → the targets starting at (rep mod n), so every target goes first once
  local n=${#TARGET_LIST[@]} r=$1 i
  for ((i = 0; i < n; i++)); do echo "${TARGET_LIST[$(((r + i) % n))]}"; done
}

run_http() { # target scenario conns [warmup]
  local t=$1 s=$2 c=$3 path=/ hdr=()
  [ "$s" = ka_1mb ] && path=/1mb.bin
  [ "$s" = close_hello ] && hdr=(-H 'Connection: close')
  local d=$DURATION
  [ "${4:-}" = warmup ] && d=2
  local cmd=(wrk -t2 -c"$c" -d"${d}s" --timeout 5s --latency "${hdr[@]}" "${URL[$t]}$path")
  if [ "${4:-}" = warmup ]; then
    timeout $((d + 20)) "${cmd[@]}" >/dev/null 2>&1 || true
    return
  fi
  log "http $s c=$c $t"
  timeout $((d + 30)) python3 "$HERE/measure.py" --pids "${PID[$t]}" --tool wrk --log "$RAW" \
    --label kind=http --label target="$t" --label scenario="$s" --label conns="$c" -- "${cmd[@]}" >>"$RESULTS" || log "run failed"
  tail -1 "$RESULTS" >&2
}

run_iperf() { # target streams
  local t=$1 n=$2 host port
  read -r host port <<<"${IPERF_ADDR[$t]}"
  log "iperf3 -P$n $t"
  # "direct" has no proxy process; nginx is not in the iperf3 path, so no CPU/RSS column for it.
  local pids=${PID[$t]}
  [ "$t" = direct ] && pids=
  timeout $((DURATION + 30)) python3 "$HERE/measure.py" --pids "$pids" --tool iperf3 --log "$RAW" \
    --label kind=iperf --label target="$t" --label streams="$n" -- iperf3 -c "$host" -p "$port" -t "$DURATION" -P "$n" -J >>"$RESULTS" || log "run failed"
  tail -1 "$RESULTS" >&2
}

SCENARIOS=()
for c in "${CONN_LIST[@]}"; do SCENARIOS+=("ka_hello $c"); done
for c in "${CONN_LIST[@]}"; do SCENARIOS+=("close_hello $c"); done
SCENARIOS+=("ka_1mb ${CONN_LIST[0]}")

{
  echo "host: $(nproc) vCPU, $(uname -r); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "tools: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3); $(iperf3 -v | head -1 | cut -d' ' -f1-2); $(nginx -v 2>&1)"
  echo "backends: nginx at $BACKEND_IP:${NGINX_PORTS[*]}; targets: $TARGETS; ${DURATION}s per run, $REPS repetitions interleaved"
} >"$OUT/header.txt"
cat "$OUT/header.txt" >&2

# 5. Load: warm-up once per target and scenario, then the repetitions with the target order rotating.
for sc in "${SCENARIOS[@]}"; do
  read -r s c <<<"$sc"
  for t in "${TARGET_LIST[@]}"; do run_http "$t" "$s" "$c" warmup; done
done
for ((rep = 0; rep < REPS; rep++)); do
  for sc in "${SCENARIOS[@]}"; do
    read -r s c <<<"$sc"
    for t in $(rotate "$rep"); do run_http "$t" "$s" "$c"; sleep 2; done
  done
  if [ "$IPERF" = 1 ]; then
    for n in 1 4; do
      for t in $(rotate "$rep"); do run_iperf "$t" "$n"; sleep 1; done
    done
  fi
done

# 6. Memory: hold IDLE idle connections through each target and read its RSS.
if [ "$MEM" = 1 ]; then
  for t in "${TARGET_LIST[@]}"; do
    hostport=${URL[$t]#http://}
    [[ $hostport == *:* ]] || hostport=$hostport:80
    log "memory: $IDLE idle connections through $t ($hostport)"
    sleep 3
    timeout 150 python3 - "$HERE" "${PID[$t]}" "$hostport" "$IDLE" "$t" >>"$RESULTS" <<'PY' || log "memory check failed"
import json, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from measure import tree, rss_mb
pid, target, count, name = int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
before = rss_mb(tree([pid]))
p = subprocess.Popen([sys.executable, f"{sys.argv[1]}/idle_conns.py", "--target", target, "--count", str(count),
                      "--hold", "8", "--timeout", "90"], stdout=subprocess.PIPE, text=True)
first = p.stdout.readline()
established = int(first.split()[1]) if first.startswith("established") else 0
time.sleep(3)
open_rss = max(rss_mb(tree([pid])) for _ in range(5) if time.sleep(0.2) is None)
rest = p.stdout.read()
p.wait()
summary = json.loads(rest.strip().splitlines()[-1]) if rest.strip() else {"failed": count}
print(json.dumps({"kind": "mem", "target": name, "count": count, "established": established,
                  "failed": summary.get("failed"), "rss_before_mb": round(before, 1), "rss_open_mb": round(open_rss, 1)}))
PY
    tail -1 "$RESULTS" >&2
  done
fi

# 7. Results.
{
  echo "## Proxy benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  sed 's/^/    /' "$OUT/header.txt"
  echo
  python3 "$HERE/results.py" "$RESULTS"
} | tee "$OUT/results.md"
echo "raw results: $RESULTS; tool output: $RAW" >&2
