#!/usr/bin/python3
"""The peer of bench_loader's gather figure: what a PyTorch user does with a feature cache larger
than memory — a numpy memmap of the float16 rows, random rows of it in batches, each batch made a
float32 tensor (a Dataset's __getitem__ plus the default collate, without the per-item overhead).
It reads our cache file itself, so both read the same bytes from the same page cache.

usage: loader_peer.py CACHE.bin [--rows 20000] [--batch 32] [--seed 7]

Prints RESULT impl=py-torch figure=loader.gather_rows_per_s and loader.peak_rss (MB).
"""
import argparse
import struct

import numpy as np

from peer_common import log, now, peak_rss_mib, result, torch_with_threads

# The cache header (core/dataset/detail/FeatureCacheFile.h), 128 bytes, little-endian, unpadded.
HEADER = struct.Struct("<8sII32sQI4iIQQQII16s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cache")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    torch = torch_with_threads(2)
    with open(args.cache, "rb") as f:
        fields = HEADER.unpack(f.read(HEADER.size))
    magic, version, rank, shape = fields[0], fields[1], fields[5], fields[6:10]
    element_bytes, rows, row_size, data_offset = fields[10], fields[11], fields[12], fields[13]
    if magic != b"TSFEATS\0" or version != 2:
        raise SystemExit("%s: not a feature cache of version 2" % args.cache)
    dtype = np.float16 if element_bytes == 2 else np.float32
    table = np.memmap(args.cache, dtype=dtype, mode="r", offset=data_offset, shape=(rows, row_size))
    order = np.random.default_rng(args.seed).permutation(rows)[: min(args.rows, rows)]
    log("rows", rows, "row size", row_size, "shape", shape[:rank], dtype.__name__)
    start = now()
    checksum = 0.0
    for begin in range(0, len(order) - args.batch + 1, args.batch):
        batch = torch.from_numpy(table[np.sort(order[begin:begin + args.batch])].astype(np.float32))
        checksum += float(batch[0, 0])
    seconds = now() - start
    gathered = (len(order) // args.batch) * args.batch
    log("checksum", checksum)
    result("py-torch", "loader.gather_rows_per_s", gathered / seconds, "rows/s", notes=rows)
    result("py-torch", "loader.peak_rss", peak_rss_mib() * 1.048576, "MB", notes=rows)


if __name__ == "__main__":
    main()
