#include "map/HeadPredictions.h"

#include <cstring>

#include "ml/ModelConversion.h"
#include "ml/Safetensors.h"

namespace ts::map {

namespace {

// The argmax of W·e + b for every row, W and b the head's stored F32 weight and bias.
Result<std::vector<int>> headClasses(const ml::TensorArchive& weights, const std::string& head, const ml::Embeddings& embeddings,
                                     const std::string& path)
{
    const auto w = weights.tensors.find("param." + head + ".weight");
    const auto b = weights.tensors.find("param." + head + ".bias");
    const auto width = std::int64_t(embeddings.width);
    if (w == weights.tensors.end() || b == weights.tensors.end() || w->second.type != ml::TensorType::F32
        || b->second.type != ml::TensorType::F32 || w->second.shape.size() != 2 || w->second.shape[1] != width
        || b->second.shape.size() != 1 || b->second.shape[0] != w->second.shape[0] || w->second.shape[0] < 1)
        return makeError(ErrorCode::Unsupported, "the model has no linear " + head + " over an embedding of " + std::to_string(width) + " values",
                         path);
    const auto classes = std::size_t(w->second.shape[0]);
    std::vector<float> weight(classes * embeddings.width), bias(classes);
    std::memcpy(weight.data(), w->second.bytes.data(), weight.size() * sizeof(float));
    std::memcpy(bias.data(), b->second.bytes.data(), bias.size() * sizeof(float));
    std::vector<int> out(embeddings.rows());
    for (std::size_t r = 0; r < embeddings.rows(); ++r) {
        const float* e = embeddings.row(r);
        int best = 0;
        double bestLogit = 0.0;
        for (std::size_t c = 0; c < classes; ++c) {
            double logit = bias[c];
            for (std::size_t i = 0; i < embeddings.width; ++i)
                logit += double(weight[c * embeddings.width + i]) * double(e[i]);
            if (c == 0 || logit > bestLogit) {
                best = int(c);
                bestLogit = logit;
            }
        }
        out[r] = best;
    }
    return out;
}

} // namespace

Result<HeadPredictions> predictFromEmbeddings(const ml::ModelFile& file, const ml::Embeddings& embeddings,
                                              const std::string& pathForErrors)
{
    const ml::ModelFile* current = &file;
    ml::ModelFile converted;
    if (file.metadata.formatVersion != ml::kModelFormatVersion) {
        auto c = ml::convertModelFile(file, pathForErrors);
        if (!c)
            return c.error();
        converted = std::move(c).value();
        current = &converted;
    }
    auto weights = ml::decodeSafetensors(current->weights, pathForErrors, "the weights section");
    if (!weights)
        return weights.error();
    HeadPredictions out;
    for (const std::string& target : current->metadata.targets) {
        if (target != "family" && target != "source")
            continue;
        auto classes = headClasses(*weights, target + "_head", embeddings, pathForErrors);
        if (!classes)
            return classes.error();
        (target == "family" ? out.family : out.source) = std::move(classes).value();
    }
    return out;
}

} // namespace ts::map
