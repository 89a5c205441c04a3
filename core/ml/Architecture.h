#pragma once
// The model architectures Timbrescope can train: the seed's four, exactly as the seed built them
// (the Keras layers, shapes and parameter counts), and timbre-net, our own two-headed model. Plain data, so
// the UI and the CLI can list them without seeing torch.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dataset/FeatureCache.h"
#include "util/Result.h"

namespace ts::ml {

// What a head predicts: NSynth's instrument family (11 classes) or source (3), or a dataset's own
// classes ("class": the labels an imported dataset's notes carry, dataset::NoteRecord::ownClass).
enum class Target { Family, Source, Class };

std::string targetName(Target target);                 // "family", "source", "class"
std::optional<Target> parseTarget(const std::string& name);
// The 11 families or the 3 sources; empty for Class, whose names belong to a model (labelsOf).
const std::vector<std::string>& targetLabels(Target target);

struct Architecture {
    std::string id;                 // "seed-cnn2d", "seed-logreg-spec", "seed-cnn1d", "seed-logreg-raw", "timbre-net"
    std::vector<Target> targets;    // what it predicts, in head order
    dataset::FeatureSettings features;  // the input it expects
    std::int64_t parameterCount = 0;    // trainable parameters (tests check these against the built network)
    std::string description;        // one line for `models` and the UI
    // The class names of the Class head, in index order (from the dataset trained on, then the
    // model file); empty for an architecture without one.
    std::vector<std::string> classes;
};

// All architectures, in the order `models` lists them.
const std::vector<Architecture>& architectures();
std::optional<Architecture> findArchitecture(const std::string& id);

bool predicts(const Architecture& architecture, Target target);
// A head's class names: targetLabels for family and source, architecture.classes for Class.
const std::vector<std::string>& labelsOf(const Architecture& architecture, Target target);

// The architecture learning a dataset's own classes (`classes`, at least 2) instead of family and
// source: one Class head. Only timbre-net has a body worth reusing this way; the seed's models are
// reproductions of NSynth classifiers and are refused.
Result<Architecture> withOwnClasses(const Architecture& base, const std::vector<std::string>& classes);
// The architecture a model file describes: its id's, with the heads its metadata lists (a model of
// own classes has a Class head sized by its "class" labels). Errors name the file.
Result<Architecture> architectureOfModel(const std::string& id, const std::vector<std::string>& targets,
                                         const std::map<std::string, std::vector<std::string>>& labels,
                                         const std::string& pathForErrors);
struct ModelMetadata;
Result<Architecture> architectureOf(const ModelMetadata& metadata, const std::string& pathForErrors);

// A layer's output shape without the batch dimension, channels last as in the seed's Keras summaries.
struct LayerShape {
    std::string name;               // "conv2d", "max_pooling2d", "flatten", "dense", ...
    std::vector<std::int64_t> shape;
};

// Both come from the network as it is built (Network.cpp), not from the table above, and so load the
// LibTorch runtime (ml/Runtime.h).
std::int64_t countParameters(const std::string& architectureId);  // -1 for an unknown id
std::int64_t countParameters(const Architecture& architecture);     // with its own heads
std::vector<LayerShape> layerShapes(const std::string& architectureId);

} // namespace ts::ml
