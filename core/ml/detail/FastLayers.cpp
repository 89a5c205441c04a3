#include "ml/detail/FastLayers.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <ATen/Parallel.h>

namespace ts::ml {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

constexpr std::uint8_t kNoWinner = 255;  // the pooled value was <= 0 (or NaN): ReLU passes no gradient

bool fastPathApplies(const torch::Tensor& x)
{
    return x.device().is_cpu() && x.scalar_type() == torch::kFloat32 && !x.is_mkldnn() && x.numel() > 0;
}

// Max of n candidates in order, LibTorch's rule: a later one wins only if strictly greater, or NaN.
inline void pick(float v, std::uint8_t index, float& best, std::uint8_t& winner)
{
    if (v > best || std::isnan(v)) {
        best = v;
        winner = index;
    }
}

inline void reluOut(float best, std::uint8_t winner, float& out, std::uint8_t& code)
{
    if (best > 0.0f) {
        out = best;
        code = winner;
    } else {
        out = std::isnan(best) ? best : 0.0f;  // clamp_min keeps NaN; its gradient is 0 there
        code = kNoWinner;
    }
}

class MaxPoolRelu2dFunction : public torch::autograd::Function<MaxPoolRelu2dFunction> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input)
    {
        const auto x = input.contiguous(torch::MemoryFormat::ChannelsLast);
        const std::int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3), oh = h / 2, ow = w / 2;
        auto out = torch::empty({n, c, oh, ow}, x.options().memory_format(torch::MemoryFormat::ChannelsLast));
        auto codes = torch::empty({n, oh, ow, c}, x.options().dtype(torch::kUInt8));
        const float* in = x.data_ptr<float>();
        float* o = out.data_ptr<float>();
        std::uint8_t* k = codes.data_ptr<std::uint8_t>();
        at::parallel_for(0, n * oh, 1, [&](std::int64_t first, std::int64_t last) {
            for (std::int64_t row = first; row < last; ++row) {
                const std::int64_t b = row / oh, r = row % oh;
                const float* top = in + ((b * h + 2 * r) * w) * c;
                const float* bottom = top + w * c;
                float* orow = o + row * ow * c;
                std::uint8_t* krow = k + row * ow * c;
                for (std::int64_t col = 0; col < ow; ++col) {
                    const float* p00 = top + 2 * col * c;
                    const float* p10 = bottom + 2 * col * c;
                    for (std::int64_t ch = 0; ch < c; ++ch) {
                        float best = p00[ch];
                        std::uint8_t winner = 0;
                        pick(p00[c + ch], 1, best, winner);
                        pick(p10[ch], 2, best, winner);
                        pick(p10[c + ch], 3, best, winner);
                        reluOut(best, winner, orow[col * c + ch], krow[col * c + ch]);
                    }
                }
            }
        });
        ctx->save_for_backward({codes});
        ctx->saved_data["h"] = h;
        ctx->saved_data["w"] = w;
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto codes = ctx->get_saved_variables()[0];
        const std::int64_t h = ctx->saved_data["h"].toInt(), w = ctx->saved_data["w"].toInt();
        const std::int64_t n = codes.size(0), oh = codes.size(1), ow = codes.size(2), c = codes.size(3);
        const auto g = grads[0].contiguous(torch::MemoryFormat::ChannelsLast);
        // Every input element is written below (so no zero fill first), except a last odd row or
        // column that no window covered.
        auto gradIn = torch::empty({n, c, h, w}, g.options().memory_format(torch::MemoryFormat::ChannelsLast));
        const float* go = g.data_ptr<float>();
        const std::uint8_t* k = codes.data_ptr<std::uint8_t>();
        float* gi = gradIn.data_ptr<float>();
        at::parallel_for(0, n * oh, 1, [&](std::int64_t first, std::int64_t last) {
            for (std::int64_t row = first; row < last; ++row) {
                const std::int64_t b = row / oh, r = row % oh;
                float* top = gi + ((b * h + 2 * r) * w) * c;
                float* bottom = top + w * c;
                const float* grow = go + row * ow * c;
                const std::uint8_t* krow = k + row * ow * c;
                for (std::int64_t col = 0; col < ow; ++col) {
                    float* p00 = top + 2 * col * c;
                    float* p10 = bottom + 2 * col * c;
                    for (std::int64_t ch = 0; ch < c; ++ch) {
                        const float v = grow[col * c + ch];
                        const std::uint8_t code = krow[col * c + ch];
                        p00[ch] = code == 0 ? v : 0.0f;
                        p00[c + ch] = code == 1 ? v : 0.0f;
                        p10[ch] = code == 2 ? v : 0.0f;
                        p10[c + ch] = code == 3 ? v : 0.0f;
                    }
                }
                if (w % 2) {
                    std::fill(top + (w - 1) * c, top + w * c, 0.0f);
                    std::fill(bottom + (w - 1) * c, bottom + w * c, 0.0f);
                }
            }
        });
        if (h % 2)
            gradIn.narrow(2, h - 1, 1).zero_();
        return {gradIn};
    }
};

