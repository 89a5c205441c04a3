#!/bin/bash
# Distributed training on one machine: timbre-net for 2 epochs on a dataset (default: the default
# dataset; random split, renders only) as one process with 2 threads and batch 32, then as 2 ranks
# (c10d, Gloo over 127.0.0.1) with 1 thread each and batch 16 each (the same 32 notes per step).
# Prints the second epoch's samples/s of each (rank 0's account covers both ranks' notes) and
# their ratio, the goal being >= 0.85.
#   bench/run_distributed_bench.sh [DATASET]
# Knobs: BUILD (default <repo>/build), EPOCHS (2), PORT (29531).
set -eu
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BUILD:-$REPO/build}/bin/timbrescope"
DATA="${1:-$HOME/.local/share/timbrescope/datasets/default}"
EPOCHS="${EPOCHS:-2}"
PORT="${PORT:-29531}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
base=(train --data "$DATA" --model timbre-net --split random --recordings 0 --json)
common=("${base[@]}" --epochs "$EPOCHS" --patience "$EPOCHS")
# The feature cache first, so neither run pays for it.
"$BIN" "${base[@]}" --epochs 1 --threads 2 --out "$WORK/warm.tsm" >/dev/null
last_rate() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["history"][-1]["samples_per_second"])'; }
one=$("$BIN" "${common[@]}" --threads 2 --batch 32 --out "$WORK/one.tsm" 2>/dev/null | last_rate)
"$BIN" "${common[@]}" --threads 1 --batch 16 --world-size 2 --rank 1 --master "127.0.0.1:$PORT" --out "$WORK/r1.tsm" >/dev/null 2>&1 &
two=$("$BIN" "${common[@]}" --threads 1 --batch 16 --world-size 2 --rank 0 --master "127.0.0.1:$PORT" --out "$WORK/two.tsm" 2>/dev/null | last_rate)
wait
echo "RESULT impl=app figure=distributed.one_process_2_threads_samples_per_s value=$one unit=samples/s epochs=$EPOCHS"
echo "RESULT impl=app figure=distributed.two_ranks_1_thread_samples_per_s value=$two unit=samples/s epochs=$EPOCHS"
/usr/bin/python3 -c "import sys; print('RESULT impl=app figure=distributed.two_ranks_over_one_process value=%.3f unit=x goal=0.85' % (float(sys.argv[2]) / float(sys.argv[1])))" "$one" "$two"
