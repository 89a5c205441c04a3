#include "ml/TrainingStep.h"

#include "ml/Device.h"
#include "ml/detail/Network.h"
#include "ml/detail/TrainingPass.h"

namespace ts::ml {

struct TrainingStep::Impl {
    Architecture architecture;
    TrainingOptions options;
    torch::Device device{torch::kCPU};
    std::shared_ptr<Network> network;
    std::unique_ptr<torch::optim::Adam> optimizer;
};

TrainingStep::TrainingStep(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TrainingStep::TrainingStep(TrainingStep&&) noexcept = default;
TrainingStep& TrainingStep::operator=(TrainingStep&&) noexcept = default;
TrainingStep::~TrainingStep() = default;

const Architecture& TrainingStep::architecture() const { return m_impl->architecture; }

Result<TrainingStep> TrainingStep::create(const TrainingOptions& options)
{
    auto architecture = findArchitecture(options.architecture);
    if (!architecture)
        return makeError(ErrorCode::InvalidArgument, "unknown architecture '" + options.architecture + "' (see `timbrescope models`)");
    auto deviceName = resolveDevice(options.device);
    if (!deviceName)
        return deviceName.error();
    configureCpuRuntime(options.threads);
    auto impl = std::make_unique<Impl>();
    impl->architecture = *architecture;
    impl->options = options;
    impl->device = torch::Device(deviceName.value());
    torch::manual_seed(options.seed);
    impl->network = makeNetwork(architecture->id);
    impl->network->to(impl->device);
    impl->optimizer = std::make_unique<torch::optim::Adam>(impl->network->parameters(),
                                                           torch::optim::AdamOptions(options.learningRate));
    return TrainingStep(std::move(impl));
}

namespace {

Status checkRows(const Architecture& architecture, const TrainingSet& data, const std::vector<std::size_t>& rows,
                 std::size_t begin, std::size_t end)
{
    if (data.features.shape() != architecture.features.shape())
        return makeError(ErrorCode::InvalidArgument, "features do not have the shape " + architecture.id + " expects");
    if (begin > end || end > rows.size())
        return makeError(ErrorCode::InvalidArgument, "batch rows out of range");
    for (std::size_t i = begin; i < end; ++i)
        if (rows[i] >= data.features.rows() || rows[i] >= data.family.size() || rows[i] >= data.source.size())
            return makeError(ErrorCode::InvalidArgument, "batch names a feature row the training set lacks");
    return {};
}

} // namespace

Result<TrainingStep::BatchOutcome> TrainingStep::train(const TrainingSet& data, const std::vector<std::size_t>& rows,
                                                       std::size_t begin, std::size_t end)
{
    auto& m = *m_impl;
    if (auto s = checkRows(m.architecture, data, rows, begin, end); !s)
        return s.error();
    if (end - begin < 2)
        return makeError(ErrorCode::InvalidArgument, "a training batch needs at least 2 rows");
    try {
        m.network->train();
        const bool augment = m.options.augment && m.architecture.id == "timbre-net";
        const auto step = trainOnBatch(*m.network, *m.optimizer, m.architecture, data, rows, begin, end, m.device,
                                       labelSmoothingFor(m.architecture), augment);
        return BatchOutcome{step.loss, std::vector<long long>(step.correct.begin(), step.correct.end())};
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::Internal, std::string("training failed in LibTorch: ") + e.what_without_backtrace());
    }
}

Result<TrainingStep::PassOutcome> TrainingStep::validate(const TrainingSet& data, const std::vector<std::size_t>& rows)
{
    auto& m = *m_impl;
    if (auto s = checkRows(m.architecture, data, rows, 0, rows.size()); !s)
        return s.error();
    try {
        const auto pass = measure(*m.network, m.architecture, data, rows, m.device, labelSmoothingFor(m.architecture));
        return PassOutcome{pass.loss, pass.accuracy};
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::Internal, std::string("validation failed in LibTorch: ") + e.what_without_backtrace());
    }
}

ModelFile TrainingStep::modelFile() const
{
    const auto& a = m_impl->architecture;
    ModelMetadata meta;
    meta.architecture = a.id;
    for (Target t : a.targets) {
        meta.targets.push_back(targetName(t));
        meta.labels[targetName(t)] = targetLabels(t);
    }
    meta.featureKind = dataset::featureKindName(a.features.kind);
    meta.featureKey = a.features.key();
    meta.seed = m_impl->options.seed;
    meta.batchSize = m_impl->options.batchSize;
    meta.learningRate = m_impl->options.learningRate;
    meta.patience = m_impl->options.patience;
    meta.libraryVersions = {{"libtorch", TORCH_VERSION}, {"timbrescope", "0.1"}};
    return ModelFile{meta, saveModuleBytes(*m_impl->network), {}};
}

} // namespace ts::ml
