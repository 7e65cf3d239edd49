#!/usr/bin/env python3
"""Polls one node's data path until a new service is served; prints when, as epoch seconds.

   probe.py IP PORT NAME DNS_IP TIMEOUT_S
   -> "tcp <epoch> dns <epoch>" (or "timeout" in place of a time)

TCP counts as served when a connection to IP:PORT gets an HTTP answer; DNS when NAME resolves to IP at DNS_IP.
Run inside a lab node's network namespace (scripts/lab.sh exec N python3 probe.py ...): only lab addresses.
"""
import socket, struct, sys, time

ip, port, name, dns_ip, timeout = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
deadline = time.time() + timeout


def tcp_ok():
    try:
        with socket.create_connection((ip, port), timeout=0.2) as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            s.settimeout(0.5)
            return s.recv(16).startswith(b"HTTP/")
    except OSError:
        return False


def dns_query(qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.strip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack(">HH", 1, 1)


def dns_ok(sock, qid):
    try:
        sock.sendto(dns_query(qid), (dns_ip, 53))
        data, _ = sock.recvfrom(4096)
    except OSError:
        return False
    if len(data) < 12 or struct.unpack(">H", data[:2])[0] != qid or data[3] & 0x0F != 0:
        return False
    return socket.inet_aton(ip) in data[12:]


udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.settimeout(0.2)
tcp_at = dns_at = None
qid = 1
while time.time() < deadline and (tcp_at is None or dns_at is None):
    if tcp_at is None and tcp_ok():
        tcp_at = time.time()
    if dns_at is None:
        qid = (qid + 1) & 0xFFFF
        if dns_ok(udp, qid):
            dns_at = time.time()
    time.sleep(0.005)
print("tcp", f"{tcp_at:.6f}" if tcp_at else "timeout", "dns", f"{dns_at:.6f}" if dns_at else "timeout")
