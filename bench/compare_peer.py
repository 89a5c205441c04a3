#!/usr/bin/python3
"""Ratio table of the app's figures against the peer's (any python3, standard library only).

usage: compare_peer.py ALL_RESULTS.txt [...]   (RESULT lines of bench/run_bench.sh)

For every figure the app (impl "app") and our Python PyTorch peer (bench/peer/) share, one row with
both peer variants (py-torch and py-torch+glibc-tuned; for the STFT, py-torch-stft). Every ratio
reads "> 1 = the app is better": ours / peer for throughput (samples/s, clips/s, GFLOP/s),
peer / ours for times and memory (ms, s, min, MiB). A value repeated across runs is the median.
Then the project's speed goals, each with PASS / FAIL / n/a, and a warning when other processes
used the CPUs during a benchmark.
"""
import re
import statistics
import sys
from collections import defaultdict

LOWER_IS_BETTER = {"ms", "s", "min", "MiB"}
PEERS = {"stft": ["py-torch-stft", "py-torch-stft+glibc-tuned"]}
DEFAULT_PEERS = ["py-torch", "py-torch+glibc-tuned"]


def load(paths):
    vals, units = defaultdict(list), {}
    extras = {}
    for p in paths:
        for line in open(p, errors="replace"):
            m = re.match(r"^RESULT\s+(.*)$", line.strip())
            if not m:
                continue
            kv = dict(t.split("=", 1) for t in m.group(1).split() if "=" in t)
            if {"impl", "figure", "value"} <= kv.keys():
                try:
                    vals[(kv["impl"], kv["figure"])].append(float(kv["value"]))
                except ValueError:
                    continue
                units[kv["figure"]] = kv.get("unit", "")
                extras[(kv["impl"], kv["figure"])] = kv
    return {k: statistics.median(v) for k, v in vals.items()}, units, extras


def ratio(ours, peer, unit):
    if not ours or not peer:
        return None
    return peer / ours if unit in LOWER_IS_BETTER else ours / peer


def fmt(v):
    if v is None:
        return ""
    a = abs(v)
    return "%.0f" % v if a >= 1000 else "%.1f" % v if a >= 100 else "%.2f" % v if a >= 1 else "%.4g" % v


def main(paths):
    vals, units, extras = load(paths)
    figures = sorted({f for (i, f) in vals if i == "app" and not f.startswith("env.")},
                     key=lambda f: (["stft", "train", "eval", "infer", "estimate"].index(f.split(".")[0])
                                    if f.split(".")[0] in ("stft", "train", "eval", "infer", "estimate") else 9, f))
    print("# Timbrescope (app) vs peer (Python PyTorch)\n")
    print("Ratios: > 1 means the app is better (ours/peer for throughput, peer/ours for ms, s, MiB).\n")
    print("| figure | unit | app | peer | peer glibc-tuned | ratio vs peer | ratio vs glibc-tuned |")
    print("|---|---|---|---|---|---|---|")
    for f in figures:
        u = units.get(f, "")
        peers = PEERS.get(f.split(".")[0], DEFAULT_PEERS)
        ours = vals.get(("app", f))
        p0, p1 = vals.get((peers[0], f)), vals.get((peers[1], f))
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            f, u, fmt(ours), fmt(p0), fmt(p1),
            fmt(ratio(ours, p0, u)) + ("x" if ratio(ours, p0, u) else ""),
            fmt(ratio(ours, p1, u)) + ("x" if ratio(ours, p1, u) else "")))

    def v(impl, fig):
        return vals.get((impl, fig))

    goals = []

    def goal(text, ok):
        goals.append("| %s | %s |" % (text, "n/a" if ok is None else "PASS" if ok else "FAIL"))

    sps = "train.family_cnn.samples_per_s"
    r0 = ratio(v("app", sps), v("py-torch", sps), "samples/s")
    r1 = ratio(v("app", sps), v("py-torch+glibc-tuned", sps), "samples/s")
    goal("seed-cnn2d training >= 1.5x peer default (%sx)" % fmt(r0), None if r0 is None else r0 >= 1.5)
    goal("seed-cnn2d training >= 1.0x peer glibc-tuned (%sx)" % fmt(r1), None if r1 is None else r1 >= 1.0)
    rss, prss = v("app", "train.family_cnn.peak_rss"), v("py-torch", "train.family_cnn.peak_rss")
    goal("seed-cnn2d peak RSS <= 0.8x peer (%s / %s MiB = %s)" % (fmt(rss), fmt(prss), fmt(rss / prss) if rss and prss else ""),
         None if not (rss and prss) else rss <= 0.8 * prss)
    st = "stft.per_clip.t2"
    r = ratio(v("app", st), v("py-torch-stft", st), "clips/s")
    goal("STFT per clip, 2 threads >= 2.5x py-torch-stft (%sx)" % fmt(r), None if r is None else r >= 2.5)
    for m in ("timbre_net", "seed_pair"):
        ms = v("app", "infer.%s.file_ms.t2" % m)
        goal("%s: file path -> predictions <= 50 ms warm, 2 threads (%s ms)" % (m, fmt(ms)), None if ms is None else ms <= 50)
    checks = [kv for (impl, fig), kv in extras.items() if impl.startswith("cpp-fftw") and fig == "stft.check.max_abs_diff"]
    if checks:
        rel = max(float(kv.get("rel_to_peak", "inf")) for kv in checks)
        goal("our seed STFT of the test clip vs the peer's float64 reference: max error <= 1e-4 of the peak (%.2e)" % rel,
             rel <= 1e-4)
    else:
        goal("our seed STFT of the test clip vs the peer's float64 reference", None)
    cold, cached = v("app", "featurise_cold_seconds"), v("app", "featurise_cached_seconds")
    goal("featurise dataset cold <= 4 s (%s s)" % fmt(cold), None if cold is None else cold <= 4)
    goal("featurise dataset cached <= 0.5 s (%s s)" % fmt(cached), None if cached is None else cached <= 0.5)
    print("\n| goal | result |\n|---|---|")
    print("\n".join(goals))
    busy = sorted(((v, f.split(".", 2)[2]) for (i, f), v in vals.items()
                   if i == "system" and f.startswith("env.foreign_cpu_pct.") and v > 5), reverse=True)
    if busy:
        print("\nWARNING: other processes used > 5 %% of the CPUs during %d benchmarks (worst: %s): "
              "their figures are suspect; rerun on a quiet machine." % (
                  len(busy), ", ".join("%s %.0f %%" % (label, v) for v, label in busy[:4])))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
