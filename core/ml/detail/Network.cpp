#include "ml/detail/Network.h"

#include <algorithm>

#include "dsp/LogMel.h"
#include "ml/detail/FastLayers.h"

namespace ts::ml {

namespace {

namespace nn = torch::nn;

// Records shapes for layerShapes(); channel-first tensors are reported channels last.
void note(std::vector<LayerShape>* trace, const std::string& name, const torch::Tensor& t, bool channelsFirst)
{
    if (!trace)
        return;
    std::vector<std::int64_t> shape(t.sizes().begin() + 1, t.sizes().end());
    if (channelsFirst && shape.size() >= 2)
        std::rotate(shape.begin(), shape.begin() + 1, shape.end());
    trace->push_back({name, shape});
}

// The seed's family CNN: Keras Conv2D(16/32/64, 3x3, valid, ReLU) each + MaxPool 2x2, Dropout 0.25,
// Flatten, Dropout 0.5, Dense 11. Input: the 499x129 linear-magnitude STFT, as the seed fed it.
class SeedCnn2d : public Network {
public:
    SeedCnn2d()
    {
        conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(1, 16, 3)));
        conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(16, 32, 3)));
        conv3 = register_module("conv3", nn::Conv2d(nn::Conv2dOptions(32, 64, 3)));
        dense = register_module("dense", nn::Linear(60 * 14 * 64, 11));
        // Channels-last weights make oneDNN's convolutions (and so the activations and LibTorch's
        // max-pool) channels-last, with no layout reorder around each convolution: a training
        // step takes about a quarter less CPU time (bench/bench_train). Values are unchanged.
        // clone, not contiguous(): conv1's weight has one input channel, so it already counts as
        // channels-last contiguous and contiguous() would keep its NCHW strides.
        torch::NoGradGuard noGrad;
        for (auto* conv : {&conv1, &conv2, &conv3})
            (*conv)->weight.set_data((*conv)->weight.clone(torch::MemoryFormat::ChannelsLast));
    }
    std::vector<torch::Tensor> forward(torch::Tensor x, std::vector<LayerShape>* trace) override
    {
        x = x.view({x.size(0), 1, x.size(1), x.size(2)});
        note(trace, "resizing", x, true);
        const char* convNames[] = {"conv2d", "conv2d_1", "conv2d_2"};
        const char* poolNames[] = {"max_pooling2d", "max_pooling2d_1", "max_pooling2d_2"};
        nn::Conv2d convs[] = {conv1, conv2, conv3};
        for (int i = 0; i < 3; ++i) {
            x = convs[i]->forward(x);
            note(trace, convNames[i], x, true);
            x = maxPoolRelu2d(x);  // Keras' Conv2D(activation=relu) + MaxPool2D, the same function
            note(trace, poolNames[i], x, true);
        }
        note(trace, "dropout", x, true);
        x = x.flatten(1);
        note(trace, "flatten", x, false);
        x = fastDropout(x, chainedDropoutRate(0.25, 0.5), is_training());
        note(trace, "dropout_1", x, false);
        x = dense->forward(x);
        note(trace, "dense", x, false);
        return {x};
    }

private:
    nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    nn::Linear dense{nullptr};
};

// The seed's 1D CNN for the source: Conv1D(32/64, k3, valid, ReLU) each + MaxPool 2, Dropout,
// Flatten, Dropout, Dense 3, on the 64,000 raw samples.
class SeedCnn1d : public Network {
public:
    SeedCnn1d()
    {
        conv1 = register_module("conv1", nn::Conv1d(nn::Conv1dOptions(1, 32, 3)));
        conv2 = register_module("conv2", nn::Conv1d(nn::Conv1dOptions(32, 64, 3)));
        dense = register_module("dense", nn::Linear(15998 * 64, 3));
    }
    std::vector<torch::Tensor> forward(torch::Tensor x, std::vector<LayerShape>* trace) override
    {
        x = x.view({x.size(0), 1, x.size(1)});
        x = conv1->forward(x);
        note(trace, "conv1d_6", x, true);
        x = maxPoolRelu1d(x);  // Keras' Conv1D(activation=relu) + MaxPool1D, the same function
        note(trace, "max_pooling1d_6", x, true);
        x = conv2->forward(x);
        note(trace, "conv1d_7", x, true);
        x = maxPoolRelu1d(x);
        note(trace, "max_pooling1d_7", x, true);
        note(trace, "dropout_6", x, true);
        x = x.flatten(1);
        note(trace, "flatten_3", x, false);
        x = fastDropout(x, chainedDropoutRate(0.25, 0.5), is_training());
        note(trace, "dropout_7", x, false);
        x = dense->forward(x);
        note(trace, "dense_2", x, false);
        return {x};
    }

private:
    nn::Conv1d conv1{nullptr}, conv2{nullptr};
    nn::Linear dense{nullptr};
};

// The seed's "logistic regressions": Flatten + one Dense layer (softmax in the loss).
class SeedLogReg : public Network {
public:
    SeedLogReg(std::int64_t inputs, std::int64_t classes)
    {
        dense = register_module("dense", nn::Linear(inputs, classes));
    }
    std::vector<torch::Tensor> forward(torch::Tensor x, std::vector<LayerShape>* trace) override
    {
        x = x.flatten(1);
        note(trace, "flatten", x, false);
        x = dense->forward(x);
        note(trace, "dense", x, false);
        return {x};
    }

private:
    nn::Linear dense{nullptr};
};

