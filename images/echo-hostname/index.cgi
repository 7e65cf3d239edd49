#!/bin/sh
# The seeds' "hostname" server: every request to / answers with the pod's hostname, so curling a Service shows
# which pod served it. Runs under busybox httpd as a CGI (httpd executes cgi-bin/index.cgi for "/").
# FAIL_AFTER=N (unset by default) turns it into seed 004's kubia-unhealthy: after N requests every answer is a 500,
# so an httpGet liveness probe fails and the kubelet restarts the container.
if [ -n "${FAIL_AFTER:-}" ]; then
  n=$(( $(cat /tmp/.requests 2>/dev/null || echo 0) + 1 ))
  echo "$n" >/tmp/.requests
  if [ "$n" -gt "$FAIL_AFTER" ]; then
    printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n'
    echo "I'm not well. Please restart me!"
    exit 0
  fi
fi
printf 'Content-Type: text/plain\r\n\r\n'
echo "You've hit $(hostname)"
