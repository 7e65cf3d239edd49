#!/usr/bin/env python3
"""Turns the JSON lines of a proxy-bench run into markdown tables: median [min–max] per scenario and target, the
proxy process' CPU (cores) and max RSS, and each target's ratio to HAProxy (the goal: cluster ≥ 0.9 × haproxy)."""
import json
import statistics
import sys
from collections import OrderedDict


def fmt(values, digits=0):
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    med = statistics.median(values)
    f = f"{{:,.{digits}f}}"
    if len(values) == 1:
        return f.format(med)
    return f"{f.format(med)} [{f.format(min(values))}–{f.format(max(values))}]"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip().startswith("{")]
    http = OrderedDict()
    bulk = OrderedDict()
    mem = []
    for r in rows:
        kind = r.get("kind")
        if kind == "http":
            http.setdefault((r["scenario"], r["conns"]), OrderedDict()).setdefault(r["target"], []).append(r)
        elif kind == "iperf":
            bulk.setdefault(r["streams"], OrderedDict()).setdefault(r["target"], []).append(r)
        elif kind == "mem":
            mem.append(r)

    out = []
    if http:
        out.append("| scenario | conns | target | n | req/s | p50 ms | p99 ms | proxy CPU (cores) | proxy RSS max MB | errors | ÷ haproxy | ÷ direct |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for (scenario, conns), targets in http.items():
            ref_h = median([r["rps"] for r in targets.get("haproxy", [])])
            ref_d = median([r["rps"] for r in targets.get("direct", [])])
            for target, rs in targets.items():
                rps = median([r["rps"] for r in rs])
                ratio_h = f"{rps / ref_h:.2f}" if rps and ref_h else "—"
                ratio_d = f"{rps / ref_d:.2f}" if rps and ref_d else "—"
                out.append(f"| {scenario} | {conns} | {target} | {len(rs)} | {fmt([r['rps'] for r in rs])} | "
                           f"{fmt([r['p50_ms'] for r in rs], 2)} | {fmt([r['p99_ms'] for r in rs], 1)} | "
                           f"{fmt([r['cpu_cores'] for r in rs], 2)} | {fmt([r['rss_max_mb'] for r in rs], 0)} | "
                           f"{sum((r.get('errors') or 0) + (1 if r.get('exit') else 0) for r in rs)} | {ratio_h} | {ratio_d} |")
        out.append("")
    if bulk:
        out.append("| iperf3 streams | target | n | Gbit/s | proxy CPU (cores) | proxy RSS max MB | ÷ haproxy |")
        out.append("|---|---|---|---|---|---|---|")
        for streams, targets in bulk.items():
            ref = median([r["gbit_s"] for r in targets.get("haproxy", [])])
            for target, rs in targets.items():
                g = median([r["gbit_s"] for r in rs])
                ratio = f"{g / ref:.2f}" if g and ref else "—"
                out.append(f"| {streams} | {target} | {len(rs)} | {fmt([r['gbit_s'] for r in rs], 2)} | "
                           f"{fmt([r['cpu_cores'] for r in rs], 2)} | {fmt([r['rss_max_mb'] for r in rs], 0)} | {ratio} |")
        out.append("")
    if mem:
        out.append("| idle connections | target | established | failed | proxy RSS before MB | proxy RSS with connections MB | per connection KB |")
        out.append("|---|---|---|---|---|---|---|")
        for r in mem:
            per = ((r["rss_open_mb"] - r["rss_before_mb"]) * 1024 / r["established"]) if r.get("established") else None
            out.append(f"| {r['count']} | {r['target']} | {r['established']} | {r['failed']} | {r['rss_before_mb']:.0f} | "
                       f"{r['rss_open_mb']:.0f} | {per:.1f} |" if per is not None else
                       f"| {r['count']} | {r['target']} | {r.get('established', 0)} | {r.get('failed', '?')} | {r.get('rss_before_mb', 0):.0f} | "
                       f"{r.get('rss_open_mb', 0):.0f} | — |")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
