#!/bin/bash
# Timbrescope's benchmarks and our Python PyTorch peer (bench/peer/) in one session, since these
# machines are shared and noisy: the seed STFT, training throughput and peak RSS per model,
# single-clip inference latency, dataset featurisation (when a dataset exists); then the peer's
# seed STFT, the seed's four models' training and the two CNNs' inference, by default and with glibc
# malloc tuned (freed memory kept in the heap). All RESULT lines go to one file, and
# bench/compare_peer.py prints the ratio table from it.
#
#   BUILD=build bench/run_bench.sh           full run, about 10 min on a quiet 2-core machine
#   BIN=/path/to/bin bench/run_bench.sh      use bench_* binaries from any folder
#   QUICK=1 bench/run_bench.sh               smoke run with tiny sizes (a few minutes)
#
# The peer needs Debian's python3-torch and python3-numpy (apt-get install python3-torch python3-numpy).
# Knobs (environment): BUILD=<build dir> (default <repo>/build) or BIN=<folder of bench_*>,
#   THREADS=2, PY=/usr/bin/python3, RESULTS=<dir> (default /tmp/timbrescope-bench),
#   WAIT_QUIET=300 (before each benchmark wait up to N s for the CPUs to be < 5 % busy; 0 = don't),
#   DATASET=<NSynth folder> for bench_featurise (default ~/.local/share/timbrescope/datasets/default),
#   FEATURISE_KINDS="logmel" (add stft or raw: their caches take about 1 GiB per 4,096 notes),
#   SKIP_PEER=1 (ours only), SKIP_APP=1 (the peer only), PEER_VARIANTS="default glibc-tuned".
# Our binaries run as the app runs: no malloc settings from outside (ml::configureCpuRuntime applies
# the app's own); only the peer's glibc-tuned variant gets GLIBC_TUNABLES.
set -u
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="$REPO/bench/peer"
BIN="${BIN:-${BUILD:-$REPO/build}/bin}"
PY="${PY:-/usr/bin/python3}"
THREADS="${THREADS:-2}"
QUICK="${QUICK:-0}"
WAIT_QUIET="${WAIT_QUIET:-300}"
RESULTS="${RESULTS:-${TMPDIR:-/tmp}/timbrescope-bench}"
STAMP="${STAMP:-$(date +%Y%m%d-%H%M%S)}"
DATASET="${DATASET:-$HOME/.local/share/timbrescope/datasets/default}"
mkdir -p "$RESULTS"
OURS="$RESULTS/app-$STAMP.txt"
THEIRS="$RESULTS/peer-$STAMP.txt"
ALL="$RESULTS/all-$STAMP.txt"
unset BENCH_IMPL_SUFFIX GLIBC_TUNABLES

if [ "${SKIP_APP:-0}" != 1 ]; then
  for b in bench_stft bench_train bench_infer; do
    [ -x "$BIN/$b" ] || { echo "$BIN/$b missing: cmake --build ${BUILD:-build} --target $b (or set BIN=)" >&2; exit 1; }
  done
fi
if [ "${SKIP_PEER:-0}" != 1 ] && ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  echo "$PY lacks torch or numpy: apt-get install python3-torch python3-numpy (or SKIP_PEER=1)" >&2
  exit 1
fi

if [ "$QUICK" = 1 ]; then NCLIPS=128; REPS=2; BCNN=2; BLR=4; BTN=4; NINF=10
else NCLIPS=1024; REPS=3; BCNN=8; BLR=32; BTN=16; NINF=50; fi
# model, timed batches, epochs for the estimate figure (the seed's own epoch counts)
TRAIN_SPECS=("family_cnn $BCNN 17" "source_cnn $BCNN 0" "family_lr $BLR 50" "source_lr $BLR 50")

banner() { echo "# ---- $* ($(date +%T))" >&2; }

# bench LABEL CMD...: wait for a quiet machine, run CMD, then report the CPU other processes used
# meanwhile (env.foreign_cpu_pct.LABEL; over 5 % the figures are suspect).
bench() {
  local label="$1" mark="$RESULTS/.load-$STAMP-$1"; shift
  [ "$WAIT_QUIET" != 0 ] && "$PY" "$PEER/cpu_load.py" --wait-quiet "$WAIT_QUIET"
  "$PY" "$PEER/cpu_load.py" --begin "$mark" --pid "$BASHPID"
  "$@"
  local rc=$?
  "$PY" "$PEER/cpu_load.py" --end "$mark" --pid "$BASHPID" --label "$label"
  rm -f "$mark"
  return $rc
}

