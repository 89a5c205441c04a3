#!/usr/bin/python3
"""Training throughput of one of the seed's models in plain PyTorch: the peer of bench_train.

A training step is what the Trainer does per batch and what a PyTorch user writes: forward,
cross-entropy on the logits (Keras' sparse_categorical_crossentropy(from_logits=True)), backward,
an Adam step (learning rate 1e-3). The inputs are random rows of the model's shape, drawn as
bench_train draws them (|STFT|-like values in [0, 10) for the family models, audio in [-1, 1) for the
source models), `--distinct` batches cycled; the first `--warmup` batches are not timed. Then the
model in eval mode without gradients goes over `--eval-batches` batches (the validation pass).

Figures (impl py-torch; <m> is family_cnn, family_lr, source_cnn or source_lr):
  train.<m>.samples_per_s   train.<m>.batch_ms (median)   train.<m>.gflops_achieved
  eval.<m>.samples_per_s    train.<m>.peak_rss_inproc (getrusage; run_bench.sh also measures the
  whole process with /usr/bin/time -v as train.<m>.peak_rss)
  estimate.<m>.epoch<N>_s, estimate.<m>.<E>epochs_min   (N / samples_per_s, E epochs of it)

usage: /usr/bin/python3 bench/peer/train_peer.py --model family_cnn [--batches 8] [--warmup 1]
           [--batch-size 32] [--threads 2] [--epoch-samples 3072] [--epochs 0] [--eval-batches 4]
           [--distinct 4] [--seed 0]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import log, median_spread, now, peak_rss_mib, result, torch_with_threads  # noqa: E402

IMPL = "py-torch"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="family_cnn, family_lr, source_cnn, source_lr (or seed-* names)")
    ap.add_argument("--batches", type=int, default=8, help="timed training batches")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epoch-samples", type=int, default=3072)
    ap.add_argument("--epochs", type=int, default=0)
    ap.add_argument("--eval-batches", type=int, default=4)
    ap.add_argument("--distinct", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    torch = torch_with_threads(a.threads)
    import seed_models
    by_architecture = {v: k for k, v in seed_models.ARCHITECTURE.items()}
    m = by_architecture.get(a.model, a.model)
    if m not in seed_models.MODELS:
        ap.error("unknown model %s" % a.model)
    torch.manual_seed(a.seed)
    net = seed_models.build(m)
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_of = torch.nn.CrossEntropyLoss()
    shape, n_classes, bs = seed_models.input_shape(m), seed_models.classes(m), a.batch_size
    u = [torch.rand((bs,) + shape) for _ in range(max(1, a.distinct))]
    xs = [10.0 * x for x in u] if m.startswith("family") else [2.0 * x - 1.0 for x in u]
    ys = [torch.randint(0, n_classes, (bs,)) for _ in xs]
    log("model %s (%s) params %d input %s threads %d"
        % (m, seed_models.ARCHITECTURE[m], seed_models.PARAMETERS[m], shape, a.threads))

    net.train()
    times = []
    for b in range(a.warmup + a.batches):
        x, y = xs[b % len(xs)], ys[b % len(ys)]
        start = now()
        optimiser.zero_grad()
        loss = loss_of(net(x), y)
        loss.backward()
        optimiser.step()
        elapsed = now() - start
        if b >= a.warmup:
            times.append(elapsed)
        log("batch %d %.1f ms loss %.4f%s" % (b, elapsed * 1e3, loss.item(), " (warm-up)" if b < a.warmup else ""))

    sps = bs * len(times) / sum(times)
    rates = [bs / t for t in times]
    ms, ms_spread = median_spread([t * 1e3 for t in times])
    result(IMPL, "train.%s.samples_per_s" % m, sps, "samples/s", spread=(min(rates), max(rates)),
           batches=len(times), bs=bs, threads=a.threads, torch=torch.__version__)
    result(IMPL, "train.%s.batch_ms" % m, ms, "ms", spread=ms_spread, batches=len(times))
    result(IMPL, "train.%s.gflops_achieved" % m, seed_models.train_flops(m) * bs / (sum(times) / len(times)) / 1e9,
           "GFLOP/s", note="conv+dense_train_flops/time")

    if a.eval_batches > 0:
        net.eval()
        with torch.inference_mode():
            net(xs[0])
            start = now()
            for b in range(a.eval_batches):
                net(xs[b % len(xs)])
            elapsed = now() - start
        result(IMPL, "eval.%s.samples_per_s" % m, bs * a.eval_batches / elapsed, "samples/s",
               rows=bs * a.eval_batches, note="forward_only")

    result(IMPL, "train.%s.peak_rss_inproc" % m, peak_rss_mib(), "MiB", note="getrusage_maxrss")
    epoch = a.epoch_samples / sps
    result(IMPL, "estimate.%s.epoch%d_s" % (m, a.epoch_samples), epoch, "s", basis="train_samples_per_s")
    if a.epochs:
        result(IMPL, "estimate.%s.%depochs_min" % (m, a.epochs), a.epochs * epoch / 60.0, "min",
               basis="train_samples_per_s")


if __name__ == "__main__":
    main()
