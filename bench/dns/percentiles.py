#!/usr/bin/env python3
"""Reads `dnsperf -v` output on stdin ("> RCODE name type seconds" per query) and prints avg p50 p99 p99.9 max in ms."""
import sys

lat = sorted(float(l.split()[-1]) * 1000 for l in sys.stdin if l.startswith("> "))
if not lat:
    print("n/a n/a n/a n/a n/a")
    sys.exit(0)


def q(p):
    return lat[min(len(lat) - 1, int(p * len(lat)))]


print(f"{sum(lat) / len(lat):.3f} {q(0.5):.3f} {q(0.99):.3f} {q(0.999):.3f} {lat[-1]:.2f}")
