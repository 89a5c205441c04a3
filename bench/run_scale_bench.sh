#!/bin/bash
# Opening a large dataset: `timbrescope info DIR --json` on an NSynth-format folder of N notes (default
# 300,000, the size of NSynth's training set), its wall time and peak resident memory by /usr/bin/time,
# next to the Python peer's equivalent (json.load of examples.json and a stat of every WAV, what a
# PyTorch Dataset over NSynth does when it is built). The folder is made once by
# bench/make_large_dataset.py from a rendered dataset: hard links, no audio copied.
#
#   bench/run_scale_bench.sh                 N=300000 from the default dataset, 3 runs each
# Knobs: BUILD (default <repo>/build), SOURCE (default ~/.local/share/timbrescope/datasets/default),
#   N, OUT (default ${TMPDIR:-/tmp}/timbrescope-large-N), RUNS, PY=/usr/bin/python3.
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
