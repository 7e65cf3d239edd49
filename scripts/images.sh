#!/usr/bin/env bash
# Builds the images the manifests and the README use, from the host's static busybox (Debian busybox-static), so
# that nothing needs a registry:
#   orchestrator/busybox:1.35        busybox with its applets (sh, wget, nc, nslookup, httpd, ...)
#   orchestrator/echo-hostname:1     "You've hit <hostname>" on ports 80, 8080 and 8443 (busybox httpd + CGI)
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
  if "${DOCKER[@]}" image inspect "$name" >/dev/null 2>&1 && [ "${REBUILD:-}" != 1 ]; then return; fi
  tar -C "$dir" -c . | "${DOCKER[@]}" import "$@" - "$name" >/dev/null
  echo "built $name"
}

rootfs "$WORK/busybox"
build orchestrator/busybox:1.35 "$WORK/busybox" --change 'ENV PATH=/bin' --change 'CMD ["sh"]'

rootfs "$WORK/echo"
install -m 0755 images/echo-hostname/index.cgi "$WORK/echo/www/cgi-bin/index.cgi"
install -m 0755 images/echo-hostname/entrypoint.sh "$WORK/echo/entrypoint.sh"
build orchestrator/echo-hostname:1 "$WORK/echo" --change 'ENV PATH=/bin' --change 'EXPOSE 80 8080 8443' \
  --change 'ENTRYPOINT ["/entrypoint.sh"]'
