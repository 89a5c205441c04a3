#!/usr/bin/env bash
# Tagging a sample library next to our Python PyTorch peer (bench/peer/tag_peer.py), same session,
# same cores: a folder of N 4-second notes (hard links to the default dataset's WAVs) classified by
# `timbrescope predict --recursive FOLDER --csv OUT` and by the peer, each timed as a whole command
# (start-up included) RUNS times. Prints the median wall time, files per second and the ratio.
# Usage: BUILD=build bench/run_tag_bench.sh      (N=400, RUNS=5, THREADS=2; about a minute)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$REPO/build}"
N="${N:-400}"
RUNS="${RUNS:-5}"
THREADS="${THREADS:-2}"
PY="${PY:-/usr/bin/python3}"
DATA="${DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/timbrescope/datasets/default}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
[ -d "$DATA/audio" ] || { echo "run_tag_bench: no dataset at $DATA (timbrescope render --default)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/library"
mapfile -t FILES < <(find "$DATA/audio" -name '*.wav' | sort | head -n "$N")
for f in "${FILES[@]}"; do ln "$f" "$WORK/library/" 2>/dev/null || cp "$f" "$WORK/library/"; done
COUNT=$(find "$WORK/library" -name '*.wav' | wc -l)

"$PY" - "$RUNS" "$COUNT" "$BUILD/bin/timbrescope" "$REPO/bench/peer/tag_peer.py" "$WORK" "$THREADS" "$PY" <<'PYEOF'
import statistics, subprocess, sys, time
runs, count, ours, peer, work, threads, py = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:]
commands = {
    "timbrescope": [ours, "predict", "--recursive", work + "/library", "--csv", work + "/ours.csv", "--jobs", threads],
    "py-peer": [py, peer, work + "/library", "--csv", work + "/peer.csv", "--threads", threads],
}
medians = {}
for name, command in commands.items():
    subprocess.run(command, check=True, capture_output=True)  # warm the page cache and the wisdom
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    medians[name] = statistics.median(times)
    print("RESULT impl=%s figure=tag.files_per_s.n%d value=%.1f wall_s=%.3f min=%.3f max=%.3f runs=%d"
          % (name, count, count / medians[name], medians[name], min(times), max(times), runs))
print("| %d files, whole command | Timbrescope | Python peer | peer time / ours |" % count)
print("|---|---|---|---|")
print("| wall time (median of %d) | %.2f s (%.0f files/s) | %.2f s (%.0f files/s) | %.1f× |" % (
    runs, medians["timbrescope"], count / medians["timbrescope"], medians["py-peer"], count / medians["py-peer"],
    medians["py-peer"] / medians["timbrescope"]))
PYEOF
