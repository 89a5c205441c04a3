#pragma once
// PRIVATE to core/ml (includes torch). timbre-net's training-time augmentation on a batch of
// log-mel spectrograms [batch, frames, bands] in dB: only changes an instrument's identity
// survives (level, a little time offset, mild EQ and noise, SpecAugment-style masks); nothing
// that changes pitch or family.
#include <torch/torch.h>

namespace ts::ml {

torch::Tensor augmentLogMel(const torch::Tensor& batch);

} // namespace ts::ml
