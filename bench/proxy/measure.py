#!/usr/bin/env python3
"""Runs one load command (wrk or iperf3) while sampling the CPU time and RSS of a set of process trees.

Prints one JSON object: the scenario labels given with --label k=v, the parsed tool output (req/s, p50/p99 ms,
errors for wrk; Gbit/s for iperf3), the CPU-seconds the watched processes used during the run, their CPU in cores
(CPU-seconds / wall time) and the maximum of their summed RSS sampled every 0.25 s.

  measure.py --pids 123,456 --label target=haproxy --label scenario=ka_hello --tool wrk -- wrk -t2 ...
"""
import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def tree(pids):
    kids = children_map()
    out, todo = set(), list(pids)
    while todo:
        p = todo.pop()
        if p in out:
            continue
        out.add(p)
        todo.extend(kids.get(p, []))
    return out


def cpu_seconds(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / CLK_TCK


def rss_mb(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not m:
        return None
    v, unit = float(m.group(1)), m.group(2)
    return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[unit]


def parse_wrk(out):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else None
    m = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    if m:
        scale = {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}.get(m.group(2), None)
        r["mb_s"] = float(m.group(1)) * scale if scale else None
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        r[f"p{pct}_ms"] = to_ms(m.group(1)) if m else None
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    r["errors"] = errors
    m = re.search(r"(\d+) requests in", out)
    r["requests"] = int(m.group(1)) if m else None
    return r


def parse_iperf(out):
    try:
        j = json.loads(out)
        return {"gbit_s": j["end"]["sum_received"]["bits_per_second"] / 1e9, "errors": 0}
    except (ValueError, KeyError):
        return {"gbit_s": None, "errors": 1}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pids", default="")
    ap.add_argument("--label", action="append", default=[])
    ap.add_argument("--tool", choices=["wrk", "iperf3"], required=True)
    ap.add_argument("--log")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    roots = [int(p) for p in a.pids.split(",") if p]

    watched = tree(roots) if roots else set()
    cpu0 = cpu_seconds(watched)
    t0 = time.monotonic()
    rss_max = [rss_mb(watched)]
    stop = threading.Event()

    def sample():
        while not stop.wait(0.25):
            rss_max[0] = max(rss_max[0], rss_mb(tree(roots) if roots else set()))

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    stop.set()
    th.join()
    wall = time.monotonic() - t0
    cpu = cpu_seconds(tree(roots) if roots else set()) - cpu0 if roots else None

    if a.log:
        with open(a.log, "a") as f:
            f.write(f"$ {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}\n")
    result = dict(kv.split("=", 1) for kv in a.label)
    result.update(parse_wrk(proc.stdout) if a.tool == "wrk" else parse_iperf(proc.stdout))
    result["exit"] = proc.returncode
    result["wall_s"] = round(wall, 2)
    result["cpu_s"] = round(cpu, 2) if cpu is not None else None
    result["cpu_cores"] = round(cpu / wall, 2) if cpu is not None else None
    result["rss_max_mb"] = round(rss_max[0], 1) if roots else None
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
