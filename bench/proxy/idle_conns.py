#!/usr/bin/env python3
"""Opens N TCP connections to HOST:PORT, keeps them open and idle for --hold seconds, then closes them.

Prints a line "established N" as soon as the connections are open (the caller reads the proxy's RSS then), and a
final JSON line with how many connected and how many failed. Connections are opened in batches with non-blocking
connects, so 10,000 take a few seconds; every step is bounded by --timeout.
"""
import argparse
import errno
import json
import selectors
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--hold", type=float, default=10)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    host, port = a.target.rsplit(":", 1)
    addr = (host, int(port))
    deadline = time.monotonic() + a.timeout
    established, failed = [], 0
    sel = selectors.DefaultSelector()
    remaining = a.count
    while remaining > 0 and time.monotonic() < deadline:
        pending = {}
        for _ in range(min(a.batch, remaining)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            rc = s.connect_ex(addr)
            if rc not in (0, errno.EINPROGRESS):
                failed += 1
                s.close()
                continue
            pending[s.fileno()] = s
            sel.register(s, selectors.EVENT_WRITE)
        remaining -= min(a.batch, remaining)
        batch_deadline = min(deadline, time.monotonic() + 10)
        while pending and time.monotonic() < batch_deadline:
            for key, _ in sel.select(timeout=0.5):
                s = pending.pop(key.fd)
                sel.unregister(s)
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    established.append(s)
                else:
                    failed += 1
                    s.close()
        for s in pending.values():
            sel.unregister(s)
            s.close()
            failed += 1
    # A connection a proxy accepted and then closed (no backend, limits) reads EOF: count only the live ones.
    time.sleep(1)
    alive = []
    for s in established:
        try:
            if s.recv(1, socket.MSG_PEEK) == b"":
                s.close()
                failed += 1
                continue
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            failed += 1
            continue
        alive.append(s)
    print(f"established {len(alive)}", flush=True)
    time.sleep(a.hold)
    for s in alive:
        s.close()
    print(json.dumps({"established": len(alive), "failed": failed}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
