#include "ml/ModelCalibration.h"

#include "ml/ModelConversion.h"
#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

Result<ModelFile> calibrateModelFile(const ModelFile& file, const TrainingSet& data, const std::string& path)
{
    const auto architecture = architectureOf(file.metadata, path);
    if (!architecture)
        return architecture.error();
    if (data.features.shape() != architecture->features.shape())
        return makeError(ErrorCode::InvalidArgument, "the data's features are not the ones the model expects", path);
    if (data.validation.empty())
        return makeError(ErrorCode::InvalidArgument, "the split has no validation part to calibrate on", data.dataPath);
    // The calibrated file is written in the current format, so a format-1 file is converted first.
    auto current = convertModelFile(file, path);
    if (!current)
        return current.error();
    auto runtime = detail::torchRuntime();
    if (!runtime)
        return runtime.error();
    return runtime.value()->calibrate(current.value(), *architecture, data, path);
}

} // namespace ts::ml