class MaxPoolRelu1dFunction : public torch::autograd::Function<MaxPoolRelu1dFunction> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input)
    {
        const auto x = input.contiguous();
        const std::int64_t rows = x.size(0) * x.size(1), l = x.size(2), ol = l / 2;
        auto out = torch::empty({x.size(0), x.size(1), ol}, x.options());
        auto codes = torch::empty({x.size(0), x.size(1), ol}, x.options().dtype(torch::kUInt8));
        const float* in = x.data_ptr<float>();
        float* o = out.data_ptr<float>();
        std::uint8_t* k = codes.data_ptr<std::uint8_t>();
        at::parallel_for(0, rows, 1, [&](std::int64_t first, std::int64_t last) {
            for (std::int64_t row = first; row < last; ++row) {
                const float* p = in + row * l;
                float* orow = o + row * ol;
                std::uint8_t* krow = k + row * ol;
                for (std::int64_t i = 0; i < ol; ++i) {
                    float best = p[2 * i];
                    std::uint8_t winner = 0;
                    pick(p[2 * i + 1], 1, best, winner);
                    reluOut(best, winner, orow[i], krow[i]);
                }
            }
        });
        ctx->save_for_backward({codes});
        ctx->saved_data["l"] = l;
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto codes = ctx->get_saved_variables()[0];
        const std::int64_t l = ctx->saved_data["l"].toInt();
        const std::int64_t rows = codes.size(0) * codes.size(1), ol = codes.size(2);
        const auto g = grads[0].contiguous();
        auto gradIn = torch::empty({codes.size(0), codes.size(1), l}, g.options());
        const float* go = g.data_ptr<float>();
        const std::uint8_t* k = codes.data_ptr<std::uint8_t>();
        float* gi = gradIn.data_ptr<float>();
        at::parallel_for(0, rows, 1, [&](std::int64_t first, std::int64_t last) {
            for (std::int64_t row = first; row < last; ++row) {
                float* p = gi + row * l;
                const float* grow = go + row * ol;
                const std::uint8_t* krow = k + row * ol;
                for (std::int64_t i = 0; i < ol; ++i) {
                    p[2 * i] = krow[i] == 0 ? grow[i] : 0.0f;
                    p[2 * i + 1] = krow[i] == 1 ? grow[i] : 0.0f;
                }
                if (l % 2)
                    p[l - 1] = 0.0f;
            }
        });
        return {gradIn};
    }
};

} // namespace

torch::Tensor maxPoolRelu2d(const torch::Tensor& x)
{
    if (!fastPathApplies(x) || x.dim() != 4 || x.size(2) < 2 || x.size(3) < 2)
        return torch::relu(torch::max_pool2d(x, 2));
    return MaxPoolRelu2dFunction::apply(x);
}

torch::Tensor maxPoolRelu1d(const torch::Tensor& x)
{
    if (!fastPathApplies(x) || x.dim() != 3 || x.size(2) < 2)
        return torch::relu(torch::max_pool1d(x, 2));
    return MaxPoolRelu1dFunction::apply(x);
}

torch::Tensor fastDropout(const torch::Tensor& x, double p, bool training)
{
    if (!training || p <= 0.0)
        return x;
    if (!fastPathApplies(x) || p >= 1.0)
        return torch::dropout(x, p, training);
    const auto seed = std::uint64_t(torch::randint(std::numeric_limits<std::int64_t>::max(), {1}, torch::kInt64).item<std::int64_t>());
    auto mask = torch::empty(x.sizes(), torch::kFloat32);
    float* m = mask.data_ptr<float>();
    const float scale = float(1.0 / (1.0 - p));
    const auto threshold = std::uint32_t(std::min(p * 4294967296.0, 4294967295.0));
    at::parallel_for(0, mask.numel(), 1 << 16, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
            std::uint64_t z = seed + std::uint64_t(i) * 0x9E3779B97F4A7C15ULL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            z ^= z >> 31;
            m[i] = std::uint32_t(z >> 32) >= threshold ? scale : 0.0f;
        }
    });
    return x * mask;
}

} // namespace ts::ml
