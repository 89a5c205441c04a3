#!/usr/bin/python3
"""One clip through one of the seed's CNNs in plain PyTorch: the peer of bench_infer's family_cnn and
source_cnn figures.

  family_cnn  the seed STFT of the 4 s test clip with torch.stft (seed_stft.py), then seed-cnn2d
              on it:  infer.family_cnn.total_ms.tT, with .spectrogram_ms.tT and .forward_ms.tT
  source_cnn  seed-cnn1d on the 64,000 samples:  infer.source_cnn.forward_ms.tT

The model is in eval mode under torch.inference_mode(), with random weights (speed does not depend
on them); the clip is already decoded (bench_infer's file_ms figures, which include reading the WAV,
have no counterpart here). Median of --n timed runs after --warmup untimed ones, spread min..max.

usage: /usr/bin/python3 bench/peer/infer_peer.py --model family_cnn|source_cnn [--n 50] [--warmup 5]
           [--threads 2]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import median_spread, now, result, test_clip, torch_with_threads  # noqa: E402

IMPL = "py-torch"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, choices=("family_cnn", "source_cnn"))
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()

    torch = torch_with_threads(a.threads)
    import seed_models
    from seed_stft import make_torch_stft
    torch.manual_seed(0)
    net = seed_models.build(a.model).eval()
    stft = make_torch_stft(torch)
    clip = torch.from_numpy(test_clip())

    spectrogram, forward, total = [], [], []
    with torch.inference_mode():
        for i in range(a.warmup + a.n):
            t0 = now()
            x = stft(clip) if a.model == "family_cnn" else clip
            t1 = now()
            label = int(net(x.unsqueeze(0)).argmax())
            t2 = now()
            if i >= a.warmup:
                spectrogram.append((t1 - t0) * 1e3)
                forward.append((t2 - t1) * 1e3)
                total.append((t2 - t0) * 1e3)
    assert 0 <= label < seed_models.classes(a.model)

    figures = (("spectrogram_ms", spectrogram), ("forward_ms", forward), ("total_ms", total))
    for what, values in figures if a.model == "family_cnn" else figures[1:2]:
        med, spread = median_spread(values)
        result(IMPL, "infer.%s.%s.t%d" % (a.model, what, a.threads), med, "ms", spread=spread, n=a.n,
               threads=a.threads)


if __name__ == "__main__":
    main()
