#!/usr/bin/env bash
# Live listening next to our Python PyTorch peer (bench/peer/live_peer.py), same session, same
# threads: a phrase of NOTES notes of the default dataset (1.5 s each, 0.5 s apart) fed in 16 ms
# blocks; how long after each note began its first answer came, and what one answer costs.
# Prints the RESULT lines and a table (peer / ours > 1: ours faster).
# Usage: BUILD=build bench/run_live_bench.sh     (NOTES=40, THREADS=1; about 20 s)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$REPO/build}"
NOTES="${NOTES:-40}"
THREADS="${THREADS:-1}"
PY="${PY:-/usr/bin/python3}"
DATA="${DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/timbrescope/datasets/default}"
MODEL="${MODEL:-$REPO/models/timbre-net.tsm}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
[ -d "$DATA/audio" ] || { echo "run_live_bench: no dataset at $DATA (timbrescope render --default)" >&2; exit 1; }
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
"$BUILD/bin/bench_live" --model "$MODEL" --data "$DATA" --notes "$NOTES" --threads "$THREADS" | tee -a "$OUT"
"$PY" "$REPO/bench/peer/live_peer.py" "$DATA" --notes "$NOTES" --threads "$THREADS" | tee -a "$OUT"
"$PY" - "$OUT" "$THREADS" <<'PYEOF'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT impl=(\S+) figure=(\S+) value=(\S+) unit=\S+(.*)", line)
    if m:
        rows[(m.group(1), m.group(2))] = (float(m.group(3)), m.group(4).strip())
t = sys.argv[2]
print("| figure | Timbrescope | Python peer | peer / ours |")
print("|---|---|---|---|")
for what, label in (("first_answer_ms", "note onset -> first answer, ms (median)"), ("answer_compute_ms", "one answer, ms (median)")):
    key = "live.%s.t%s" % (what, t)
    ours, peer = rows.get(("app", key)), rows.get(("py-peer", key))
    if ours and peer:
        print("| %s | %.1f (%s) | %.1f (%s) | %.2f× |" % (label, ours[0], ours[1], peer[0], peer[1], peer[0] / ours[0]))
PYEOF
