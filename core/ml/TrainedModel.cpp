#include "ml/TrainedModel.h"

#include <algorithm>

#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

struct TrainedModel::Impl {
    ModelMetadata metadata;
    Architecture architecture;
    std::string path;
    std::unique_ptr<detail::NetworkRunner> network;
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
    auto architecture = architectureOfModel(file.metadata.architecture, file.metadata.targets, file.metadata.labels, path);
    if (!architecture)
        return architecture.error();
    if (file.metadata.featureKey != architecture->features.key())
        return makeError(ErrorCode::Unsupported, "model was trained on other features (" + file.metadata.featureKey +
                             ") than this build computes for " + architecture->id, path);
    // Per head, from the metadata's calibration (1 when absent).
    std::vector<double> temperatures;
    for (Target target : architecture->targets)
        temperatures.push_back(file.metadata.temperatureOf(targetName(target)));
    auto runtime = detail::torchRuntime();
    if (!runtime)
        return runtime.error();
    auto network = runtime.value()->loadNetwork(*architecture, file.weights, file.metadata.formatVersion, temperatures, path);
    if (!network)
        return network.error();
    auto impl = std::make_unique<Impl>();
    impl->metadata = file.metadata;
    impl->architecture = *architecture;
    impl->path = path;
    impl->network = std::move(network).value();
    return TrainedModel(std::move(impl));
}

Result<Scores> TrainedModel::score(const float* features, std::size_t rows) const
{
    return m_impl->network->score(features, rows);
}

Result<Embeddings> TrainedModel::embed(const float* features, std::size_t rows) const
{
    return m_impl->network->embed(features, rows);
}

Result<Saliency> TrainedModel::explain(const float* features, Target target, int classIndex, SaliencyMethod method) const
{
    const auto& targets = m_impl->architecture.targets;
    const auto head = std::find(targets.begin(), targets.end(), target);
    if (head == targets.end())
        return makeError(ErrorCode::InvalidArgument, m_impl->architecture.id + " does not predict the " + targetName(target),
                         m_impl->path);
    const int classes = int(labelsOf(m_impl->architecture, target).size());
    if (classIndex < 0 || classIndex >= classes)
        return makeError(ErrorCode::InvalidArgument, "class " + std::to_string(classIndex) + " is not one of the " +
                                                         std::to_string(classes) + " " + targetName(target) + " classes",
                         m_impl->path);
    return m_impl->network->explain(features, std::size_t(head - targets.begin()), classIndex, method);
}

} // namespace ts::ml
