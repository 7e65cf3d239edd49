#!/bin/sh
# Serves the echo-hostname CGI on every port in $PORTS (default: 80 8080 8443, the ports the seeds' examples use),
# and exits on SIGTERM like a well-behaved server.
# PROXY_PORTS (empty by default): ports answering behind a PROXY-protocol proxy (annotation
# orchestrator.io/proxy-protocol): the answer also shows the PROXY header the service proxy sent (proxy-echo.sh).
PORTS=${PORTS:-80 8080 8443}
trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT
for p in $PORTS; do httpd -f -p "$p" -h /www & done
for p in ${PROXY_PORTS:-}; do nc -ll -p "$p" -e /proxy-echo.sh & done
wait
