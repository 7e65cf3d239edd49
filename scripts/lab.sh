#!/usr/bin/env bash
# A lab of several Docker hosts on this one machine, for demos and benchmarks (DESIGN.md "Running real Docker hosts
# on this machine"; the test suite builds the same lab in Orchestrator.Tests/Lab):
#   - a Linux bridge orchlab0 with 192.168.77.1/24, where the API server listens;
#   - per node a network namespace orchlab-nI (eth0 = 192.168.77.(10+I), no default route: nothing leaves the machine),
#     its own dockerd (data under /var/lib/orchestrator-lab/nI) and its own agent, proxy and DNS on.
#
#   scripts/lab.sh up [N]             build, start the server and N nodes (default 3), wait until all are Ready
#   scripts/lab.sh down               stop everything and remove namespaces, links, daemons and their data
#   scripts/lab.sh exec NODE CMD...   run CMD inside node NODE's network namespace (e.g. exec 1 curl http://10.96.0.1)
#
# Afterwards: export KUBECONFIG=/var/lib/orchestrator-lab/api/admin.kubeconfig && kubectl get nodes -o wide
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LAB=/var/lib/orchestrator-lab
RUN=$LAB/run
BIN=$ROOT/.local/bin
BRIDGE=orchlab0
PREFIX=192.168.77
PORT=${ORCH_LAB_PORT:-6443}
IMAGES=(orchestrator/busybox:1.35 orchestrator/echo-hostname:1 orchestrator/kub-demo-users:1 orchestrator/kub-demo-auth:1 orchestrator/kub-demo-tasks:1)

node_ns() { echo "orchlab-n$1"; }

down() {
  for pidfile in "$RUN"/agent-*.pid "$RUN"/api.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true; rm -f "$pidfile"
  done
  for pidfile in "$RUN"/dockerd-*.pid; do
    [ -f "$pidfile" ] || continue
    i=${pidfile##*-}; i=${i%.pid}
    sock=$LAB/n$i/docker.sock
    docker -H "unix://$sock" ps -aq 2>/dev/null | xargs -r docker -H "unix://$sock" rm -f >/dev/null 2>&1 || true
    pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true; rm -f "$pidfile"
  done
  for ns in $(ip netns list | awk '/^orchlab-n/ {print $1}'); do
    ip link del "orchlab${ns##*-n}v" 2>/dev/null || true
    ip netns del "$ns"
  done
  iptables -D FORWARD -i $BRIDGE -o $BRIDGE -j ACCEPT -m comment --comment orchlab 2>/dev/null || true
  ip link del $BRIDGE 2>/dev/null || true
  grep -o " $LAB/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$LAB"/n* "$RUN"
  echo "lab down"
}

case "${1:-}" in
  down) down; exit 0 ;;
  exec) shift; n=$1; shift; exec nsenter --net="/run/netns/$(node_ns "$n")" "$@" ;;
  up) N=${2:-3} ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac

# Docker, the images and the binaries, as scripts/up.sh makes them for a single node.
if ! command -v dockerd >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io iptables busybox-static >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  mkdir -p "$LAB"; nohup dockerd >"$LAB/host-dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
scripts/images.sh
dotnet publish Orchestrator.Api -c Release -o "$BIN/api" --nologo -v quiet
dotnet publish Orchestrator.Agent -c Release -o "$BIN/agent" --nologo -v quiet

down >/dev/null
mkdir -p "$RUN" "$LAB/api"

# The bridge first: the server's certificate names the addresses the host has when it first starts.
ip link add $BRIDGE type bridge
ip addr add $PREFIX.1/24 dev $BRIDGE
ip link set $BRIDGE up
iptables -I FORWARD -i $BRIDGE -o $BRIDGE -j ACCEPT -m comment --comment orchlab

rm -f "$LAB/api/admin.kubeconfig"
nohup "$BIN/api/Orchestrator.Api" --data-dir "$LAB/api" --port "$PORT" --bind 0.0.0.0 >"$RUN/api.log" 2>&1 &
echo $! >"$RUN/api.pid"
for _ in $(seq 1 120); do [ -f "$LAB/api/admin.kubeconfig" ] && break; sleep 0.5; done
[ -f "$LAB/api/admin.kubeconfig" ] || { echo "the API server did not start; see $RUN/api.log" >&2; exit 1; }
export KUBECONFIG=$LAB/api/admin.kubeconfig

for i in $(seq 1 "$N"); do
  ns=$(node_ns "$i"); dir=$LAB/n$i
  mkdir -p "$dir"
  ip netns add "$ns"
  ip link add "orchlab${i}v" type veth peer name eth0 netns "$ns"
  ip link set "orchlab${i}v" master $BRIDGE up
  ip -n "$ns" addr add "$PREFIX.$((10 + i))/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  nohup nsenter --net="/run/netns/$ns" dockerd --data-root "$dir/docker" --exec-root "$dir/exec" \
    -H "unix://$dir/docker.sock" --pidfile "$dir/docker.pid" --bip "172.31.$i.1/24" >"$RUN/dockerd-$i.log" 2>&1 &
  echo $! >"$RUN/dockerd-$i.pid"
done
for i in $(seq 1 "$N"); do
  sock=$LAB/n$i/docker.sock
  for _ in $(seq 1 120); do docker -H "unix://$sock" info >/dev/null 2>&1 && break; sleep 0.5; done
  for image in "${IMAGES[@]}"; do docker save "$image" | docker -H "unix://$sock" load -q >/dev/null; done
  DOTNET_GCgen0size=0x400000 nohup nsenter --net="/run/netns/$(node_ns "$i")" "$BIN/agent/Orchestrator.Agent" \
    --server "https://$PREFIX.1:$PORT" --token-file "$LAB/api/node-token" --node-name "lab-n$i" \
    --node-ip "$PREFIX.$((10 + i))" --docker-host "unix://$sock" --data-dir "$LAB/n$i/agent" \
    >"$RUN/agent-$i.log" 2>&1 &
  echo $! >"$RUN/agent-$i.pid"
done
for _ in $(seq 1 240); do
  [ "$(kubectl get nodes --no-headers 2>/dev/null | grep -c ' Ready')" -ge "$N" ] && break
  sleep 0.5
done
kubectl get nodes -o wide
echo
echo "lab is up: $N nodes; logs in $RUN"
echo "  export KUBECONFIG=$KUBECONFIG"
echo "  scripts/lab.sh exec 1 curl -s http://<cluster-ip>/     # from inside node 1"
echo "  scripts/lab.sh down"
