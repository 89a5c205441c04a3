#!/usr/bin/python3
"""The peer of bench_map: what a Python user does with the same embeddings — numpy's principal
components (an eigendecomposition of the covariance), and the 20 nearest rows of one row by brute
force (one matrix-vector product over every row, then argpartition), the way a notebook finds
"sounds like this" without an index library. It reads the embeddings from our cache file
(core/map/EmbeddingCache.cpp: a 64-byte header, the note of each row as u64, then rows × width
float32) and grows them to --notes rows as bench_map does (each real row in turn, copies moved by
Gaussian noise of 0.5 % of the values' spread).

usage: map_peer.py EMBEDDINGS.bin [--notes 300000] [--queries 200]

Prints RESULT impl=py-torch figure=map.pca_seconds, map.query_ms_median, map.query_ms_p95 and
map.peak_rss (MB). (No layout: Debian ships no Python UMAP or t-SNE either.)
"""
import argparse
import struct

import numpy as np

from peer_common import log, now, peak_rss_mib, result

HEADER = struct.Struct("<8s32sQQQ")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("embeddings")
    parser.add_argument("--notes", type=int, default=300000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with open(args.embeddings, "rb") as f:
        magic, _fingerprint, _model, rows, width = HEADER.unpack(f.read(HEADER.size))
        if magic != b"TSEMBED1":
            raise SystemExit("%s: not an embedding cache" % args.embeddings)
        f.seek(HEADER.size + 8 * rows)
        real = np.frombuffer(f.read(4 * rows * width), dtype=np.float32).reshape(rows, width)
    spread = float(real.std())
    rng = np.random.default_rng(11)
    index = np.arange(args.notes) % rows
    grown = real[index].copy()
    grown[rows:] += rng.normal(0.0, 0.005 * spread, size=(args.notes - rows, width)).astype(np.float32)
    tag = dict(notes=args.notes, width=width)
    log("rows", rows, "grown to", args.notes)

    start = now()
    centred = grown - grown.mean(axis=0)
    covariance = centred.T @ centred / (len(centred) - 1)
    values, vectors = np.linalg.eigh(covariance)
    plane = centred @ vectors[:, -2:][:, ::-1]
    result("py-torch", "map.pca_seconds", now() - start, "s", **tag)
    log("plane", plane.shape, "variance shown %.3f" % (values[-2:].sum() / values.sum()))

    norms = (grown * grown).sum(axis=1)
    times = []
    for row in rng.integers(0, args.notes, size=args.queries):
        start = now()
        q = grown[row]
        distances = norms - 2.0 * (grown @ q) + float(q @ q)
        distances[row] = np.inf
        nearest = np.argpartition(distances, 20)[:20]
        nearest = nearest[np.argsort(distances[nearest])]
        times.append(1000.0 * (now() - start))
    times.sort()
    result("py-torch", "map.query_ms_median", times[len(times) // 2], "ms", **tag)
    result("py-torch", "map.query_ms_p95", times[min(len(times) - 1, len(times) * 95 // 100)], "ms", **tag)
    result("py-torch", "map.peak_rss", peak_rss_mib(), "MB", **tag)


if __name__ == "__main__":
    main()