// timbre-net: a log-mel (frames x bands, dB) is made small at once (time halved before any
// convolution: the seed's conv1 on 499x129 is where its time goes), then four 3x3 conv + batch
// norm + ReLU blocks, max-pooling after the first three, global average + max pooling (so the
// note's length and onset position matter little), dropout, and two heads sharing the body.
class TimbreNet : public Network {
public:
    // One head per target, named <target>_head, sized by its class count (family 11, source 3, a
    // dataset's own classes as many as it has).
    explicit TimbreNet(const Architecture& architecture)
    {
        inputNorm = register_module("input_norm", nn::BatchNorm2d(1));
        const int widths[] = {1, 16, 32, 64, 128};
        for (int i = 0; i < 4; ++i) {
            convs.push_back(register_module("conv" + std::to_string(i + 1),
                                            nn::Conv2d(nn::Conv2dOptions(widths[i], widths[i + 1], 3).padding(1).bias(false))));
            norms.push_back(register_module("bn" + std::to_string(i + 1), nn::BatchNorm2d(widths[i + 1])));
        }
        for (Target target : architecture.targets) {
            const auto classes = std::int64_t(labelsOf(architecture, target).size());
            headNames.push_back(targetName(target) + "_head");
            headLayers.push_back(register_module(headNames.back(), nn::Linear(256, classes)));
        }
    }
    std::vector<torch::Tensor> forward(torch::Tensor x, std::vector<LayerShape>* trace) override
    {
        return heads(blocks(x, trace), trace);
    }

    torch::Tensor embed(torch::Tensor x) override { return pooled(blocks(x, nullptr), nullptr); }
    torch::Tensor featureMap(torch::Tensor x) override { return blocks(x, nullptr); }
    std::vector<torch::Tensor> headsOf(torch::Tensor featureMap) override { return heads(featureMap, nullptr); }

private:
    // The 256 pooled features (mean and max of the last block's 128 channels) both heads read.
    torch::Tensor pooled(torch::Tensor x, std::vector<LayerShape>* trace)
    {
        x = torch::cat({x.mean({2, 3}), x.amax({2, 3})}, 1);
        note(trace, "global_pool", x, false);
        return x;
    }

    std::vector<torch::Tensor> heads(torch::Tensor map, std::vector<LayerShape>* trace)
    {
        auto x = torch::dropout(pooled(map, trace), 0.3, is_training());
        std::vector<torch::Tensor> logits;
        for (std::size_t h = 0; h < headLayers.size(); ++h) {
            logits.push_back(headLayers[h]->forward(x));
            note(trace, headNames[h], logits.back(), false);
        }
        return logits;
    }

    // The input through the four convolution blocks: [batch, 128, frames / 32, bands / 8].
    torch::Tensor blocks(torch::Tensor x, std::vector<LayerShape>* trace)
    {
        // Each note relative to its own loudest bin: velocity and recording level say nothing about
        // the family, and without this the network learnt them (validation accuracy 56 % -> 60 %).
        x = x - x.amax({1, 2}, true);
        // dB values around -100..0 brought near unit scale before the learnt input norm.
        x = (x.view({x.size(0), 1, x.size(1), x.size(2)}) + 50.0) / 25.0;
        x = inputNorm->forward(x);
        // Four 16 ms frames to one: timbre lives in the envelope and spectrum, not in 16 ms detail,
        // and the convolutions after this cost a quarter of what they would at full rate.
        x = torch::avg_pool2d(x, {4, 1});
        note(trace, "time_pool", x, true);
        for (std::size_t i = 0; i < convs.size(); ++i) {
            x = torch::relu(norms[i]->forward(convs[i]->forward(x)));
            note(trace, "conv_block" + std::to_string(i + 1), x, true);
            if (i + 1 < convs.size()) {
                x = torch::max_pool2d(x, 2);
                note(trace, "max_pool" + std::to_string(i + 1), x, true);
            }
        }
        return x;
    }

    nn::BatchNorm2d inputNorm{nullptr};
    std::vector<nn::Conv2d> convs;
    std::vector<nn::BatchNorm2d> norms;
    std::vector<std::string> headNames;
    std::vector<nn::Linear> headLayers;
};

} // namespace

std::shared_ptr<Network> makeNetwork(const Architecture& architecture)
{
    const std::string& id = architecture.id;
    if (id == "seed-cnn2d")
        return std::make_shared<SeedCnn2d>();
    if (id == "seed-logreg-spec")
        return std::make_shared<SeedLogReg>(499 * 129, 11);
    if (id == "seed-cnn1d")
        return std::make_shared<SeedCnn1d>();
    if (id == "seed-logreg-raw")
        return std::make_shared<SeedLogReg>(64000, 3);
    if (id == "timbre-net")
        return std::make_shared<TimbreNet>(architecture);
    return nullptr;
}

std::shared_ptr<Network> makeNetwork(const std::string& id)
{
    auto architecture = findArchitecture(id);
    return architecture ? makeNetwork(*architecture) : nullptr;
}

std::int64_t trainableParameterCount(torch::nn::Module& module)
{
    std::int64_t n = 0;
    for (const auto& p : module.parameters())
        if (p.requires_grad())
            n += p.numel();
    return n;
}

std::int64_t networkParameterCount(const Architecture& architecture)
{
    auto net = makeNetwork(architecture);
    return net ? trainableParameterCount(*net) : -1;
}

std::vector<LayerShape> networkLayerShapes(const std::string& id)
{
    auto net = makeNetwork(id);
    auto arch = findArchitecture(id);
    if (!net || !arch)
        return {};
    torch::NoGradGuard noGrad;
    net->eval();
    std::vector<std::int64_t> shape{2};  // 2 rows: batch norm in eval mode is happy with any
    for (int d : arch->features.shape())
        shape.push_back(d);
    std::vector<LayerShape> trace;
    net->forward(torch::zeros(shape), &trace);
    return trace;
}

} // namespace ts::ml
