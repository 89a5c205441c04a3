#pragma once
// The model architectures Timbrescope can train: the seed's four, exactly as the seed built them
// (the Keras layers, shapes and parameter counts), and timbre-net, our own two-headed model. Plain data, so
// the UI and the CLI can list them without seeing torch.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dataset/FeatureCache.h"

namespace ts::ml {

enum class Target { Family, Source };

std::string targetName(Target target);                 // "family", "source"
std::optional<Target> parseTarget(const std::string& name);
const std::vector<std::string>& targetLabels(Target target);  // the 11 families or the 3 sources

struct Architecture {
    std::string id;                 // "seed-cnn2d", "seed-logreg-spec", "seed-cnn1d", "seed-logreg-raw", "timbre-net"
    std::vector<Target> targets;    // what it predicts, in head order
    dataset::FeatureSettings features;  // the input it expects
    std::int64_t parameterCount = 0;    // trainable parameters (tests check these against the built network)
    std::string description;        // one line for `models` and the UI
};

// All architectures, in the order `models` lists them.
const std::vector<Architecture>& architectures();
std::optional<Architecture> findArchitecture(const std::string& id);

bool predicts(const Architecture& architecture, Target target);

// A layer's output shape without the batch dimension, channels last as in the seed's Keras summaries.
struct LayerShape {
    std::string name;               // "conv2d", "max_pooling2d", "flatten", "dense", ...
    std::vector<std::int64_t> shape;
};

// Both come from the network as it is built (Network.cpp), not from the table above, and so load the
// LibTorch runtime (ml/Runtime.h).
std::int64_t countParameters(const std::string& architectureId);  // -1 for an unknown id
std::vector<LayerShape> layerShapes(const std::string& architectureId);

} // namespace ts::ml
