#include "ml/detail/TrainingAugmentation.h"

#include <algorithm>

namespace ts::ml {

torch::Tensor mixBandStatistics(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& other)
{
    const auto w = weight.view({-1, 1, 1});
    auto mean = x.mean(1, true);
    auto deviation = (x.var(1, false, true) + 1e-3).sqrt();
    auto mixedMean = w * mean + (1.0 - w) * mean.index_select(0, other);
    auto mixedDeviation = w * deviation + (1.0 - w) * deviation.index_select(0, other);
    return (x - mean) / deviation * mixedDeviation + mixedMean;
}

torch::Tensor augmentLogMel(const torch::Tensor& batch, double mixStyle)
{
    const auto b = batch.size(0), frames = batch.size(1), bands = batch.size(2);
    auto x = batch.clone();
    if (mixStyle > 0.0 && torch::rand({1}).item<double>() < mixStyle) {
        // Beta(0.3, 0.3) as the ratio of two gamma variates: mostly near 0 or 1, a clear trade or none.
        auto g1 = torch::_standard_gamma(torch::full({b}, 0.3));
        auto g2 = torch::_standard_gamma(torch::full({b}, 0.3));
        x = mixBandStatistics(x, g1 / (g1 + g2).clamp_min(1e-12), torch::randperm(b));
    }
    // Gain ±6 dB and an EQ tilt of ±3 dB from the lowest to the highest band, per note.
    auto gain = (torch::rand({b, 1, 1}) * 12.0 - 6.0);
    auto tilt = (torch::rand({b, 1, 1}) * 6.0 - 3.0) * torch::linspace(-1.0, 1.0, bands).view({1, 1, bands});
    x = x + gain + tilt + torch::randn_like(x) * 0.5;  // mild noise: half a dB
    // Onset offset of up to 8 frames (128 ms) for the whole batch, the new start filled with silence.
    const auto shift = torch::randint(-8, 9, {1}).item<std::int64_t>();
    if (shift > 0) {
        x.narrow(1, shift, frames - shift).copy_(x.narrow(1, 0, frames - shift).clone());
        x.narrow(1, 0, shift).fill_(-100.0);
    } else if (shift < 0) {
        x.narrow(1, 0, frames + shift).copy_(x.narrow(1, -shift, frames + shift).clone());
        x.narrow(1, frames + shift, -shift).fill_(-100.0);
    }
    // SpecAugment: one band mask (up to 8 bands) and one time mask (up to 25 frames) per note,
    // filled with the note's mean level.
    auto mean = x.mean({1, 2}, true);
    auto bandIndex = torch::arange(bands).view({1, 1, bands});
    auto bandWidth = torch::randint(0, 9, {b, 1, 1});
    auto bandStart = (torch::rand({b, 1, 1}) * (bands - bandWidth)).to(torch::kInt64);
    auto frameIndex = torch::arange(frames).view({1, frames, 1});
    auto frameWidth = torch::randint(0, 26, {b, 1, 1});
    auto frameStart = (torch::rand({b, 1, 1}) * (frames - frameWidth)).to(torch::kInt64);
    auto mask = (bandIndex >= bandStart).logical_and(bandIndex < bandStart + bandWidth)
                    .logical_or((frameIndex >= frameStart).logical_and(frameIndex < frameStart + frameWidth));
    return torch::where(mask, mean.expand_as(x), x).clamp_min(-100.0);
}

} // namespace ts::ml
