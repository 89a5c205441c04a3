#pragma once
// PRIVATE to core/ml. The seam between core/ml's torch-free front (the public ml/*.h classes, linked into
// every binary) and the LibTorch runtime library libtimbrescope-torch.so (built from ml/detail/*.cpp and
// the only binary that links LibTorch). The executable loads the runtime with dlopen the first time
// something needs a network, so `info`, `render`, `features`, `--help` and the window's first second
// never pay LibTorch's start (about a second of relocations and operator registration on 2 cores).
// This header includes no torch: the front sees only these interfaces and plain ml types.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ml/Architecture.h"
#include "ml/ModelFile.h"
#include "ml/TrainedModel.h"
#include "ml/Trainer.h"
#include "ml/TrainingSet.h"
#include "ml/TrainingStep.h"
#include "util/CancellationToken.h"
#include "util/Result.h"

namespace ts::ml::detail {

// A loaded network, ready to score (TrainedModel's engine).
class NetworkRunner {
public:
    virtual ~NetworkRunner() = default;
    virtual Result<Scores> score(const float* features, std::size_t rows) const = 0;
    virtual Result<Embeddings> embed(const float* features, std::size_t rows) const = 0;
    // The saliency of class `classIndex` of head `head` (the architecture's target order) for one row.
    virtual Result<Saliency> explain(const float* features, std::size_t head, int classIndex, SaliencyMethod method) const = 0;
};

// TrainingStep's engine: a network and its optimiser kept between calls.
class TrainingStepRunner {
public:
    virtual ~TrainingStepRunner() = default;
    virtual Result<TrainingStep::BatchOutcome> train(const TrainingSet& data, const std::vector<std::size_t>& rows,
                                                     std::size_t begin, std::size_t end) = 0;
    virtual Result<TrainingStep::PassOutcome> validate(const TrainingSet& data, const std::vector<std::size_t>& rows) = 0;
    virtual ModelFile modelFile() const = 0;
};

class TorchRuntime {
public:
    virtual ~TorchRuntime() = default;
    virtual std::size_t cudaDeviceCount() const = 0;
    virtual void configureCpuRuntime(int threads) const = 0;
    virtual std::int64_t countParameters(const Architecture& architecture) const = 0;  // -1 when unknown
    virtual std::vector<LayerShape> layerShapes(const std::string& architectureId) const = 0;
    // `weights` in model file format `formatVersion` (ModelFile.h). `temperatures`: one per head, in
    // the architecture's target order.
    virtual Result<std::unique_ptr<NetworkRunner>> loadNetwork(const Architecture& architecture,
                                                               const std::string& weights,
                                                               std::uint32_t formatVersion,
                                                               const std::vector<double>& temperatures,
                                                               const std::string& pathForErrors) const = 0;
    virtual Result<TrainingOutcome> train(const TrainingOptions& options, const TrainingSet& data,
                                          const TrainingCallbacks& callbacks, const CancellationToken& cancel) const = 0;
    virtual Result<std::unique_ptr<TrainingStepRunner>> createTrainingStep(const Architecture& architecture,
                                                                           const TrainingOptions& options) const = 0;
    virtual Result<ModelFile> calibrate(const ModelFile& file, const Architecture& architecture,
                                        const TrainingSet& data, const std::string& pathForErrors) const = 0;
    // convertModelFile's work for a file whose weights are LibTorch archives (ModelConversion.h).
    virtual Result<ModelFile> convertModelFile(const ModelFile& file, const Architecture& architecture,
                                               const std::string& pathForErrors) const = 0;
};

// The runtime, loaded on the first call (thread-safe; later calls return at once). The error names the
// library and why it could not be loaded. Searched: $TIMBRESCOPE_TORCH_RUNTIME, then next to the
// executable, then <prefix>/lib/timbrescope/ beside an installed bin/, then the build tree's copy.
Result<const TorchRuntime*> torchRuntime();

// Called by the runtime library's entry point, so that the front's code compiled into the library
// itself finds the runtime without loading anything.
void installTorchRuntime(const TorchRuntime* runtime);

// Bumped whenever TorchRuntime or the types it passes change layout: a runtime library from another
// build is refused instead of called with the wrong layout.
inline constexpr int kTorchRuntimeInterface = 4;

} // namespace ts::ml::detail

// The runtime library's only exported symbol: the runtime, or null when `interfaceVersion` differs.
extern "C" const ts::ml::detail::TorchRuntime* timbrescope_torch_runtime(int interfaceVersion);
