#!/usr/bin/python3
"""The seed STFT in Python, timed the way bench_stft times ours, and a float64 reference that both
are checked against.

The seed STFT (core/dsp/SeedStft.cpp, tf.signal.stft(x, 255, 128) in the seed): frames of 255
samples every 128 with no padding of the signal (499 frames of a 64,000-sample clip), each
multiplied by a symmetric Hann window (0.5 - 0.5 cos(2 pi n / 254): for an odd length TensorFlow's
"periodic" window divides by 254, not 255), zero-padded at the end to 256 and real-FFT'd; the
magnitude of the 129 bins. In PyTorch that is torch.stft with win_length 255 inside n_fft 256
(torch pads a shorter window on the right, so the 256th sample of each frame is weighted 0),
center=False, and the symmetric window passed in: torch.hann_window(255)'s default divides by 255.

Figures (impl py-torch-stft, the names bench_stft prints):
  stft.per_clip.tT   clips/s, one torch.stft call per clip, T intra-op threads
  stft.batchB.tT     clips/s, one call per batch of B clips
  stft.check.max_abs_diff  largest |difference| to the float64 reference on the test clip, for
                     torch.stft and for each --check FILE:LABEL (499 x 129 float32, frame-major,
                     such as `bench_stft --clip CLIP --write-spec FILE` writes)

usage: /usr/bin/python3 bench/peer/seed_stft.py [--n 1024] [--reps 3] [--threads 2,1] [--batch 32]
           [--write-clip CLIP.f32] [--check FILE:LABEL ...] [--only-check]
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import (BINS, CLIP, FRAME, FRAMES, HOP, NFFT, log, median_spread, noise_clips, now,  # noqa: E402
                         result, test_clip, torch_with_threads)

IMPL = "py-torch-stft"


def seed_window(dtype=np.float32):
    n = np.arange(FRAME, dtype=np.float64)
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * n / (FRAME - 1))).astype(dtype)


def reference(clip):
    """The seed STFT of one clip in float64 with numpy: (499, 129)."""
    x = np.asarray(clip, dtype=np.float64)
    frames = np.stack([x[i * HOP:i * HOP + FRAME] for i in range(1 + (len(x) - FRAME) // HOP)])
    return np.abs(np.fft.rfft(frames * seed_window(np.float64), n=NFFT, axis=-1))


def make_torch_stft(torch):
    window = torch.from_numpy(seed_window())

    def stft(x):   # [..., 64000] float32 -> [..., 499, 129]
        s = torch.stft(x, n_fft=NFFT, hop_length=HOP, win_length=FRAME, window=window,
                       center=False, return_complex=True)
        return s.abs().transpose(-1, -2).contiguous()
    return stft


def rate(stft, clips, batch):
    """clips/s of one pass over `clips`, `batch` clips per call (0: one clip per call)."""
    start = now()
    if batch:
        for i in range(0, clips.shape[0], batch):
            out = stft(clips[i:i + batch])
    else:
        for i in range(clips.shape[0]):
            out = stft(clips[i])
    elapsed = now() - start
    assert tuple(out.shape[-2:]) == (FRAMES, BINS), tuple(out.shape)
    return clips.shape[0] / elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1024, help="clips per pass (default 1024)")
    ap.add_argument("--reps", type=int, default=3, help="passes per figure; the median is reported")
    ap.add_argument("--threads", default="2,1", help="intra-op thread counts, comma-separated")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--write-clip", help="write the float32 test clip here (for bench_stft --clip)")
    ap.add_argument("--check", action="append", default=[], metavar="FILE:LABEL")
    ap.add_argument("--only-check", action="store_true", help="no timing: write the clip and check")
    a = ap.parse_args()

    threads = [int(t) for t in a.threads.split(",") if t]
    torch = torch_with_threads(threads[0])
    stft = make_torch_stft(torch)
    clip = test_clip()
    if a.write_clip:
        clip.astype("<f4").tofile(a.write_clip)

    if not a.only_check:
        clips = torch.from_numpy(noise_clips(a.n))
        for t in threads:
            torch.set_num_threads(t)
            rate(stft, clips[:16], 0)   # warm-up
            batched = [rate(stft, clips, a.batch) for _ in range(a.reps)]
            per_clip = [rate(stft, clips, 0) for _ in range(a.reps)]
            for figure, rates in (("stft.batch%d.t%d" % (a.batch, t), batched), ("stft.per_clip.t%d" % t, per_clip)):
                med, spread = median_spread(rates)
                result(IMPL, figure, med, "clips/s", spread=spread, reps=a.reps, n=a.n)
        torch.set_num_threads(threads[0])

    ref = reference(clip)
    peak = float(ref.max())

    def check(label, spec):
        diff = np.abs(np.asarray(spec, dtype=np.float64).reshape(FRAMES, BINS) - ref)
        result(label, "stft.check.max_abs_diff", float(diff.max()), "abs",
               rel_to_peak="%.2e" % (diff.max() / peak), mean_abs="%.2e" % diff.mean(), vs="float64_reference")

    check(IMPL, stft(torch.from_numpy(clip)).numpy())
    for item in a.check:
        path, _, label = item.partition(":")
        spec = np.fromfile(path, dtype="<f4") if os.path.exists(path) else np.zeros(0)
        if spec.size != FRAMES * BINS:
            log("skipped %s: not a %d x %d float32 spectrogram" % (path, FRAMES, BINS))
            continue
        check(label or path, spec)


if __name__ == "__main__":
    main()
