#!/bin/bash
# The timbre map at scale: bench_map (embeddings of a dataset grown to N rows; principal plane, index,
# "sounds like this" queries, the neighbourhood layout, MapView's redraw while panning) next to the
# Python peer (bench/peer/map_peer.py: numpy's principal components and brute-force nearest rows) on
# the same embeddings, read from our embedding cache.
#
#   bench/run_map_bench.sh [DATASET]   default: the default dataset, N=300000
# Knobs: BUILD (default <repo>/build), N, PY=/usr/bin/python3, MAP_ARGS (more bench_map options,
#   e.g. "--skip-layout 1" or "--layout-epochs 50").
set -eu
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${BUILD:-$REPO/build}/bin"
PY="${PY:-/usr/bin/python3}"
N="${N:-300000}"
DATA="${1:-$HOME/.local/share/timbrescope/datasets/default}"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
# shellcheck disable=SC2086  # MAP_ARGS is a list of options
(cd "$REPO" && OMP_NUM_THREADS=2 "$BENCH/bench_map" "$DATA" --notes "$N" ${MAP_ARGS:-}) 2>"$LOG" | grep RESULT
grep '^#' "$LOG" >&2 || true
EMBEDDINGS="$(sed -n 's/^# embeddings: //p' "$LOG")"
(cd "$REPO/bench/peer" && OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 "$PY" map_peer.py "$EMBEDDINGS" --notes "$N" 2>/dev/null | grep RESULT)
