#!/usr/bin/env bash
# Quick side-by-side of the agent's TCP service proxy (bench/TcpProxyRunner) and HAProxy (mode tcp) in one run, same
# nginx backends, same wrk client, all on 127.78.x loopback addresses. Prints one line per run with req/s, p50/p99,
# proxy CPU and "efficiency" (requests per proxy CPU-second — the number that survives a noisy shared VM) and the
# proxy's max RSS; then the proxy's RSS with N connections held open.
#   bench/proxy-quick-bench.sh [runs=2] [hold=9000]
# Env: SOCKETS_INLINE=1 runs our proxy with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-2}; HOLD=${2:-9000}
OUT=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; [ -f "$OUT/nginx.pid" ] && kill "$(cat "$OUT/nginx.pid")" 2>/dev/null; rm -rf "$OUT"; }
trap cleanup EXIT
B1=127.78.1.1; B2=127.78.1.2; B3=127.78.1.3; HA=127.78.1.10; US=127.78.1.11
mkdir -p "$OUT/www" "$OUT/nginx/tmp" "$OUT/nginx/logs"
chmod 755 "$OUT" "$OUT/www"  # nginx workers run as an unprivileged user
head -c 1048576 /dev/urandom > "$OUT/www/1mb.bin"
cat > "$OUT/nginx.conf" <<NGINX
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/nginx/logs/error.log;
events { worker_connections 12000; }
http {
  access_log off; keepalive_requests 1000000; sendfile on;
  client_body_temp_path $OUT/nginx/tmp; proxy_temp_path $OUT/nginx/tmp; fastcgi_temp_path $OUT/nginx/tmp;
  uwsgi_temp_path $OUT/nginx/tmp; scgi_temp_path $OUT/nginx/tmp;
  server {
    listen $B1:18081 backlog=4096; listen $B2:18081 backlog=4096; listen $B3:18081 backlog=4096;
    root $OUT/www;
    location = / { return 200 "hello\n"; }
  }
}
NGINX
cat > "$OUT/haproxy.cfg" <<HAP
global
  nbthread 2
  maxconn 9000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend f
  bind $HA:19081
  default_backend b
backend b
  balance roundrobin
  server s1 $B1:18081
  server s2 $B2:18081
  server s3 $B3:18081
HAP
/usr/sbin/nginx -c "$OUT/nginx.conf" -p "$OUT/nginx"
/usr/sbin/haproxy -D -f "$OUT/haproxy.cfg" -p "$OUT/haproxy.pid" 2>/dev/null
sleep 0.5; HP=$(head -1 "$OUT/haproxy.pid"); PIDS+=("$HP")
dotnet build bench/TcpProxyRunner -c Release -o "$OUT/runner" --nologo -v quiet >/dev/null
env ${SOCKETS_INLINE:+DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1} DOTNET_GCgen0size=0x400000 \
  "$OUT/runner/TcpProxyRunner" --listen "$US:19083=$B1:18081,$B2:18081,$B3:18081" > "$OUT/runner.log" 2>&1 &
RP=$!; PIDS+=("$RP")
for _ in $(seq 1 100); do grep -q ready "$OUT/runner.log" && break; sleep 0.1; done

cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
run() { # name url pid [wrk args]
  local name=$1 url=$2 pid=$3; shift 3
  local t0; t0=$(cpu "$pid")
  ( while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/{print $2}' "/proc/$pid/status"; sleep 0.25; done ) > "$OUT/rss" &
  local sp=$!
  local out; out=$(timeout 60 wrk -t2 -c64 -d8s --latency "$@" "$url")
  kill $sp; wait $sp 2>/dev/null || true
  local t1; t1=$(cpu "$pid")
  echo "$out" | awk -v n="$name" -v ticks=$((t1 - t0)) -v rss="$(sort -n "$OUT/rss" | tail -1)" '
    /Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} /Socket errors|Non-2xx/ {err=err $0}
    END {printf "%-8s req/s=%9.0f p50=%8s p99=%8s cpu=%5.2f cores  req/cpu-s=%7.0f  rss=%4d MB %s\n", n, rps, p50, p99, ticks/800, rps*8/(ticks/100), rss/1024, err}'
}
for scenario in hello 1mb close; do
  case $scenario in hello) path=/; args=();; 1mb) path=/1mb.bin; args=();; close) path=/; args=(-H "Connection: close");; esac
  echo "== $scenario"
  run warmup "http://$US:19083$path" "$RP" "${args[@]}" >/dev/null
  run warmup "http://$HA:19081$path" "$HP" "${args[@]}" >/dev/null
  for _ in $(seq 1 "$RUNS"); do
    run haproxy "http://$HA:19081$path" "$HP" "${args[@]}"
    run ours "http://$US:19083$path" "$RP" "${args[@]}"
  done
done

echo "== $HOLD connections held open through our proxy"
python3 - "$US" 19083 "$HOLD" "$RP" <<'PY'
import socket, sys, time
host, port, n, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rss = lambda: int([l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]) // 1024
before = rss(); socks = []
for i in range(n):
    s = socket.create_connection((host, port)); s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"); socks.append(s)
    if i % 500 == 499: time.sleep(0.2)
ok = 0
for s in socks:
    s.settimeout(10)
    try:
        ok += b"hello" in s.recv(4096)
    except OSError:
        pass
time.sleep(2)
print(f"RSS before {before} MB, with {n} open ({ok} answered) {rss()} MB")
PY
