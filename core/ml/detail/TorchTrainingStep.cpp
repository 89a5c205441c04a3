#include "ml/detail/TorchBackend.h"

#include "ml/Device.h"
#include "ml/detail/Network.h"
#include "ml/detail/TorchModelFormat.h"
#include "ml/detail/TrainingPass.h"

namespace ts::ml {

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

// TrainingStep's engine: the Trainer's per-batch code (TrainingPass) on a network and Adam state kept
// between calls.
class TorchTrainingStep final : public detail::TrainingStepRunner {
public:
    Architecture architecture;
    TrainingOptions options;
    torch::Device device{torch::kCPU};
    std::shared_ptr<Network> network;
    std::unique_ptr<torch::optim::Adam> optimizer;
    std::uint64_t calls = 0;

    Result<TrainingStep::BatchOutcome> train(const TrainingSet& data, const std::vector<std::size_t>& rows,
                                                 std::size_t begin, std::size_t end) override
    {
        auto& m = *this;
        if (auto s = checkRows(m.architecture, data, rows, begin, end); !s)
            return s.error();
        if (end - begin < 2)
            return makeError(ErrorCode::InvalidArgument, "a training batch needs at least 2 rows");
        try {
            m.network->train();
            const bool augment = m.options.augment && m.architecture.id == "timbre-net";
            // One draw seed per call, counted like the Trainer's epochs, so repeated calls on the
            // same rows do not always take the same simulated recordings.
            const auto input = gatherTrainingInput(data, rows, begin, end, augment, m.options.seed * 1000003ULL + ++m.calls);
            const auto step = trainOnBatch(*m.network, *m.optimizer, m.architecture, data, input, rows, begin, end,
                                           m.device, labelSmoothingFor(m.architecture), augment, m.options.mixStyle);
            return TrainingStep::BatchOutcome{step.loss, std::vector<long long>(step.correct.begin(), step.correct.end())};
        } catch (const FeatureReadFailure& e) {
            return e.error();
        } catch (const c10::Error& e) {
            return makeError(ErrorCode::Internal, std::string("training failed in LibTorch: ") + e.what_without_backtrace());
        }
    }

    Result<TrainingStep::PassOutcome> validate(const TrainingSet& data, const std::vector<std::size_t>& rows) override
    {
        auto& m = *this;
        if (auto s = checkRows(m.architecture, data, rows, 0, rows.size()); !s)
            return s.error();
        try {
            const auto pass = measure(*m.network, m.architecture, data, rows, m.device, labelSmoothingFor(m.architecture));
            return TrainingStep::PassOutcome{pass.loss, pass.accuracy};
        } catch (const FeatureReadFailure& e) {
            return e.error();
        } catch (const c10::Error& e) {
            return makeError(ErrorCode::Internal, std::string("validation failed in LibTorch: ") + e.what_without_backtrace());
        }
    }

    ModelFile modelFile() const override
    {
        const auto& a = architecture;
        ModelMetadata meta;
        meta.architecture = a.id;
        for (Target t : a.targets) {
            meta.targets.push_back(targetName(t));
            meta.labels[targetName(t)] = labelsOf(a, t);
        }
        meta.featureKind = dataset::featureKindName(a.features.kind);
        meta.featureKey = a.features.key();
        meta.seed = options.seed;
        meta.batchSize = options.batchSize;
        meta.learningRate = options.learningRate;
        meta.patience = options.patience;
        meta.libraryVersions = {{"libtorch", TORCH_VERSION}, {"timbrescope", "0.1"}};
        return ModelFile{meta, saveModuleBytes(*network), {}};
    }
};

} // namespace

Result<std::unique_ptr<detail::TrainingStepRunner>> createTorchTrainingStep(const Architecture& architecture,
                                                                            const TrainingOptions& options)
{
    auto deviceName = resolveDevice(options.device);
    if (!deviceName)
        return deviceName.error();
    configureCpuRuntime(options.threads);
    try {
        auto step = std::make_unique<TorchTrainingStep>();
        step->architecture = architecture;
        step->options = options;
        step->device = torch::Device(deviceName.value());
        torch::manual_seed(options.seed);
        step->network = makeNetwork(architecture);
        step->network->to(step->device);
        step->optimizer = std::make_unique<torch::optim::Adam>(step->network->parameters(),
                                                               torch::optim::AdamOptions(options.learningRate));
        return std::unique_ptr<detail::TrainingStepRunner>(std::move(step));
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::Internal, std::string("training failed in LibTorch: ") + e.what_without_backtrace());
    }
}

} // namespace ts::ml