# rss_run IMPL FIGURE CMD...: run CMD under /usr/bin/time -v and add its peak RSS as a RESULT line.
rss_run() {
  local impl="$1${BENCH_IMPL_SUFFIX:-}" figure="$2" report; shift 2
  report="$(mktemp)"
  /usr/bin/time -v -o "$report" "$@"
  local rc=$?
  awk -v impl="$impl" -v figure="$figure" -F': ' '
    /Maximum resident set size/ { kib = $2 }
    /Elapsed \(wall clock\)/ { wall = $2 }
    END { printf "RESULT impl=%s figure=%s value=%.1f unit=MiB wall=%s note=time_-v_max_RSS\n", impl, figure, kib / 1024, wall }
  ' "$report"
  rm -f "$report"
  return $rc
}

if [ "${SKIP_APP:-0}" != 1 ]; then
  {
    "$PY" "$PEER/cpu_load.py" --info before_app
    echo "RESULT impl=system figure=env.app value=0 unit=- bin=$BIN commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo -) threads=$THREADS quick=$QUICK"

    banner "seed STFT (ours)"
    bench app_stft "$BIN/bench_stft" --n $NCLIPS --reps $REPS --batch 32 --threads "$THREADS,1"

    banner "training throughput (ours)"
    for spec in "${TRAIN_SPECS[@]}" "timbre_net $BTN 30"; do
      set -- $spec
      bench "app_train_$1" rss_run app "train.$1.peak_rss" "$BIN/bench_train" --model "$1" \
          --batches "$2" --warmup 1 --batch-size 32 --threads "$THREADS" --epoch-samples 3072 --epochs "$3"
    done

    banner "single-clip inference latency (ours)"
    for t in "$THREADS" 1; do
      for m in family_cnn source_cnn timbre_net seed_pair; do
        bench "app_infer_${m}_t$t" "$BIN/bench_infer" --model $m --n $NINF --warmup 5 --threads "$t"
      done
    done

    if [ -f "$DATASET/examples.json" ] && [ -x "$BIN/bench_featurise" ]; then
      banner "dataset featurisation (ours, $DATASET)"
      cache="$RESULTS/feature-cache-$STAMP"   # never the user's own cache: the cold run deletes its file
      for kind in ${FEATURISE_KINDS:-logmel}; do
        bench "app_featurise_$kind" "$BIN/bench_featurise" "$DATASET" --kind "$kind" --threads "$THREADS" --reps 3 --cache-dir "$cache"
        rm -rf "$cache"
      done
    else
      echo "# no dataset at $DATASET: featurisation skipped (timbrescope render --default makes one)" >&2
    fi

    # Our seed STFT of the peer's test clip, checked against its float64 reference.
    "$PY" "$PEER/seed_stft.py" --only-check --write-clip "$RESULTS/testclip.f32" > /dev/null
    "$BIN/bench_stft" --clip "$RESULTS/testclip.f32" --write-spec "$RESULTS/spec_app.f32"
    "$PY" "$PEER/seed_stft.py" --only-check --check "$RESULTS/spec_app.f32:cpp-fftw" | grep 'impl=cpp-fftw'
  } 2> >(grep -v '^# batch' >&2) | tee "$OURS"
fi

if [ "${SKIP_PEER:-0}" != 1 ]; then
  for variant in ${PEER_VARIANTS:-default glibc-tuned}; do
    (
      case "$variant" in
        default) ;;
        glibc-tuned)   # keep freed memory in the heap: no mmap'd chunks, no trimming, one arena
          export GLIBC_TUNABLES="glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967295:glibc.malloc.arena_max=1"
          export BENCH_IMPL_SUFFIX="+glibc-tuned" ;;
        *) echo "unknown peer variant $variant" >&2; exit 1 ;;
      esac
      "$PY" "$PEER/cpu_load.py" --info "before_peer_$variant"
      banner "seed STFT (peer, $variant)"
      bench "peer_stft_$variant" "$PY" "$PEER/seed_stft.py" --n $NCLIPS --reps $REPS --batch 32 --threads "$THREADS,1"

      banner "training throughput (peer, $variant)"
      for spec in "${TRAIN_SPECS[@]}"; do
        set -- $spec
        bench "peer_train_$1_$variant" rss_run py-torch "train.$1.peak_rss" "$PY" "$PEER/train_peer.py" --model "$1" \
            --batches "$2" --warmup 1 --batch-size 32 --threads "$THREADS" --epoch-samples 3072 --epochs "$3"
      done

      banner "single-clip inference latency (peer, $variant)"
      for t in "$THREADS" 1; do
        for m in family_cnn source_cnn; do
          bench "peer_infer_${m}_t${t}_$variant" "$PY" "$PEER/infer_peer.py" --model $m --n $NINF --warmup 5 --threads "$t"
        done
      done
    )
  done 2> >(grep -v '^# batch' >&2) | tee "$THEIRS"
fi

cat "$OURS" "$THEIRS" 2>/dev/null | grep '^RESULT' > "$ALL"
echo
"$PY" "$REPO/bench/compare_peer.py" "$ALL" | tee "$RESULTS/ratios-$STAMP.md"
echo
echo "# all RESULT lines: $ALL"
echo "# ratio table: $RESULTS/ratios-$STAMP.md"
