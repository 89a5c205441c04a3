// The LibTorch runtime library's implementation of TorchRuntime and its entry point. Everything that
// touches a tensor is reached from here; the front (ml/*.cpp) only holds the interfaces.
#include "ml/detail/TorchRuntime.h"

#include <mutex>
#include <thread>

#include <torch/torch.h>

#include "ml/EvaluationPart.h"
#include "ml/detail/CalibrationPass.h"
#include "ml/detail/TrainingPass.h"
#include "ml/detail/Network.h"
#include "ml/detail/TorchBackend.h"
#include "ml/detail/TorchModelFormat.h"
#include "util/HeapTuning.h"

namespace ts::ml {

namespace {

class TorchNetworkRunner final : public detail::NetworkRunner {
public:
    TorchNetworkRunner(Architecture architecture, std::shared_ptr<Network> network, std::vector<double> temperatures,
                       std::string path)
        : m_architecture(std::move(architecture)), m_network(std::move(network)),
          m_temperatures(std::move(temperatures)), m_path(std::move(path))
    {
    }

    Result<Scores> score(const float* features, std::size_t rows) const override
    {
        try {
            torch::NoGradGuard noGrad;
            auto logits = m_network->forward(inputOf(features, rows));
            Scores scores;
            const auto& targets = m_architecture.targets;
            for (std::size_t head = 0; head < targets.size(); ++head) {
                // The head's fitted temperature makes the confidences calibrated (Calibration.h); dividing
                // every logit by the same positive number never changes which class is predicted.
                auto probabilities = torch::softmax(logits[head] / m_temperatures[head], 1).contiguous();
                const auto classes = probabilities.size(1);
                const float* p = probabilities.data_ptr<float>();
                auto& out = scores.of(targets[head]);
                for (std::size_t r = 0; r < rows; ++r)
                    out.emplace_back(p + r * classes, p + (r + 1) * classes);
            }
            return scores;
        } catch (const c10::Error& e) {
            return makeError(ErrorCode::Internal, std::string("model failed: ") + e.what_without_backtrace(), m_path);
        }
    }

    Result<Embeddings> embed(const float* features, std::size_t rows) const override
    {
        try {
            torch::NoGradGuard noGrad;
            const auto values = m_network->embed(inputOf(features, rows));
            if (!values.defined())
                return makeError(ErrorCode::Unsupported, m_architecture.id + " has no embedding (timbre-net has)", m_path);
            const auto flat = values.to(torch::kCPU, torch::kFloat32).contiguous();
            Embeddings out;
            out.width = std::size_t(flat.size(1));
            out.values.assign(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
            return out;
        } catch (const c10::Error& e) {
            return makeError(ErrorCode::Internal, std::string("model failed: ") + e.what_without_backtrace(), m_path);
        }
    }

    Result<Saliency> explain(const float* features, std::size_t head, int classIndex, SaliencyMethod method) const override
    {
        try {
            torch::AutoGradMode gradients(true);
            m_network->eval();
            // An embedding-less network (the seed's) has no feature map either: refused for both methods.
            if (!m_network->featureMap(inputOf(features, 1)).defined())
                return makeError(ErrorCode::Unsupported, m_architecture.id + " has no saliency (timbre-net has)", m_path);
            torch::Tensor map = method == SaliencyMethod::GradCam ? gradCam(features, head, classIndex)
                                                                   : integratedGradients(features, head, classIndex);
            torch::NoGradGuard noGrad;
            const float peak = map.max().item<float>();
            if (peak > 0.0f)
                map = map / peak;
            map = map.contiguous();
            const auto shape = m_architecture.features.shape();
            Saliency out;
            out.frames = shape[0];
            out.bands = shape[1];
            out.values.assign(map.data_ptr<float>(), map.data_ptr<float>() + map.numel());
            return out;
        } catch (const c10::Error& e) {
            return makeError(ErrorCode::Internal, std::string("model failed: ") + e.what_without_backtrace(), m_path);
        }
    }

private:
    // [frames, bands], not yet scaled to a peak of 1. Gradients are taken with respect to the input
    // or the feature map alone: the parameters' gradients are left as they are.
    torch::Tensor integratedGradients(const float* features, std::size_t head, int classIndex) const
    {
        constexpr int kSteps = 32;
        const auto input = inputOf(features, 1).clone();
        // Silence (the log-mel's floor, -100 dB) everywhere but the note's loudest cell, which keeps
        // its value: the network measures every cell from the loudest (Network.cpp, blocks()), so a
        // floor everywhere would look to it like a flat spectrum at full level; this way every point
        // of the path has the note's own peak and the path runs from silence to the note.
        auto baseline = torch::full_like(input, -100.0f);
        {
            const auto flat = input.reshape({-1});
            const auto loudest = flat.argmax();
            baseline.view({-1}).index_put_({loudest}, flat.index({loudest}));
        }
        const auto alphas = (torch::arange(kSteps, torch::kFloat32) + 0.5f) / float(kSteps);
        auto path = (baseline + alphas.view({kSteps, 1, 1}) * (input - baseline)).detach().requires_grad_(true);
        const auto logits = m_network->forward(path);
        const auto score = logits.at(head).select(1, classIndex).sum();
        const auto gradient = torch::autograd::grad({score}, {path})[0];
        torch::NoGradGuard noGrad;
        return torch::relu((input - baseline)[0] * gradient.mean(0));
    }

    torch::Tensor gradCam(const float* features, std::size_t head, int classIndex) const
    {
        const auto map = m_network->featureMap(inputOf(features, 1));
        const auto logits = m_network->headsOf(map);
        const auto gradient = torch::autograd::grad({logits.at(head)[0][classIndex]}, {map})[0];
        torch::NoGradGuard noGrad;
        const auto weights = gradient.mean({2, 3}, true);
        const auto cam = torch::relu((weights * map).sum(1, true));
        const auto shape = m_architecture.features.shape();
        return torch::nn::functional::interpolate(cam, torch::nn::functional::InterpolateFuncOptions()
                                                           .size(std::vector<std::int64_t>{shape[0], shape[1]})
                                                           .mode(torch::kBilinear)
                                                           .align_corners(false))[0][0];
    }

    // The rows as the network's input; from_blob does not copy, and the network only reads it.
    torch::Tensor inputOf(const float* features, std::size_t rows) const
    {
        std::vector<std::int64_t> sizes{std::int64_t(rows)};
        for (int d : m_architecture.features.shape())
            sizes.push_back(d);
        return torch::from_blob(const_cast<float*>(features), sizes, torch::kFloat32);
    }

    Architecture m_architecture;
    std::shared_ptr<Network> m_network;
    std::vector<double> m_temperatures;
    std::string m_path;
};

class LibTorchRuntime final : public detail::TorchRuntime {
public:
    std::size_t cudaDeviceCount() const override
    {
        return torch::cuda::is_available() ? torch::cuda::device_count() : 0;
    }

