#include "ml/detail/TrainingPass.h"

#include <algorithm>
#include <cstring>

#include "ml/detail/TrainingAugmentation.h"
#include "util/SplitMix64.h"

namespace ts::ml {

namespace fn = torch::nn::functional;

torch::Tensor gatherRows(const dataset::FeatureMatrix& features, const std::vector<std::size_t>& rows,
                         std::size_t begin, std::size_t end)
{
    std::vector<std::int64_t> sizes{std::int64_t(end - begin)};
    for (int d : features.shape())
        sizes.push_back(d);
    auto batch = torch::empty(sizes, torch::kFloat32);
    if (auto read = features.readRows(rows, begin, end, batch.data_ptr<float>()); !read)
        throw FeatureReadFailure(read.error());
    return batch;
}

torch::Tensor gatherRecordedRows(const TrainingSet& data, const std::vector<std::size_t>& rows, std::size_t begin,
                                 std::size_t end, std::uint64_t drawSeed)
{
    auto batch = gatherRows(data.features, rows, begin, end);
    float* out = batch.data_ptr<float>();
    const std::size_t rowSize = data.features.rowSize();
    const auto copies = float(data.recordings.size());
    for (std::size_t i = begin; i < end; ++i) {
        SplitMix64 draws(drawSeed ^ (std::uint64_t(i) * 0x9E3779B97F4A7C15ull));
        const float draw = float(draws.next() >> 40) / float(1u << 24);  // uniform in [0, 1)
        if (draw >= kRecordedShare)
            continue;
        const auto k = std::min(std::size_t(draw / kRecordedShare * copies), data.recordings.size() - 1);
        if (auto read = data.recordings[k].readRows(rows, i, i + 1, out + (i - begin) * rowSize); !read)
            throw FeatureReadFailure(read.error());
    }
    return batch;
}

torch::Tensor gatherTrainingInput(const TrainingSet& data, const std::vector<std::size_t>& rows, std::size_t begin,
                                  std::size_t end, bool recorded, std::uint64_t drawSeed)
{
    return recorded && !data.recordings.empty() ? gatherRecordedRows(data, rows, begin, end, drawSeed)
                                                : gatherRows(data.features, rows, begin, end);
}

torch::Tensor gatherLabels(const std::vector<int>& labels, const std::vector<std::size_t>& rows, std::size_t begin,
                           std::size_t end)
{
    auto out = torch::empty({std::int64_t(end - begin)}, torch::kInt64);
    auto* p = out.data_ptr<std::int64_t>();
    for (std::size_t i = begin; i < end; ++i)
        p[i - begin] = labels[rows[i]];
    return out;
}

double labelSmoothingFor(const Architecture& architecture) { return architecture.id == "timbre-net" ? 0.1 : 0.0; }

BatchResult trainOnBatch(Network& network, torch::optim::Optimizer& optimizer, const Architecture& architecture,
                         const TrainingSet& data, torch::Tensor input, const std::vector<std::size_t>& rows,
                         std::size_t begin, std::size_t end, const torch::Device& device, double labelSmoothing,
                         bool augment, double mixStyle, const std::function<void()>& beforeStep)
{
    auto x = std::move(input);
    if (augment)
        x = augmentLogMel(x, mixStyle);
    x = x.to(device);
    optimizer.zero_grad();
    auto logits = network.forward(x);
    BatchResult result;
    result.correct.assign(logits.size(), 0);
    torch::Tensor loss = torch::zeros({}, torch::TensorOptions().device(device));
    for (std::size_t h = 0; h < logits.size(); ++h) {
        const auto& labels = data.labels(architecture.targets[h]);
        auto y = gatherLabels(labels, rows, begin, end).to(device);
        loss = loss + fn::cross_entropy(logits[h], y, fn::CrossEntropyFuncOptions().label_smoothing(labelSmoothing));
        result.correct[h] = logits[h].argmax(1).eq(y).sum().item<std::int64_t>();
    }
    loss.backward();
    if (beforeStep)
        beforeStep();
    optimizer.step();
    result.loss = loss.item<double>();
    return result;
}

PassResult measure(Network& network, const Architecture& architecture, const TrainingSet& data,
                   const std::vector<std::size_t>& rows, const torch::Device& device, double labelSmoothing)
{
    torch::NoGradGuard noGrad;
    network.eval();
    PassResult result;
    std::vector<std::int64_t> correct(architecture.targets.size(), 0);
    // Batches of 32, the default training batch: with 64, validating seed-cnn2d raised the peak
    // memory of a whole epoch by ~100 MiB over its training steps (bench_train); speed is the same.
    constexpr std::size_t kBatch = 32;
    for (std::size_t begin = 0; begin < rows.size(); begin += kBatch) {
        const std::size_t end = std::min(rows.size(), begin + kBatch);
        auto logits = network.forward(gatherRows(data.features, rows, begin, end).to(device));
        for (std::size_t h = 0; h < architecture.targets.size(); ++h) {
            const auto& labels = data.labels(architecture.targets[h]);
            auto y = gatherLabels(labels, rows, begin, end).to(device);
            result.loss += fn::cross_entropy(logits[h], y, fn::CrossEntropyFuncOptions().label_smoothing(labelSmoothing))
                               .item<double>() * double(end - begin);
            correct[h] += logits[h].argmax(1).eq(y).sum().item<std::int64_t>();
        }
    }
    const double n = std::max<std::size_t>(1, rows.size());
    result.loss /= n;
    for (std::size_t h = 0; h < architecture.targets.size(); ++h)
        result.accuracy[targetName(architecture.targets[h])] = double(correct[h]) / n;
    return result;
}

} // namespace ts::ml
