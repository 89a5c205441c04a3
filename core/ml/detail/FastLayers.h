#pragma once
// PRIVATE to core/ml (includes torch). Layers of the seed's networks done faster and in less
// memory on this CPU than LibTorch 1.13's generic ops, each equal to its LibTorch composition in
// value and gradient (dropout: in distribution). CPU float tensors only; anything else (CUDA, other
// dtypes) goes through the LibTorch ops, so results never depend on which path ran.
#include <torch/torch.h>

namespace ts::ml {

// relu(max_pool2d(x, 2)) on [N, C, H, W] (floor mode, stride 2). Keras' Conv2D(relu) + MaxPool
// is the same function, ReLU being monotonic. Autograd keeps one byte per output (which of the
// four inputs won, or none when the result is <= 0) instead of the input, the int64 indices and
// the ReLU output that LibTorch's pair keeps: about a third of seed-cnn2d's activation memory.
// Output and gradient are channels-last (the layout oneDNN's convolutions prefer); ties go to
// the first element in row-major order, as LibTorch's max-pool.
torch::Tensor maxPoolRelu2d(const torch::Tensor& x);

// relu(max_pool1d(x, 2)) on [N, C, L] (floor mode, stride 2), the same way.
torch::Tensor maxPoolRelu1d(const torch::Tensor& x);

// Inverted dropout, as torch::dropout (zero with probability p, scale the rest by 1 / (1 - p)),
// with the mask drawn in parallel by a counter-based hash (splitmix64 of seed + index). Debian's
// LibTorch has no MKL, so bernoulli_ draws each element serially through mt19937, about 20 ns
// apiece: a quarter of a seed-cnn1d training step. The seed comes from torch's default
// generator, so torch::manual_seed keeps training repeatable, and the mask does not depend on the
// thread count.
torch::Tensor fastDropout(const torch::Tensor& x, double p, bool training);

// The seed's two dropouts in a row (rate a, Flatten, rate b) as one of rate 1 - (1 - a)(1 - b):
// the product of two independent keep masks is a keep mask of probability (1 - a)(1 - b), so
// the output has the same distribution, for one mask and one product instead of two.
inline double chainedDropoutRate(double a, double b) { return 1.0 - (1.0 - a) * (1.0 - b); }

} // namespace ts::ml
