#!/usr/bin/env python3
"""Makes an NSynth-format folder of N notes cheaply from a rendered one, for the scale benchmarks.

Usage: bench/make_large_dataset.py SOURCE OUT N

Note k of OUT is note (k mod M) of SOURCE's M notes under a new name: copy c = k div M gets the
instrument "<instrument_str>x<c>" (instrument id + 100000 c), so every note and instrument is unique
as in a real set of that size. Its WAV is a hard link to the source WAV (no audio is copied: 300,000
notes take the source's disk space plus examples.json, about 200 MB). Labels, pitch and velocity are
the source note's. Writes examples.json as NSynth does (one object keyed by note_str) to a temporary
name first; an existing OUT with the same N is left as it is.
"""
import json
import os
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[2])
    source, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    marker = os.path.join(out, ".notes")
    if os.path.exists(marker) and open(marker).read().strip() == str(n):
        print(f"{out}: already {n} notes")
        return
    with open(os.path.join(source, "examples.json")) as f:
        notes = list(json.load(f).values())
    notes = [n_ for n_ in notes if os.path.exists(os.path.join(source, "audio", n_["note_str"] + ".wav"))]
    if not notes:
        sys.exit(f"{source}: no notes with a WAV")
    os.makedirs(os.path.join(out, "audio"), exist_ok=True)
    tmp = os.path.join(out, "examples.json.tmp")
    with open(tmp, "w") as f:
        f.write("{")
        for k in range(n):
            copy, note = divmod(k, len(notes))
            src = notes[note]
            entry = dict(src)
            entry["instrument"] = src["instrument"] + 100000 * copy
            entry["instrument_str"] = f"{src['instrument_str']}x{copy}"
            entry["note_str"] = f"{entry['instrument_str']}-{src['pitch']:03d}-{src['velocity']:03d}"
            entry["note"] = k
            wav = os.path.join(out, "audio", entry["note_str"] + ".wav")
            if not os.path.exists(wav):
                os.link(os.path.join(source, "audio", src["note_str"] + ".wav"), wav)
            f.write(("," if k else "") + "\n  " + json.dumps(entry["note_str"]) + ": " + json.dumps(entry))
            if k % 50000 == 0:
                print(f"{k}/{n}", file=sys.stderr)
        f.write("\n}\n")
    os.replace(tmp, os.path.join(out, "examples.json"))
    with open(marker, "w") as f:
        f.write(f"{n}\n")
    print(f"{out}: {n} notes from {len(notes)} in {source}")


if __name__ == "__main__":
    main()
