#!/usr/bin/python3
"""Timbrescope's Python PyTorch peer for tagging a folder: what `timbrescope predict --recursive
FOLDER --csv OUT` does, written the way a Python user would write it: every .wav under FOLDER in
path order -> decode (scipy) -> the first onset (spectral flux, numpy, vectorised) -> a 4 s view from
it -> 64-band log-mel (torch.stft) -> timbre-net forward in batches -> family and source with their
confidence, one CSV line per file. The network has timbre-net's layers and shapes with random
weights (speed does not depend on them). Timed as a whole command, start-up included.

usage: /usr/bin/python3 bench/peer/tag_peer.py FOLDER --csv OUT [--threads 2] [--batch 16]
"""
import argparse
import csv
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from predict_peer import TimbreNet, log_mel, read_wav, view  # noqa: E402

FAMILIES = ["bass", "brass", "flute", "guitar", "keyboard", "mallet", "organ", "reed", "string", "synth_lead", "vocal"]
SOURCES = ["acoustic", "electronic", "synthetic"]


def first_onset(x, hop=128, size=512):
    if len(x) < size + 2 * hop:
        return 0
    frames = np.lib.stride_tricks.sliding_window_view(x, size)[::hop] * np.hanning(size)
    mag = np.log1p(np.abs(np.fft.rfft(frames, axis=1)))
    flux = np.maximum(0.0, np.diff(mag, axis=0)).sum(axis=1)
    padded = np.pad(flux, 19, mode="edge")
    local = np.median(np.lib.stride_tricks.sliding_window_view(padded, 39), axis=1)
    above = np.nonzero(flux > local + 0.06 * flux.max())[0]
    return int(max(0, (above[0] + 1) * hop - 240)) if len(above) else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--csv", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = TimbreNet().eval()
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(a.folder) for f in fs if f.lower().endswith(".wav"))
    rows = []
    with torch.inference_mode():
        for first in range(0, len(paths), a.batch):
            chunk = paths[first:first + a.batch]
            views = []
            for path in chunk:
                x = read_wav(path)
                start = first_onset(x)
                views.append(view(x, start, len(x)))
            fam, src = net(log_mel(torch.from_numpy(np.stack(views))))
            pf, ps = F.softmax(fam, 1), F.softmax(src, 1)
            for k, path in enumerate(chunk):
                cf, f = pf[k].max(0)
                cs, s = ps[k].max(0)
                rows.append([path, FAMILIES[f], "%.4f" % cf, SOURCES[s], "%.4f" % cs])
    with open(a.csv, "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["file", "family", "family_confidence", "source", "source_confidence"])
        w.writerows(rows)
    print("peer: %d files tagged" % len(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
