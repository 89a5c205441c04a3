#!/bin/bash
# Opening a large dataset: `timbrescope info DIR --json` on an NSynth-format folder of N notes (default
# 300,000, the size of NSynth's training set), its wall time and peak resident memory by /usr/bin/time,
# next to the Python peer's equivalent (json.load of examples.json and a stat of every WAV, what a
# PyTorch Dataset over NSynth does when it is built). The folder is made once by
# bench/make_large_dataset.py from a rendered dataset: hard links, no audio copied.
#
# Then, on the same folder: the library browser (bench_library: open, each search keystroke, filter,
# sort by each column), and training from its feature cache (bench_loader: featurising every note
# when the cache is absent, then timbre-net steps on random rows read from the float16 cache against
# the same rows in memory), with the Python peer's memmap gather (bench/peer/loader_peer.py) on the
# same cache file.
#
#   bench/run_scale_bench.sh                 N=300000 from the default dataset, 3 runs each
# Knobs: BUILD (default <repo>/build), SOURCE (default ~/.local/share/timbrescope/datasets/default),
#   N, OUT (default ${TMPDIR:-/tmp}/timbrescope-large-N), RUNS, PY=/usr/bin/python3, BATCHES (60).
# The feature cache of OUT goes where training puts it ($XDG_CACHE_HOME/timbrescope/features); at
# 300,000 notes it is 9.6 GB.
set -eu
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BUILD:-$REPO/build}/bin/timbrescope"
PY="${PY:-/usr/bin/python3}"
N="${N:-300000}"
RUNS="${RUNS:-3}"
SOURCE="${SOURCE:-$HOME/.local/share/timbrescope/datasets/default}"
OUT="${OUT:-${TMPDIR:-/tmp}/timbrescope-large-$N}"
"$PY" "$REPO/bench/make_large_dataset.py" "$SOURCE" "$OUT" "$N"
# One run of each first, untimed: the page cache holds examples.json and the folder afterwards.
"$BIN" info "$OUT" --json >/dev/null
for i in $(seq "$RUNS"); do
  /usr/bin/time -f "RESULT info_${N} wall_s=%e peak_kb=%M" "$BIN" info "$OUT" --json 2>&1 >/dev/null | grep RESULT
  /usr/bin/time -f "RESULT peer_open_${N} wall_s=%e peak_kb=%M" "$PY" -c '
import json, os, sys
folder = sys.argv[1]
with open(os.path.join(folder, "examples.json")) as f:
    notes = json.load(f)
usable = sum(os.path.isfile(os.path.join(folder, "audio", k + ".wav")) for k in notes)
print(len(notes), usable)' "$OUT" 2>&1 >/dev/null | grep RESULT
done

BENCH="${BUILD:-$REPO/build}/bin"
"$BENCH/bench_library" "$OUT" --reps "$RUNS" 2>/dev/null | grep RESULT
LOADER_LOG="$(mktemp)"
"$BENCH/bench_loader" "$OUT" --batches "${BATCHES:-60}" 2>"$LOADER_LOG" | grep RESULT
CACHE="$(sed -n 's/^# loaded in .*; rows float16 cache file //p' "$LOADER_LOG")"
rm -f "$LOADER_LOG"
if [ -n "$CACHE" ]; then
  (cd "$REPO/bench/peer" && "$PY" loader_peer.py "$CACHE" --rows "$(( ${BATCHES:-60} * 32 ))" 2>/dev/null | grep RESULT)
fi
