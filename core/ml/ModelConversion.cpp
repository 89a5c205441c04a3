#include "ml/ModelConversion.h"

#include "ml/Safetensors.h"
#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

namespace {

Result<std::string> canonical(const std::string& bytes, const std::string& path, const std::string& section)
{
    auto archive = decodeSafetensors(bytes, path, section);
    if (!archive)
        return archive.error();
    return encodeSafetensors(archive.value());
}

} // namespace

Result<ModelFile> convertModelFile(const ModelFile& file, const std::string& path)
{
    if (file.metadata.formatVersion == kModelFormatVersion) {
        ModelFile converted = file;
        auto weights = canonical(file.weights, path, "the weights section");
        if (!weights)
            return weights.error();
        converted.weights = std::move(weights).value();
        if (!file.resumeState.empty()) {
            auto resume = canonical(file.resumeState, path, "the resume state section");
            if (!resume)
                return resume.error();
            converted.resumeState = std::move(resume).value();
        }
        return converted;
    }
    const auto architecture = architectureOf(file.metadata, path);
    if (!architecture)
        return architecture.error();
    auto runtime = detail::torchRuntime();
    if (!runtime)
        return runtime.error();
    return runtime.value()->convertModelFile(file, *architecture, path);
}

} // namespace ts::ml
