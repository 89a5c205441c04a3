#include "ml/ModelCalibration.h"

#include "ml/detail/CalibrationPass.h"
#include "ml/Device.h"
#include "ml/EvaluationPart.h"
#include "ml/detail/Network.h"

namespace ts::ml {

Result<ModelFile> calibrateModelFile(const ModelFile& file, const TrainingSet& data, const std::string& path)
{
    const auto architecture = findArchitecture(file.metadata.architecture);
    if (!architecture)
        return makeError(ErrorCode::Unsupported, "unknown model architecture '" + file.metadata.architecture + "'", path);
    if (data.features.shape() != architecture->features.shape())
        return makeError(ErrorCode::InvalidArgument, "the data's features are not the ones the model expects", path);
    if (data.validation.empty())
        return makeError(ErrorCode::InvalidArgument, "the split has no validation part to calibrate on", data.dataPath);
    try {
        auto network = makeNetwork(architecture->id);
        if (auto s = loadModuleBytes(*network, file.weights, path); !s)
            return s.error();
        configureCpuRuntime();
        ModelFile calibrated = file;
        calibrateHeads(*network, *architecture, data, torch::Device(torch::kCPU), calibrated.metadata,
                       trainedOn(file.metadata, data));
        return calibrated;
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::Internal, std::string("calibration failed in LibTorch: ") + e.what_without_backtrace(), path);
    }
}

} // namespace ts::ml
