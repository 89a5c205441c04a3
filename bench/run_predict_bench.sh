#!/usr/bin/env bash
# The prediction path next to our Python PyTorch peer (bench/peer/predict_peer.py), same session,
# same threads and OpenMP settings: a 4 s WAV file -> family + source, and a 60 s phrase of 120 notes
# -> its notes found and each classified. Prints the RESULT lines and a ratio table (> 1: ours faster).
# Usage: BUILD=build bench/run_predict_bench.sh    (THREADS=2, N=50; about a minute)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$REPO/build}"
THREADS="${THREADS:-2}"
N="${N:-50}"
PY="${PY:-/usr/bin/python3}"
# What `timbrescope predict` sets for itself (app/main.cpp); the peer gets the same.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
"$BUILD/bin/bench_infer" --model timbre_net --threads "$THREADS" --n "$N" | tee -a "$OUT"
"$PY" "$REPO/bench/peer/predict_peer.py" --threads "$THREADS" --n "$N" | tee -a "$OUT"
"$PY" - "$OUT" "$THREADS" <<'PYEOF'
import re, sys
values = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT impl=(\S+) figure=(\S+) value=(\S+)", line)
    if m:
        values[(m.group(1), m.group(2))] = float(m.group(3))
t = sys.argv[2]
print("| figure | Timbrescope | Python peer | peer / ours |")
print("|---|---|---|---|")
for what, label in (("file_ms", "4 s WAV file -> family + source, ms"), ("phrase60_ms", "60 s phrase, 120 notes, with segments, ms")):
    key = "infer.timbre_net.%s.t%s" % (what, t)
    ours = next((v for (impl, f), v in values.items() if f == key and impl.startswith("app")), None)
    peer = values.get(("py-peer", key))
    ratio = "%.1f×" % (peer / ours) if ours and peer else "—"
    print("| %s | %s | %s | %s |" % (label, ours, peer, ratio))
PYEOF
