#include "ml/detail/CalibrationPass.h"

#include <algorithm>

#include "ml/Calibration.h"
#include "ml/detail/TrainingPass.h"

namespace ts::ml {

namespace {

std::vector<int> labelsOf(const std::vector<int>& labels, const std::vector<std::size_t>& rows)
{
    std::vector<int> out;
    out.reserve(rows.size());
    for (std::size_t row : rows)
        out.push_back(labels[row]);
    return out;
}

} // namespace

std::vector<std::vector<std::vector<float>>> headLogits(Network& network, const Architecture& architecture,
                                                        const TrainingSet& data, const std::vector<std::size_t>& rows,
                                                        const torch::Device& device)
{
    torch::NoGradGuard noGrad;
    network.eval();
    std::vector<std::vector<std::vector<float>>> out(architecture.targets.size());
    constexpr std::size_t kBatch = 32;  // as measure() validates: the training batch's memory
    for (std::size_t begin = 0; begin < rows.size(); begin += kBatch) {
        const std::size_t end = std::min(rows.size(), begin + kBatch);
        const auto logits = network.forward(gatherRows(data.features, rows, begin, end).to(device));
        for (std::size_t h = 0; h < logits.size() && h < out.size(); ++h) {
            const auto cpu = logits[h].to(torch::kCPU, torch::kFloat32).contiguous();
            const auto classes = std::size_t(cpu.size(1));
            const float* p = cpu.data_ptr<float>();
            for (std::size_t r = 0; r < end - begin; ++r)
                out[h].emplace_back(p + r * classes, p + (r + 1) * classes);
        }
    }
    return out;
}

void calibrateHeads(Network& network, const Architecture& architecture, const TrainingSet& data,
                    const torch::Device& device, ModelMetadata& meta, bool scoreTest)
{
    meta.calibration.clear();
    if (data.validation.empty())
        return;
    const auto validation = headLogits(network, architecture, data, data.validation, device);
    const bool test = scoreTest && !data.test.empty();
    const auto testLogits = test ? headLogits(network, architecture, data, data.test, device)
                                 : std::vector<std::vector<std::vector<float>>>{};
    for (std::size_t h = 0; h < architecture.targets.size(); ++h) {
        const Target target = architecture.targets[h];
        const std::string name = targetName(target);
        const auto& labels = data.labels(target);
        const auto truth = labelsOf(labels, data.validation);
        HeadCalibration c;
        c.temperature = fitTemperature(validation[h], truth);
        c.eceValidationBefore = expectedCalibrationError(softmaxWithTemperature(validation[h], 1.0), truth);
        c.eceValidationAfter = expectedCalibrationError(softmaxWithTemperature(validation[h], c.temperature), truth);
        c.validationNotes = int(data.validation.size());
        meta.calibration[name] = c;
        if (test) {
            const auto testTruth = labelsOf(labels, data.test);
            meta.finalMetrics["test_" + name + "_ece"] =
                expectedCalibrationError(softmaxWithTemperature(testLogits[h], c.temperature), testTruth);
            meta.finalMetrics["test_" + name + "_ece_uncalibrated"] =
                expectedCalibrationError(softmaxWithTemperature(testLogits[h], 1.0), testTruth);
        }
    }
}

} // namespace ts::ml
