#!/usr/bin/env python3
"""Each proposal level solved by HiGHS with no time limit, against the bench.

The proposals bench (`BENCH_DUMP=DIR cargo bench --bench proposals`) writes
each office's program (what `proposals::program` exports) and the totals
its proposal reached within the time limit. This script solves the same
levels one after another, as the issue asks and as `src/proposals.rs`
does: (1) most people served, then (2) most people-needs filled with (1)
held, then (3) fewest km with (1) and (2) held, to within 0.5 %. It runs
HiGHS on one thread, with only the plain rows (HiGHS finds its own cuts),
and prints each level's optimum or bound and how long it took, beside the
proposal's totals.

It is a measurement, not a test: it needs `pip install highspy` and takes
minutes per 500-trip office. Usage:

    python3 benches/exact_levels.py [--limit SECS] DIR/office-*.json
"""

import argparse
import json
import time
from collections import defaultdict

import highspy
import numpy as np


def build(program, cost, sense, held, limit):
    """The integer program over the pairs (x) and each trip's "served" (y)."""
    party, legs, room, pairs = (
        program["party"],
        program["legs"],
        program["room"],
        program["pairs"],
    )
    n_pairs = len(pairs)
    trips = sorted({p["trip"] for p in pairs})
    y = {t: n_pairs + k for k, t in enumerate(trips)}
    n = n_pairs + len(trips)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", limit)
    inf = highspy.kHighsInf
    cols = np.arange(n, dtype=np.int32)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsIntegrality(n, cols, np.array([highspy.HighsVarType.kInteger] * n))
    h.changeColsCost(n, cols, np.array(cost(program, trips), dtype=float))
    h.changeObjectiveSense(sense)

    def row(lo, hi, idx, val):
        h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=float))

    per_leg, per_room = defaultdict(list), defaultdict(list)
    for i, p in enumerate(pairs):
        per_leg[(p["trip"], p["leg"])].append(i)
        for r in p["uses"]:
            per_room[r].append(i)
    # A trip is served only with every open leg filled.
    for t in trips:
        for leg in range(legs[t]):
            filled = per_leg.get((t, leg), [])
            row(-inf, 0, [y[t]] + filled, [1] + [-1] * len(filled))
    # At most one offer per leg.
    for filled in per_leg.values():
        row(-inf, 1, filled, [1] * len(filled))
    # Parties fit each seat count and each night's beds.
    for r, using in per_room.items():
        row(-inf, room[r], using, [party[pairs[i]["trip"]] for i in using])
    # The levels already solved, held (half a person below: integers).
    for level_cost, best in held:
        c = level_cost(program, trips)
        idx = [j for j in range(n) if c[j] != 0]
        row(best - 0.5, inf, idx, [c[j] for j in idx])
    return h


def served(program, trips):
    return [0.0] * len(program["pairs"]) + [program["party"][t] for t in trips]


def needs(program, trips):
    party = program["party"]
    return [float(party[p["trip"]]) for p in program["pairs"]] + [0.0] * len(trips)


def km(program, trips):
    return [p["km"] for p in program["pairs"]] + [0.0] * len(trips)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=float, default=600.0, help="seconds per level")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    print(
        "| office | pairs | level | proposal | HiGHS | bound | status | HiGHS time (s) |"
    )
    print("|---|---:|---|---:|---:|---:|---|---:|")
    for path in args.files:
        dump = json.load(open(path))
        program = dump["program"]
        mine = dump["proposal"]
        held = []
        levels = [
            ("served", served, highspy.ObjSense.kMaximize, mine["people_served"]),
            ("needs", needs, highspy.ObjSense.kMaximize, mine["needs_filled"]),
            ("km", km, highspy.ObjSense.kMinimize, mine["total_km"]),
        ]
        for name, cost, sense, ours in levels:
            h = build(program, cost, sense, held, args.limit)
            if name == "km":
                h.setOptionValue("mip_rel_gap", 0.005)
            else:
                # Integers: a gap below one person stops only at the optimum.
                h.setOptionValue("mip_rel_gap", 0.0)
                h.setOptionValue("mip_abs_gap", 0.99)
            started = time.monotonic()
            h.run()
            took = time.monotonic() - started
            info = h.getInfo()
            value, bound = info.objective_function_value, info.mip_dual_bound
            status = h.modelStatusToString(h.getModelStatus())
            print(
                f"| {path.rsplit('/', 1)[-1]} | {len(program['pairs'])} | {name} "
                f"| {ours:.1f} | {value:.1f} | {bound:.1f} | {status} | {took:.1f} |",
                flush=True,
            )
            if name != "km":
                if status != "Optimal":
                    break
                held.append((cost, round(value)))


if __name__ == "__main__":
    main()
