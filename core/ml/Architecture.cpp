#include "ml/Architecture.h"

#include <algorithm>

#include "dataset/Labels.h"
#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

std::string targetName(Target target) { return target == Target::Family ? "family" : "source"; }

std::optional<Target> parseTarget(const std::string& name)
{
    if (name == "family")
        return Target::Family;
    if (name == "source")
        return Target::Source;
    return std::nullopt;
}

const std::vector<std::string>& targetLabels(Target target)
{
    static const std::vector<std::string> families(dataset::kFamilyNames.begin(), dataset::kFamilyNames.end());
    static const std::vector<std::string> sources(dataset::kSourceNames.begin(), dataset::kSourceNames.end());
    return target == Target::Family ? families : sources;
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
         "The seed's 2D CNN on the 499x129 STFT: conv 16-32-64 with max-pool and dropout, dense 11 (family)"},
        {"seed-logreg-spec", {Target::Family}, featuresOf(dataset::FeatureKind::SeedStft), 708092,
         "The seed's logistic regression on the flattened 499x129 STFT (family)"},
        {"seed-cnn1d", {Target::Source}, featuresOf(dataset::FeatureKind::RawAudio), 3077955,
         "The seed's 1D CNN on 64,000 raw samples: conv 32-64 with max-pool and dropout, dense 3 (source)"},
        {"seed-logreg-raw", {Target::Source}, featuresOf(dataset::FeatureKind::RawAudio), 192003,
         "The seed's logistic regression on 64,000 raw samples (source)"},
        {"timbre-net", {Target::Family, Target::Source}, featuresOf(dataset::FeatureKind::LogMel), 100992,
         "Our CPU-sized CNN on a 64-band log-mel: early pooling, batch norm, global pooling, family and source heads, timbre augmentation"},
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

// Both build the network, so they load the LibTorch runtime (ml/Runtime.h); -1 / empty when it
// cannot be loaded, as for an unknown id.
std::int64_t countParameters(const std::string& architectureId)
{
    auto runtime = detail::torchRuntime();
    return runtime ? runtime.value()->countParameters(architectureId) : -1;
}

std::vector<LayerShape> layerShapes(const std::string& architectureId)
{
    auto runtime = detail::torchRuntime();
    return runtime ? runtime.value()->layerShapes(architectureId) : std::vector<LayerShape>{};
}

} // namespace ts::ml
