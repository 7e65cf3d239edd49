#!/usr/bin/env bash
# Builds the images the manifests and the README use, from the host's static busybox (Debian busybox-static), so
# that nothing needs a registry:
#   orchestrator/busybox:1.35        busybox with its applets (sh, wget, nc, nslookup, httpd, ...)
#   orchestrator/echo-hostname:1     "You've hit <hostname>" on ports 80, 8080 and 8443 (busybox httpd + CGI);
#                                    FAIL_AFTER=N answers 500 after N requests (seed 004's kubia-unhealthy),
#                                    PROXY_PORTS="9000" shows the PROXY protocol header there
#   orchestrator/kub-demo-users:1, orchestrator/kub-demo-auth:1, orchestrator/kub-demo-tasks:1
#                                    seed 003's users (8080), auth (80) and tasks (8000) APIs (busybox sh + nc)
# An image is rebuilt when its sources changed (their hash is the image's comment) or with REBUILD=1.
#   scripts/images.sh [DOCKER_HOST_ARG...]   e.g. scripts/images.sh -H unix:///run/lab/node1.sock
set -euo pipefail
cd "$(dirname "$0")/.."
DOCKER=(docker "$@")
BUSYBOX=/bin/busybox
if ! file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' && ! "$BUSYBOX" 2>/dev/null | head -1 | grep -q BusyBox; then
  echo "a static $BUSYBOX is needed: apt-get install -y busybox-static" >&2; exit 1
fi
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

rootfs() { # a busybox root filesystem in $1
  mkdir -p "$1"/{bin,etc,tmp,www/cgi-bin,root}
  cp "$BUSYBOX" "$1/bin/busybox"
  for a in $("$BUSYBOX" --list); do [ "$a" = busybox ] || ln -sf busybox "$1/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$1/etc/passwd"
  echo 'root:x:0:' >"$1/etc/group"
  chmod 1777 "$1/tmp"
}

build() { # name, dir, docker-import --change flags...
  local name=$1 dir=$2; shift 2
  local source
  source="source $( (cd "$dir" && find . -type f ! -name busybox -exec sha256sum {} + | sort; find . -type l -o -type d | sort; \
    sha256sum bin/busybox; printf '%s\n' "$@") | sha256sum | cut -c1-16)"
  if [ "$("${DOCKER[@]}" image inspect -f '{{.Comment}}' "$name" 2>/dev/null)" = "$source" ] && [ "${REBUILD:-}" != 1 ]; then
    return
  fi
  tar -C "$dir" -c . | "${DOCKER[@]}" import -m "$source" "$@" - "$name" >/dev/null
  echo "built $name"
}

rootfs "$WORK/busybox"
build orchestrator/busybox:1.35 "$WORK/busybox" --change 'ENV PATH=/bin' --change 'CMD ["sh"]'

rootfs "$WORK/echo"
install -m 0755 images/echo-hostname/index.cgi "$WORK/echo/www/cgi-bin/index.cgi"
install -m 0755 images/echo-hostname/entrypoint.sh "$WORK/echo/entrypoint.sh"
install -m 0755 images/echo-hostname/proxy-echo.sh "$WORK/echo/proxy-echo.sh"
mkdir -p "$WORK/echo/var"   # seed 004's readiness probe: kubectl exec POD -- touch /var/ready
build orchestrator/echo-hostname:1 "$WORK/echo" --change 'ENV PATH=/bin' --change 'EXPOSE 80 8080 8443' \
  --change 'ENTRYPOINT ["/entrypoint.sh"]'

for app in users auth tasks; do
  rootfs "$WORK/$app"
  mkdir -p "$WORK/$app/app"
  install -m 0755 images/kub-demo/server.sh images/kub-demo/handle.sh "$WORK/$app/app/"
  build "orchestrator/kub-demo-$app:1" "$WORK/$app" --change 'ENV PATH=/bin' --change "ENV APP=$app" \
    --change 'ENTRYPOINT ["/app/server.sh"]'
done
