#!/bin/bash
# Timbrescope's benchmarks and the peer's (../shared/peer-bench: Python PyTorch 1.13) in one session,
# since these machines are noisy and shared: STFT, training throughput + peak RSS per model,
# single-file inference latency, dataset featurisation (when a dataset exists), then the peer's
# suite by default and with MALLOC=glibc-tuned. All RESULT lines go to one file; the ratio table
# (bench/compare_peer.py) and the peer's full side-by-side table (summarize.py) follow.
#
#   BUILD=build bench/run_bench.sh          full run, ~7 min on a quiet 2-core machine
#   QUICK=1 BUILD=build bench/run_bench.sh  smoke run with tiny sizes (~4 min)
#
# Knobs (environment): BUILD=<build dir with bin/bench_*> (default <repo>/build), THREADS=2,
#   PEER=<peer-bench dir> (default <repo>/../shared/peer-bench), RESULTS=<dir> (default
#   /tmp/peer-bench-results), WAIT_QUIET=300 (per benchmark, wait up to N s for idle CPUs; 0 = no),
#   DATASET=<NSynth folder> for bench_featurise (default ~/.local/share/timbrescope/datasets/default),
#   FEATURISE_KINDS="logmel" (add stft or raw: their caches of 4,096 notes take ~1 GiB on disk),
#   SKIP_PEER=1 (ours only), PEER_VARIANTS="default glibc-tuned".
# Our binaries run as the app runs: no MALLOC/GLIBC_TUNABLES from outside (the app's own
# ml::configureCpuRuntime applies its malloc settings); the peer's variants set theirs.
set -u
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="${PEER:-$REPO/../shared/peer-bench}"
PEER="$(cd "$PEER" && pwd)" || { echo "peer-bench not found (set PEER=...)" >&2; exit 1; }
BIN="${BUILD:-$REPO/build}/bin"
for b in bench_stft bench_train bench_infer; do
  [ -x "$BIN/$b" ] || { echo "$BIN/$b missing: cmake --build ${BUILD:-$REPO/build} --target $b" >&2; exit 1; }
done
unset MALLOC BLAS FTZ BENCH_IMPL_SUFFIX
export QUICK="${QUICK:-0}" THREADS="${THREADS:-2}" WAIT_QUIET="${WAIT_QUIET:-300}"
export RESULTS="${RESULTS:-${TMPDIR:-/tmp}/peer-bench-results}"
export STAMP="${STAMP:-$(date +%Y%m%d-%H%M%S)}"
export PY="${PY:-/usr/bin/python3}"   # the peer needs Debian's python (python3-torch)
# shellcheck source=/dev/null
source "$PEER/lib/common.sh"          # bench (quiet wait + foreign CPU), rss_run, banner: the peer's own
DATASET="${DATASET:-$HOME/.local/share/timbrescope/datasets/default}"
OURS="$RESULTS/app-$STAMP.txt"
ALL="$RESULTS/all-$STAMP.txt"

if [ "$QUICK" = 1 ]; then NCLIPS=128; REPS=2; BCNN=2; BLR=4; BTN=4; NINF=10
else NCLIPS=1024; REPS=3; BCNN=8; BLR=32; BTN=16; NINF=50; fi   # the peer's run_peer.sh sizes

{
  "$PY" "$PEER/py/sysload.py" --info --seconds 1 --label before_app
  echo "RESULT impl=system figure=env.app value=0 unit=- build=$BIN commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo -)$(git -C "$REPO" diff --quiet HEAD -- core bench 2>/dev/null || echo +dirty) threads=$THREADS quick=$QUICK"

  banner "spectrogram featurisation (app)"
  bench app_stft "$BIN/bench_stft" --n $NCLIPS --reps $REPS --batch 32 --threads "$THREADS,1"

  banner "training throughput (app)"
  for spec in "family_cnn $BCNN 17" "source_cnn $BCNN 0" "family_lr $BLR 50" "source_lr $BLR 50" "timbre_net $BTN 30"; do
    set -- $spec
    bench "app_train_$1" rss_run app "train.$1.peak_rss" "$BIN/bench_train" --model "$1" \
        --batches "$2" --warmup 1 --batch-size 32 --threads "$THREADS" --epoch-samples 3072 --epochs "$3"
  done

  banner "single-file inference latency (app)"
  for t in "$THREADS" 1; do
    for m in family_cnn source_cnn timbre_net seed_pair; do
      bench "app_infer_${m}_t$t" "$BIN/bench_infer" --model $m --n $NINF --warmup 5 --threads "$t"
    done
  done

  if [ -f "$DATASET/examples.json" ] && [ -x "$BIN/bench_featurise" ]; then
    banner "dataset featurisation (app, $DATASET)"
    cache="$RESULTS/feature-cache-$STAMP"   # never the user's own cache: the cold run deletes its file
    for kind in ${FEATURISE_KINDS:-logmel}; do
      bench "app_featurise_$kind" "$BIN/bench_featurise" "$DATASET" --kind "$kind" --threads "$THREADS" --reps 3 --cache-dir "$cache"
      rm -rf "$cache"
    done
  else
    echo "# no dataset at $DATASET: featurisation skipped (timbrescope render --default makes one)" >&2
  fi
} 2> >(grep -v '^# batch' >&2) | tee "$OURS"

if [ "${SKIP_PEER:-0}" != 1 ]; then
  # The peer's bench_stft compares our spectrogram of its deterministic test clip with its float64
  # replica of tf.signal.stft (figure stft.check.max_abs_diff, impl cpp-fftw).
  "$PY" "$PEER/py/bench_stft.py" --only-check --write-clip "$RESULTS/testclip.f32" > /dev/null 2>&1
  "$BIN/bench_stft" --clip "$RESULTS/testclip.f32" --write-spec "$RESULTS/spec_fftw.f32"
  for variant in ${PEER_VARIANTS:-default glibc-tuned}; do
    banner "peer suite ($variant)"
    if [ "$variant" = default ]; then "$PEER/run_peer.sh"; else MALLOC="$variant" "$PEER/run_peer.sh"; fi
  done | tee "$RESULTS/.peer-$STAMP.txt"
fi

cat "$OURS" "$RESULTS/.peer-$STAMP.txt" 2>/dev/null | grep '^RESULT' > "$ALL"
rm -f "$RESULTS/.peer-$STAMP.txt"
"$PY" "$PEER/py/summarize.py" "$ALL" > "$RESULTS/summary-$STAMP.md"
echo
"$PY" "$REPO/bench/compare_peer.py" "$ALL" | tee "$RESULTS/ratios-$STAMP.md"
echo
echo "# all RESULT lines: $ALL"
echo "# ratio table: $RESULTS/ratios-$STAMP.md   full side-by-side table: $RESULTS/summary-$STAMP.md"
