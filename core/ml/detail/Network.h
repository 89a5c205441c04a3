#pragma once
// PRIVATE to the LibTorch runtime library (ml/detail/*.cpp): includes torch. Public headers stay
// torch-free so ui/ and app/ never see a tensor.
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "ml/Architecture.h"
#include "util/Result.h"

namespace ts::ml {

// A classifier network: one logits tensor per head, in the architecture's target order.
class Network : public torch::nn::Module {
public:
    // `x`: [batch, ...feature shape] as the feature cache stores it. `trace`, when given, receives
    // each layer's output shape (channels last, like the seed's Keras summaries).
    virtual std::vector<torch::Tensor> forward(torch::Tensor x, std::vector<LayerShape>* trace = nullptr) = 0;
    // The note's embedding, [batch, width]: the layer the heads read (timbre-net's pooled features).
    // Undefined for the seed's networks, whose heads read a flattened input of tens of thousands of
    // values: no use as a map of timbres.
    virtual torch::Tensor embed(torch::Tensor /*x*/) { return {}; }
    // For Grad-CAM: the last convolution block's output ([batch, channels, time, frequency]) and the
    // heads' logits computed from it. Undefined / empty for the seed's networks.
    virtual torch::Tensor featureMap(torch::Tensor /*x*/) { return {}; }
    virtual std::vector<torch::Tensor> headsOf(torch::Tensor /*featureMap*/) { return {}; }
};

// The network of an architecture with its heads (Architecture::targets, classes); by id, the
// architecture as architectures() lists it. nullptr for an unknown id.
std::shared_ptr<Network> makeNetwork(const Architecture& architecture);
std::shared_ptr<Network> makeNetwork(const std::string& architectureId);

std::int64_t trainableParameterCount(torch::nn::Module& module);

// countParameters and layerShapes of Architecture.h, computed by building the network (-1 / empty for
// an unknown id).
std::int64_t networkParameterCount(const Architecture& architecture);
std::vector<LayerShape> networkLayerShapes(const std::string& architectureId);

} // namespace ts::ml