    void configureCpuRuntime(int threads) const override
    {
        static std::once_flag once;
        std::call_once(once, [] {
            keepLargeBuffersOnTheHeap();
            at::globalContext().setFlushDenormal(true);
        });
        const int n = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
        // LibTorch sizes its pools from /proc/cpuinfo and throws when it cannot read it (a chroot without
        // /proc): keep its default thread count then rather than let the exception end the program.
        try {
            if (torch::get_num_threads() != n)
                torch::set_num_threads(n);
        } catch (const c10::Error&) {
        }
    }

    std::int64_t countParameters(const Architecture& architecture) const override
    {
        return networkParameterCount(architecture);
    }

    std::vector<LayerShape> layerShapes(const std::string& architectureId) const override
    {
        return networkLayerShapes(architectureId);
    }

    Result<std::unique_ptr<detail::NetworkRunner>> loadNetwork(const Architecture& architecture,
                                                               const std::string& weights,
                                                               std::uint32_t formatVersion,
                                                               const std::vector<double>& temperatures,
                                                               const std::string& path) const override
    {
        try {
            auto network = makeNetwork(architecture);
            if (!network)
                return makeError(ErrorCode::Unsupported, "unknown model architecture '" + architecture.id + "'", path);
            if (auto s = loadModuleBytes(*network, weights, formatVersion, path); !s)
                return s.error();
            network->eval();
            configureCpuRuntime(0);
            return std::unique_ptr<detail::NetworkRunner>(
                std::make_unique<TorchNetworkRunner>(architecture, std::move(network), temperatures, path));
        } catch (const c10::Error& e) {
            return makeError(ErrorCode::Internal, std::string("model failed: ") + e.what_without_backtrace(), path);
        }
    }

    Result<TrainingOutcome> train(const TrainingOptions& options, const TrainingSet& data,
                                  const TrainingCallbacks& callbacks, const CancellationToken& cancel) const override
    {
        return trainNetwork(options, data, callbacks, cancel);
    }

    Result<std::unique_ptr<detail::TrainingStepRunner>> createTrainingStep(const Architecture& architecture,
                                                                           const TrainingOptions& options) const override
    {
        return createTorchTrainingStep(architecture, options);
    }

    Result<ModelFile> calibrate(const ModelFile& file, const Architecture& architecture, const TrainingSet& data,
                                const std::string& path) const override
    {
        try {
            auto network = makeNetwork(architecture);
            if (auto s = loadModuleBytes(*network, file.weights, file.metadata.formatVersion, path); !s)
                return s.error();
            configureCpuRuntime(0);
            ModelFile calibrated = file;
            calibrateHeads(*network, architecture, data, torch::Device(torch::kCPU), calibrated.metadata,
                           trainedOn(file.metadata, data));
            return calibrated;
        } catch (const FeatureReadFailure& e) {
            return e.error();
        } catch (const c10::Error& e) {
            return makeError(ErrorCode::Internal, std::string("calibration failed in LibTorch: ") + e.what_without_backtrace(), path);
        }
    }

    Result<ModelFile> convertModelFile(const ModelFile& file, const Architecture& architecture,
                                       const std::string& path) const override
    {
        try {
            return convertToCurrentFormat(file, architecture, path);
        } catch (const c10::Error& e) {
            return makeError(ErrorCode::Internal, std::string("conversion failed in LibTorch: ") + e.what_without_backtrace(), path);
        }
    }
};

} // namespace

} // namespace ts::ml

extern "C" __attribute__((visibility("default"))) const ts::ml::detail::TorchRuntime*
timbrescope_torch_runtime(int interfaceVersion)
{
    if (interfaceVersion != ts::ml::detail::kTorchRuntimeInterface)
        return nullptr;
    static const ts::ml::LibTorchRuntime runtime;
    ts::ml::detail::installTorchRuntime(&runtime);
    return &runtime;
}
