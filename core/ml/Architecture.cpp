#include "ml/Architecture.h"

#include <algorithm>
#include <set>

#include "dataset/Labels.h"
#include "ml/ModelFile.h"
#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

std::string targetName(Target target)
{
    switch (target) {
    case Target::Family: return "family";
    case Target::Source: return "source";
    case Target::Class: return "class";
    }
    return "family";
}

std::optional<Target> parseTarget(const std::string& name)
{
    if (name == "family")
        return Target::Family;
    if (name == "source")
        return Target::Source;
    if (name == "class")
        return Target::Class;
    return std::nullopt;
}

const std::vector<std::string>& targetLabels(Target target)
{
    static const std::vector<std::string> families(dataset::kFamilyNames.begin(), dataset::kFamilyNames.end());
    static const std::vector<std::string> sources(dataset::kSourceNames.begin(), dataset::kSourceNames.end());
    static const std::vector<std::string> none;
    switch (target) {
    case Target::Family: return families;
    case Target::Source: return sources;
    case Target::Class: return none;
    }
    return none;
}

namespace {

dataset::FeatureSettings featuresOf(dataset::FeatureKind kind)
{
    dataset::FeatureSettings settings;
    settings.kind = kind;
    return settings;
}

} // namespace

const std::vector<Architecture>& architectures()
{
    // Parameter counts are the seed's Keras summaries (and timbre-net's own); tst_Networks checks
    // each against the network Network.cpp builds, so they cannot drift apart.
    static const std::vector<Architecture> all = {
        {"seed-cnn2d", {Target::Family}, featuresOf(dataset::FeatureKind::SeedStft), 614667,
         "The seed's 2D CNN on the 499x129 STFT: conv 16-32-64 with max-pool and dropout, dense 11 (family)", {}},
        {"seed-logreg-spec", {Target::Family}, featuresOf(dataset::FeatureKind::SeedStft), 708092,
         "The seed's logistic regression on the flattened 499x129 STFT (family)", {}},
        {"seed-cnn1d", {Target::Source}, featuresOf(dataset::FeatureKind::RawAudio), 3077955,
         "The seed's 1D CNN on 64,000 raw samples: conv 32-64 with max-pool and dropout, dense 3 (source)", {}},
        {"seed-logreg-raw", {Target::Source}, featuresOf(dataset::FeatureKind::RawAudio), 192003,
         "The seed's logistic regression on 64,000 raw samples (source)", {}},
        {"timbre-net", {Target::Family, Target::Source}, featuresOf(dataset::FeatureKind::LogMel), 100992,
         "Our CPU-sized CNN on a 64-band log-mel: early pooling, batch norm, global pooling, family and source heads, timbre augmentation", {}},
    };
    return all;
}

std::optional<Architecture> findArchitecture(const std::string& id)
{
    for (const auto& a : architectures())
        if (a.id == id)
            return a;
    return std::nullopt;
}

bool predicts(const Architecture& architecture, Target target)
{
    return std::find(architecture.targets.begin(), architecture.targets.end(), target) != architecture.targets.end();
}

const std::vector<std::string>& labelsOf(const Architecture& architecture, Target target)
{
    return target == Target::Class ? architecture.classes : targetLabels(target);
}

Result<Architecture> withOwnClasses(const Architecture& base, const std::vector<std::string>& classes)
{
    if (base.id != "timbre-net")
        return makeError(ErrorCode::InvalidArgument, base.id + " learns NSynth's families or sources only; own classes train timbre-net");
    if (classes.size() < 2)
        return makeError(ErrorCode::InvalidArgument, "own classes need at least 2 classes, found " + std::to_string(classes.size()));
    Architecture own = base;
    own.targets = {Target::Class};
    own.classes = classes;
    // The family and source heads (256 x 11 + 11 and 256 x 3 + 3 weights) give way to one of the
    // dataset's size.
    own.parameterCount = base.parameterCount - (256 * 11 + 11) - (256 * 3 + 3) + 257 * std::int64_t(classes.size());
    own.description = base.description + " (" + std::to_string(classes.size()) + " own classes)";
    return own;
}

Result<Architecture> architectureOfModel(const std::string& id, const std::vector<std::string>& targets,
                                         const std::map<std::string, std::vector<std::string>>& labels,
                                         const std::string& path)
{
    auto architecture = findArchitecture(id);
    if (!architecture)
        return makeError(ErrorCode::Unsupported, "unknown model architecture '" + id + "'", path);
    if (std::find(targets.begin(), targets.end(), "class") == targets.end())
        return *architecture;
    const auto names = labels.find("class");
    if (targets.size() != 1 || names == labels.end())
        return makeError(ErrorCode::BadFormat, "a model of own classes has one target, \"class\", and its labels", path);
    const std::set<std::string> distinct(names->second.begin(), names->second.end());
    if (distinct.size() != names->second.size() || distinct.count(""))
        return makeError(ErrorCode::BadFormat, "the model's class names are empty or repeated", path);
    auto own = withOwnClasses(*architecture, names->second);
    if (!own)
        return makeError(own.error().code, own.error().message, path);
    return own;
}

Result<Architecture> architectureOf(const ModelMetadata& metadata, const std::string& path)
{
    return architectureOfModel(metadata.architecture, metadata.targets, metadata.labels, path);
}

// Both build the network, so they load the LibTorch runtime (ml/Runtime.h); -1 / empty when it
// cannot be loaded, as for an unknown id.
std::int64_t countParameters(const std::string& architectureId)
{
    auto architecture = findArchitecture(architectureId);
    return architecture ? countParameters(*architecture) : -1;
}

std::int64_t countParameters(const Architecture& architecture)
{
    auto runtime = detail::torchRuntime();
    return runtime ? runtime.value()->countParameters(architecture) : -1;
}

std::vector<LayerShape> layerShapes(const std::string& architectureId)
{
    auto runtime = detail::torchRuntime();
    return runtime ? runtime.value()->layerShapes(architectureId) : std::vector<LayerShape>{};
}

} // namespace ts::ml
