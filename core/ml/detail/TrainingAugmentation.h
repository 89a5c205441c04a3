#pragma once
// PRIVATE to core/ml (includes torch). timbre-net's training-time augmentation on a batch of
// log-mel spectrograms [batch, frames, bands] in dB: only changes an instrument's identity
// survives (level, a little time offset, mild EQ and noise, SpecAugment-style masks); nothing
// that changes pitch or family.
#include <torch/torch.h>

namespace ts::ml {

// mixStyle: the probability that the batch also gets frequency MixStyle: each note's log-mel is
// normalised per band (its mean and standard deviation over time) and given a mix of its own and
// another note's band statistics, weight ~ Beta(0.3, 0.3). What a band's level and spread are (a
// recording chain's colour, a generator's) varies while the note's shape in time and across
// neighbouring bands stays.
torch::Tensor augmentLogMel(const torch::Tensor& batch, double mixStyle = 0.0);

// Frequency MixStyle itself on [batch, frames, bands]: note i, normalised per band over time, takes
// weight[i] of its own band means and deviations and 1 - weight[i] of note other[i]'s.
torch::Tensor mixBandStatistics(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& other);

} // namespace ts::ml
