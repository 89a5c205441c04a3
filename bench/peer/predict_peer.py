#!/usr/bin/python3
"""Timbrescope's Python PyTorch peer for the prediction path: what `timbrescope predict` does for
one file, written the way a Python user would write it, so bench_infer's figures have something to
be compared with in the same session.

  infer.timbre_net.file_ms.tT      a 4 s 16 kHz WAV path -> decode (scipy) -> 64-band log-mel
                                   (torch.stft) -> timbre-net forward -> family and source scores
  infer.timbre_net.phrase60_ms.tT  a 60 s WAV of 120 notes -> onsets (spectral flux, numpy) ->
                                   one log-mel + forward per segment (batched) -> scores per note

The network has timbre-net's layers and shapes (random weights: speed does not depend on them).
Median of --n timed runs after --warmup untimed ones. Prints RESULT lines like bench_infer.

usage: /usr/bin/python3 bench/peer/predict_peer.py [--n 30] [--warmup 3] [--threads 2]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import scipy.io.wavfile
import torch
import torch.nn as nn
import torch.nn.functional as F

RATE = 16000
VIEW = 64000
N_FFT, HOP, BANDS = 512, 256, 64


class TimbreNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_norm = nn.BatchNorm2d(1)
        widths = [1, 16, 32, 64, 128]
        self.convs = nn.ModuleList(nn.Conv2d(widths[i], widths[i + 1], 3, padding=1, bias=False) for i in range(4))
        self.norms = nn.ModuleList(nn.BatchNorm2d(widths[i + 1]) for i in range(4))
        self.family = nn.Linear(256, 11)
        self.source = nn.Linear(256, 3)

    def forward(self, x):  # x: [batch, frames, bands] in dB
        x = x - x.amax(dim=(1, 2), keepdim=True)
        x = self.input_norm((x.unsqueeze(1) + 50.0) / 25.0)
        x = F.avg_pool2d(x, (4, 1))
        for i, (conv, norm) in enumerate(zip(self.convs, self.norms)):
            x = F.relu(norm(conv(x)))
            if i < 3:
                x = F.max_pool2d(x, 2)
        x = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], 1)
        return self.family(x), self.source(x)


def mel_matrix():
    """Slaney-style triangular filters on the mel scale, 20 Hz to 8 kHz."""
    def hz_to_mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def mel_to_hz(m):
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    edges = mel_to_hz(np.linspace(hz_to_mel(20.0), hz_to_mel(8000.0), BANDS + 2))
    bins = np.linspace(0, RATE / 2, N_FFT // 2 + 1)
    m = np.zeros((N_FFT // 2 + 1, BANDS), dtype=np.float32)
    for b in range(BANDS):
        lo, mid, hi = edges[b], edges[b + 1], edges[b + 2]
        m[:, b] = np.maximum(0.0, np.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid)))
    return torch.from_numpy(m)


MEL = mel_matrix()
WINDOW = torch.hann_window(N_FFT)


def log_mel(batch):  # [n, samples] -> [n, frames, bands] dB
    spec = torch.stft(batch, N_FFT, HOP, window=WINDOW, center=True, return_complex=True).abs() ** 2
    return (10.0 * torch.log10(spec.transpose(1, 2) @ MEL + 1e-10)).clamp_min(-100.0)


def read_wav(path):
    rate, data = scipy.io.wavfile.read(path)
    x = data.astype(np.float32) / 32768.0
    if x.ndim == 2:
        x = x.mean(axis=1)
    assert rate == RATE
    return x


def view(x, start, end):
    out = np.zeros(VIEW, dtype=np.float32)
    piece = x[start:min(end, start + VIEW)]
    out[:len(piece)] = piece
    return out


def onsets(x):
    """Spectral flux on 512-point frames every 8 ms, peaks above a local median."""
    hop = 128
    frames = np.lib.stride_tricks.sliding_window_view(x, 512)[::hop] * np.hanning(512)
    mag = np.log1p(np.abs(np.fft.rfft(frames, axis=1)))
    flux = np.maximum(0.0, np.diff(mag, axis=0)).sum(axis=1)
    found, last = [], -10**9
    for i in range(1, len(flux) - 1):
        local = np.median(flux[max(0, i - 19):i + 20])
        if flux[i] > local + 0.06 * flux.max() and flux[i] >= flux[i - 1] and flux[i] >= flux[i + 1] and i - last > 6:
            found.append((i + 1) * hop)
            last = i
    return found or [0]


def note_signal(pitch, seconds, rng):
    t = np.arange(int(seconds * RATE)) / RATE
    f = 440.0 * 2 ** ((pitch - 69) / 12)
    env = np.exp(-3.0 * t)
    return (0.3 * env * sum(np.sin(2 * np.pi * f * k * t) / k for k in range(1, 6)) + 1e-4 * rng.standard_normal(len(t)))


def result(figure, samples, threads, n):
    med, lo, hi = statistics.median(samples), min(samples), max(samples)
    print("RESULT impl=py-peer figure=%s.t%d value=%.4g unit=ms spread=%.4g..%.4g n=%d threads=%d"
          % (figure, threads, med, lo, hi, n, threads), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = TimbreNet().eval()
    rng = np.random.default_rng(1)
    folder = tempfile.mkdtemp(prefix="timbrescope-peer-")
    note_path, phrase_path = os.path.join(folder, "note.wav"), os.path.join(folder, "phrase.wav")
    note = np.zeros(VIEW)
    note[:48000] = note_signal(60, 3.0, rng)
    scipy.io.wavfile.write(note_path, RATE, (note * 32767).astype(np.int16))
    phrase = np.concatenate([note_signal(48 + (k * 7) % 24, 0.5, rng) for k in range(120)])
    scipy.io.wavfile.write(phrase_path, RATE, (phrase * 32767).astype(np.int16))

    file_ms, phrase_ms = [], []
    with torch.inference_mode():
        for i in range(a.warmup + a.n):
            t0 = time.perf_counter()
            x = read_wav(note_path)
            fam, src = net(log_mel(torch.from_numpy(view(x, 0, len(x))).unsqueeze(0)))
            F.softmax(fam, 1), F.softmax(src, 1)
            t1 = time.perf_counter()
            x = read_wav(phrase_path)
            starts = onsets(x)
            ends = starts[1:] + [len(x)]
            views = torch.from_numpy(np.stack([view(x, s, e) for s, e in zip(starts, ends)]))
            fam, src = net(log_mel(views))
            F.softmax(fam, 1), F.softmax(src, 1)
            t2 = time.perf_counter()
            if i >= a.warmup:
                file_ms.append((t1 - t0) * 1e3)
                phrase_ms.append((t2 - t1) * 1e3)
    print("peer: %d onsets found in the 60 s phrase of 120 notes" % len(starts), file=sys.stderr)
    result("infer.timbre_net.file_ms", file_ms, a.threads, a.n)
    result("infer.timbre_net.phrase60_ms", phrase_ms, a.threads, a.n)


if __name__ == "__main__":
    main()
