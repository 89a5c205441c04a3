#pragma once
// PRIVATE to core/ml (includes torch). What the Trainer does per batch and per validation pass,
// kept apart from its epoch loop so TrainingStep (benchmarks) runs exactly the same code.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "ml/Architecture.h"
#include "ml/detail/Network.h"
#include "ml/TrainingSet.h"

namespace ts::ml {

// Rows rows[begin..end) of the feature matrix as one [end - begin, ...shape] tensor (a copy).
torch::Tensor gatherRows(const dataset::FeatureMatrix& features, const std::vector<std::size_t>& rows,
                         std::size_t begin, std::size_t end);
// The same rows, each taken from one of data.recordings instead of the render with probability
// kRecordedShare (uniform over the copies).
constexpr float kRecordedShare = 0.6f;
torch::Tensor gatherRecordedRows(const TrainingSet& data, const std::vector<std::size_t>& rows, std::size_t begin,
                                 std::size_t end);
torch::Tensor gatherLabels(const std::vector<int>& labels, const std::vector<std::size_t>& rows, std::size_t begin,
                           std::size_t end);

// Label smoothing for timbre-net only: the seed's models are reproduced as the seed trained them.
double labelSmoothingFor(const Architecture& architecture);

struct BatchResult {
    double loss = 0.0;                 // summed over the heads, mean over the batch
    std::vector<std::int64_t> correct; // per head
};

// One optimisation step (zero grad, forward, cross-entropy per head, backward, optimiser step) on
// rows[begin..end) of `data`; the caller puts the network in training mode. `augment` applies timbre-net's
// augmentation (only meaningful for log-mel input), with frequency MixStyle on a `mixStyle` share of batches.
BatchResult trainOnBatch(Network& network, torch::optim::Optimizer& optimizer, const Architecture& architecture,
                         const TrainingSet& data, const std::vector<std::size_t>& rows, std::size_t begin,
                         std::size_t end, const torch::Device& device, double labelSmoothing, bool augment,
                         double mixStyle);

struct PassResult {
    double loss = 0.0;
    std::map<std::string, double> accuracy;
};

// Loss and accuracy over `rows` in eval mode (no dropout, batch-norm running statistics).
PassResult measure(Network& network, const Architecture& architecture, const TrainingSet& data,
                   const std::vector<std::size_t>& rows, const torch::Device& device, double labelSmoothing);

} // namespace ts::ml
