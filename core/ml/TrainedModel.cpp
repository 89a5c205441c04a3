#include "ml/TrainedModel.h"

#include "ml/Device.h"
#include "ml/detail/Network.h"

namespace ts::ml {

struct TrainedModel::Impl {
    ModelMetadata metadata;
    Architecture architecture;
    std::string path;
    std::shared_ptr<Network> network;
    std::vector<double> temperatures;  // per head, from the metadata's calibration (1 when absent)
};

TrainedModel::TrainedModel(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TrainedModel::TrainedModel(TrainedModel&&) noexcept = default;
TrainedModel& TrainedModel::operator=(TrainedModel&&) noexcept = default;
TrainedModel::~TrainedModel() = default;

const ModelMetadata& TrainedModel::metadata() const { return m_impl->metadata; }
const Architecture& TrainedModel::architecture() const { return m_impl->architecture; }
const std::string& TrainedModel::path() const { return m_impl->path; }

Result<TrainedModel> TrainedModel::load(const std::string& path)
{
    auto file = loadModelFile(path);
    if (!file)
        return file.error();
    return fromModelFile(file.value(), path);
}

Result<TrainedModel> TrainedModel::fromModelFile(const ModelFile& file, const std::string& path)
{
    auto architecture = findArchitecture(file.metadata.architecture);
    if (!architecture)
        return makeError(ErrorCode::Unsupported, "unknown model architecture '" + file.metadata.architecture + "'", path);
    if (file.metadata.featureKey != architecture->features.key())
        return makeError(ErrorCode::Unsupported, "model was trained on other features (" + file.metadata.featureKey +
                             ") than this build computes for " + architecture->id, path);
    auto impl = std::make_unique<Impl>();
    impl->metadata = file.metadata;
    impl->architecture = *architecture;
    impl->path = path;
    for (Target target : architecture->targets)
        impl->temperatures.push_back(file.metadata.temperatureOf(targetName(target)));
    impl->network = makeNetwork(architecture->id);
    if (auto s = loadModuleBytes(*impl->network, file.weights, path); !s)
        return s.error();
    impl->network->eval();
    configureCpuRuntime();
    return TrainedModel(std::move(impl));
}

Result<Scores> TrainedModel::score(const float* features, std::size_t rows) const
{
    const auto shape = m_impl->architecture.features.shape();
    std::vector<std::int64_t> sizes{std::int64_t(rows)};
    for (int d : shape)
        sizes.push_back(d);
    try {
        torch::NoGradGuard noGrad;
        // from_blob does not copy; the network only reads its input.
        auto input = torch::from_blob(const_cast<float*>(features), sizes, torch::kFloat32);
        auto logits = m_impl->network->forward(input);
        Scores scores;
        const auto& targets = m_impl->architecture.targets;
        for (std::size_t head = 0; head < targets.size(); ++head) {
            // The head's fitted temperature makes the confidences calibrated (Calibration.h); dividing
            // every logit by the same positive number never changes which class is predicted.
            auto probabilities = torch::softmax(logits[head] / m_impl->temperatures[head], 1).contiguous();
            const auto classes = probabilities.size(1);
            const float* p = probabilities.data_ptr<float>();
            auto& out = targets[head] == Target::Family ? scores.family : scores.source;
            for (std::size_t r = 0; r < rows; ++r)
                out.emplace_back(p + r * classes, p + (r + 1) * classes);
        }
        return scores;
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::Internal, std::string("model failed: ") + e.what_without_backtrace(), m_impl->path);
    }
}

} // namespace ts::ml
