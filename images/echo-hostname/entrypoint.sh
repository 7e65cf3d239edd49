#!/bin/sh
# Serves the echo-hostname CGI on every port in $PORTS (default: 80 8080 8443, the ports the seeds' examples use),
# and exits on SIGTERM like a well-behaved server.
PORTS=${PORTS:-80 8080 8443}
trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT
for p in $PORTS; do httpd -f -p "$p" -h /www & done
wait
