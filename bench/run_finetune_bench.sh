#!/usr/bin/env bash
# Your own classes: training timbre-net from scratch against fine-tuning the shipped model, on
# small imported sets of four plucked instruments the shipped model never heard (GM's sitar,
# shamisen, koto and kalimba: "ambiguous" presets the default dataset leaves out), rendered by the
# project (FluidR3_GM's and TimGM6mb's presets of them; the other two GM SoundFonts add none).
#  - train sets: N notes of each of FluidR3's four (N in PERS), imported with `import --labels
#    folders`; the random split trains on ~64 % of them, validates on ~11 %, tests on 25 %
#  - held out, each model scored on all of it (`evaluate --part all`), notes it never saw:
#      same instruments: FluidR3's other notes of the four
#      other instruments: every TimGM6mb note of the four (the same kinds, other samples: what a
#      user's own recordings of them would be to a model trained on the SoundFont's)
# Three ways, SEEDS seeds each, all with patience 10: scratch, --init (the whole network),
# --init --freeze-body. Prints a line per run and a table of means.
# Usage: BUILD=build bench/run_finetune_bench.sh     (SEEDS="1 2 3", PERS="10 20"; about 2 minutes)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$REPO/build}"
SEEDS="${SEEDS:-1 2 3}"
PERS="${PERS:-10 20}"
PY="${PY:-/usr/bin/python3}"
MODEL="${MODEL:-$REPO/models/timbre-net.tsm}"
SF=/usr/share/sounds/sf2
TS="$BUILD/bin/timbrescope"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The four GM SoundFonts (the later two add no plucked preset of their own: theirs play FluidR3's or
# TimGM6mb's samples and are left out), 6,000 notes balanced over families: 40-64 of each instrument.
"$TS" render --soundfont "$SF/FluidR3_GM.sf2" --soundfont "$SF/MuseScore_General_Full.sf2" --soundfont "$SF/TimGM6mb.sf2" \
    --soundfont "$SF/sf_GMbank.sf2" --include-ambiguous --count 6000 --seed 0 --out "$WORK/render" > /dev/null 2>&1
"$PY" - "$WORK" $PERS <<'PYEOF'
import collections, json, os, sys
work, sizes = sys.argv[1], [int(n) for n in sys.argv[2:]]
instruments = json.load(open(f"{work}/render/instruments.json"))["instruments"]
examples = json.load(open(f"{work}/render/examples.json"))
kind = {}
for i in instruments:
    for name in ("sitar", "shamisen", "koto", "kalimba"):
        if i.get("mapping_note", "").startswith(name):
            kind[i["instrument_str"]] = (name, i["generator"])
notes = collections.defaultdict(list)
for key in sorted(examples):
    inst = examples[key]["instrument_str"]
    if inst in kind:
        notes[kind[inst]].append(key)
def place(part, name, generator, keys):
    os.makedirs(f"{work}/{part}/{name}", exist_ok=True)
    for key in keys:
        os.link(f"{work}/render/audio/{key}.wav", f"{work}/{part}/{name}/{generator}_{key}.wav")
largest = max(sizes)
for (name, generator), keys in sorted(notes.items()):
    if generator == "FluidR3_GM":
        # Every other note first, so a small set still spans the instrument's range.
        keys = keys[::2] + keys[1::2]
        for n in sizes:
            place(f"train{n}", name, generator, keys[:n])
        place("same", name, generator, keys[largest:])
    else:
        place("other", name, generator, keys)
PYEOF
for part in $PERS same other; do
    case $part in same|other) set=$part;; *) set=train$part;; esac
    "$TS" import --from "$WORK/$set" --out "$WORK/$set-set" 2>/dev/null | head -1
done

run() {  # way size seed args...
    local way="$1" size="$2" seed="$3"; shift 3
    local start end same other
    start=$(date +%s.%N)
    "$TS" train --data "$WORK/train$size-set" --model timbre-net --split random --seed "$seed" --patience 10 "$@" \
        --out "$WORK/$way-$size-$seed.tsm" > /dev/null 2>&1
    end=$(date +%s.%N)
    for held in same other; do
        "$TS" evaluate --model "$WORK/$way-$size-$seed.tsm" --data "$WORK/$held-set" --json 2>/dev/null |
            "$PY" -c 'import json,sys; r=json.load(sys.stdin); print(r["class"]["accuracy"], r["n"])' > "$WORK/$held.out"
    done
    read -r same sameN < "$WORK/same.out"
    read -r other otherN < "$WORK/other.out"
    echo "RESULT way=$way per_class=$size seed=$seed same=$same same_notes=$sameN other=$other other_notes=$otherN" \
         "train_seconds=$(echo "$end - $start" | bc)"
}
for size in $PERS; do
    for seed in $SEEDS; do
        run scratch "$size" "$seed"
        run finetune "$size" "$seed" --init "$MODEL"
        run frozen-body "$size" "$seed" --init "$MODEL" --freeze-body
    done
done | tee "$WORK/results"
"$PY" - "$WORK/results" <<'PYEOF'
import collections, re, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r"RESULT way=(\S+) per_class=(\S+) seed=\S+ same=(\S+) same_notes=(\S+) other=(\S+) other_notes=(\S+) train_seconds=(\S+)", line)
    if m:
        runs[(int(m.group(2)), m.group(1))].append((float(m.group(3)), int(m.group(4)), float(m.group(5)), int(m.group(6)), float(m.group(7))))
print("| notes per class | way | same instruments, other notes | other instruments | training time | runs |")
print("|---|---|---|---|---|---|")
mean = lambda xs: sum(xs) / len(xs)
for (size, way), rows in sorted(runs.items(), key=lambda kv: (kv[0][0], ["scratch", "finetune", "frozen-body"].index(kv[0][1]))):
    same, other = [r[0] for r in rows], [r[2] for r in rows]
    print(f"| {size} | {way} | {100 * mean(same):.1f} % ({100 * min(same):.1f}-{100 * max(same):.1f}, {rows[0][1]} notes) "
          f"| {100 * mean(other):.1f} % ({100 * min(other):.1f}-{100 * max(other):.1f}, {rows[0][3]} notes) "
          f"| {mean([r[4] for r in rows]):.1f} s | {len(rows)} |")
PYEOF
