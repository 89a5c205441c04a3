"""What every script of Timbrescope's Python peer shares: the shapes of an NSynth note and of the
seed STFT, the RESULT line our bench_*.cpp also print (bench/BenchReport.h), timing helpers and the
deterministic test clip.

A RESULT line is

    RESULT impl=<impl> figure=<figure> value=<number> unit=<unit> [key=value ...]

where impl gets $BENCH_IMPL_SUFFIX appended (bench/run_bench.sh sets "+glibc-tuned" for the peer's
second run), and a repeated figure reports its median with spread=min..max.
"""
import os
import resource
import statistics
import sys
import time

import numpy as np

RATE = 16000
CLIP = 64000              # the models' view of a note: 4 s at 16 kHz (core/audio/AudioFile.h)
FRAME = 255               # seed STFT (core/dsp/SeedStft.h): 255-sample frames,
HOP = 128                 #   every 128 samples,
NFFT = 256                #   each zero-padded to a 256-point real FFT,
BINS = NFFT // 2 + 1      #   129 bins of linear magnitude,
FRAMES = 1 + (CLIP - FRAME) // HOP   # 499 frames, no padding of the signal
FAMILIES = 11
SOURCES = 3


def fmt(value):
    """Numbers as BenchReport.h's bench::format writes them."""
    a = abs(value)
    if value != 0 and (a < 1e-3 or a >= 1e7):
        return "%.3e" % value
    return "%.4g" % value if a < 1 else "%.2f" % value


def result(impl, figure, value, unit, **extra):
    impl += os.environ.get("BENCH_IMPL_SUFFIX", "")
    words = ["RESULT", "impl=" + impl, "figure=" + figure, "value=" + fmt(float(value)), "unit=" + unit]
    for key, v in extra.items():
        if isinstance(v, tuple):
            v = "%s..%s" % (fmt(float(v[0])), fmt(float(v[1])))
        elif isinstance(v, float):
            v = fmt(v)
        words.append("%s=%s" % (key, str(v).replace(" ", "_")))
    print(" ".join(words), flush=True)


def median_spread(values):
    return statistics.median(values), (min(values), max(values))


def now():
    return time.perf_counter()


def log(*words):
    print("#", *words, file=sys.stderr, flush=True)


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0   # KiB on Linux


def torch_with_threads(threads):
    """torch with `threads` intra-op threads and one inter-op thread, as our benchmarks run LibTorch.
    Debian's torch starts with one intra-op thread on some machines, so the count is always set."""
    import torch
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:   # already set in this process
        pass
    return torch


def test_clip(seed=1234):
    """A note-like 4 s clip, quantised as a 16-bit WAV would be: seven harmonics of C4 with an
    exponential decay and a little noise. bench_infer.cpp's testClip is the same recipe."""
    rng = np.random.default_rng(seed)
    t = np.arange(CLIP) / RATE
    tone = sum(0.5 / h * np.sin(2 * np.pi * 261.63 * h * t + h) for h in range(1, 8))
    x = np.exp(-1.5 * t) * tone + 0.02 * rng.standard_normal(CLIP)
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767)
    return (pcm / 32768.0).astype(np.float32)


def noise_clips(n, seed=0):
    """n clips of uniform noise in [-1, 1), as bench_stft.cpp times."""
    return np.random.default_rng(seed).uniform(-1.0, 1.0, (n, CLIP)).astype(np.float32)
