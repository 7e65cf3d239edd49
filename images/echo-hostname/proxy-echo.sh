#!/bin/sh
# One connection from a service proxy speaking the PROXY protocol v1 (run by `nc -ll -e`): the first line is the
# PROXY header ("PROXY TCP4 <client ip> <proxy ip> <client port> <port>"), then the client's HTTP request.
# Answers with the hostname and the header, so the client's original address is visible.
CR=$(printf '\r')
read -r header; header=${header%"$CR"}
while read -r line; do line=${line%"$CR"}; [ -z "$line" ] && break; done
out="You've hit $(hostname)
PROXY header: $header"
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s\n' "$((${#out} + 1))" "$out"
