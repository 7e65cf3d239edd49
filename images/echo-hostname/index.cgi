#!/bin/sh
# The seeds' "hostname" server: every request to / answers with the pod's hostname, so curling a Service shows
# which pod served it. Runs under busybox httpd as a CGI (httpd executes cgi-bin/index.cgi for "/").
printf 'Content-Type: text/plain\r\n\r\n'
echo "You've hit $(hostname)"
