#!/usr/bin/python3
"""Timbrescope's Python PyTorch peer for live listening: what the Live tab's ml::LiveListener does,
written the way a Python user would write it, on the same phrase as bench_live (--notes WAVs of the
dataset, every k-th in name order, 1.5 s of each with 0.5 s of silence between, after 0.5 s of
silence), fed in --block sample blocks:

  every 512 samples, onsets (spectral flux, numpy) in the last second; an onset in its first 250 ms,
  within 60 ms of the last one, or under -50 dB is not new; a new note is answered at once and again
  0.1, 0.25, 0.5, 1, 2 and 4 s after its onset: its excerpt held (last 100 ms looped to 4 s),
  64-band log-mel (torch.stft), timbre-net forward (random weights: speed does not depend on them).

  live.first_answer_ms.tT    true onset -> first answer for an onset found within 100 ms of it: stream
                             heard until it was found + compute (found: notes with such an onset;
                             onsets: all the onsets it answered, true or not)
  live.answer_compute_ms.tT  time of one answer

usage: /usr/bin/python3 bench/peer/live_peer.py DATASET [--notes 40] [--block 256] [--threads 1]
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from predict_peer import TimbreNet, log_mel, read_wav  # noqa: E402

RATE, VIEW = 16000, 64000
REFINE = [0.1, 0.25, 0.5, 1.0, 2.0, 4.0]


def window_onsets(x):
    """Onset sample positions in x: flux peaks over a local median, as predict_peer's, no default."""
    hop, size = 128, 512
    if len(x) < size + 2 * hop:
        return []
    frames = np.lib.stride_tricks.sliding_window_view(x, size)[::hop] * np.hanning(size)
    mag = np.log1p(np.abs(np.fft.rfft(frames, axis=1)))
    flux = np.maximum(0.0, np.diff(mag, axis=0)).sum(axis=1)
    found, last = [], -10**9
    top = flux.max()
    if top <= 0:
        return []
    for i in range(1, len(flux)):
        right = flux[i + 1] if i + 1 < len(flux) else -1.0
        local = np.median(flux[max(0, i - 19):i + 20])
        if flux[i] > local + 0.06 * top and flux[i] >= flux[i - 1] and flux[i] >= right and i - last > 6:
            found.append((i + 1) * hop)
            last = i
    return found


def hold(x):
    loop, fade = min(RATE // 10, len(x) // 2), RATE // 100
    if len(x) >= VIEW or loop <= fade:
        out = np.zeros(VIEW, dtype=np.float32)
        out[:min(len(x), VIEW)] = x[:VIEW]
        return out
    piece = x[len(x) - loop - fade:].copy()
    out = x.astype(np.float32).copy()
    ramp = np.arange(fade, dtype=np.float32) / fade
    while len(out) < VIEW:
        out[-fade:] = out[-fade:] * (1 - ramp) + piece[:fade] * ramp
        out = np.concatenate([out, piece[fade:]])
    return out[:VIEW]


def level_db(x):
    p = 2.0 * float(np.mean(x.astype(np.float64) ** 2)) if len(x) else 0.0
    return 10.0 * np.log10(p) if p > 1e-20 else -200.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("--notes", type=int, default=40)
    ap.add_argument("--block", type=int, default=256)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = TimbreNet().eval()
    audio = os.path.join(a.data, "audio")
    wavs = sorted(f for f in os.listdir(audio) if f.endswith(".wav"))
    step = len(wavs) // a.notes
    parts, onsets, at = [np.zeros(8000, dtype=np.float32)], [], 8000
    for i in range(a.notes):
        x = read_wav(os.path.join(audio, wavs[i * step]))[:24000]
        x = np.pad(x, (0, 24000 - len(x)))
        onsets.append(at / RATE)
        parts += [x, np.zeros(8000, dtype=np.float32)]
        at += 32000
    phrase = np.concatenate(parts)

    def answer(excerpt):
        with torch.no_grad():
            family, source = net(log_mel(torch.from_numpy(hold(excerpt))[None]))
            return int(family.argmax()), int(source.argmax())

    answer(phrase[8000:9600])  # warm-up
    history = np.zeros(len(phrase), dtype=np.float32)
    detections, compute_ms = [], []  # (onset found, when its first answer came), stream seconds
    last_onset, note_start, note_onset, refined = None, None, None, 0
    for start in range(0, len(phrase), a.block):
        block = phrase[start:start + a.block]
        t0 = time.perf_counter()
        answers = 0
        firsts = []
        # the stream so far: the phrase up to `end` (nothing past it is read)
        history[start:start + len(block)] = block
        end = start + len(block)
        # looks at every multiple of 512 samples the block reached
        for look in range((start // 512 + 1) * 512, end + 1, 512):
            w0 = max(0, look - RATE)
            for o in window_onsets(history[w0:look]):
                if w0 > 0 and o < RATE // 4:
                    continue
                absolute = w0 + o
                if last_onset is not None and absolute < last_onset + 960:
                    continue
                if level_db(history[absolute:min(look, absolute + 512)]) < -50.0:
                    continue
                last_onset, note_onset, note_start, refined = absolute, absolute, max(0, absolute - 240), 0
                answer(history[note_start:look])
                answers += 1
                firsts.append(absolute)
            if note_start is not None and refined < len(REFINE) and look - note_onset >= REFINE[refined] * RATE:
                answer(history[note_start:min(look, note_start + VIEW)])
                answers += 1
                refined += 1
        seconds = time.perf_counter() - t0
        if answers:
            compute_ms.append(1000.0 * seconds / answers)
        for absolute in firsts:
            detections.append((absolute / RATE, end / RATE + seconds))
    # Per note: its earliest answer for an onset found within 100 ms of the true one.
    first_ms = []
    for true in onsets:
        times = [t for found, t in detections if abs(found - true) < 0.1]
        if times:
            first_ms.append(1000.0 * (min(times) - true))
    print("RESULT impl=py-peer figure=live.first_answer_ms.t%d value=%.4g unit=ms max=%.4g notes=%d found=%d onsets=%d"
          % (a.threads, statistics.median(first_ms), max(first_ms), a.notes, len(first_ms), len(detections)), flush=True)
    print("RESULT impl=py-peer figure=live.answer_compute_ms.t%d value=%.4g unit=ms answers=%d"
          % (a.threads, statistics.median(compute_ms), len(compute_ms)), flush=True)


if __name__ == "__main__":
    main()
