#pragma once
// PRIVATE to core/ml (includes torch). What the Trainer does per batch and per validation pass,
// kept apart from its epoch loop so TrainingStep (benchmarks) runs exactly the same code.
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "ml/Architecture.h"
#include "ml/detail/Network.h"
#include "ml/TrainingSet.h"

namespace ts::ml {

// A feature row that could not be read (a cache file's I/O error, a WAV gone from under features
// computed as they are read): thrown out of the batch code, turned back into its Error by the
// trainer's entry points (catchFeatureReadFailure).
class FeatureReadFailure : public std::runtime_error {
public:
    explicit FeatureReadFailure(Error error) : std::runtime_error(error.describe()), m_error(std::move(error)) {}
    const Error& error() const { return m_error; }

private:
    Error m_error;
};

// Rows rows[begin..end) of the feature matrix as one [end - begin, ...shape] tensor (a copy).
// Throws FeatureReadFailure. Safe on any thread (no torch random numbers): the trainer prepares the
// next batch on a loader thread while the current one trains.
torch::Tensor gatherRows(const dataset::FeatureMatrix& features, const std::vector<std::size_t>& rows,
                         std::size_t begin, std::size_t end);
// The same rows, each taken from one of data.recordings instead of the render with probability
// kRecordedShare (uniform over the copies). The choice for rows[i] is drawn from `drawSeed` and i
// alone, so it does not depend on threads or batch boundaries and a resumed run draws the same.
constexpr float kRecordedShare = 0.6f;
torch::Tensor gatherRecordedRows(const TrainingSet& data, const std::vector<std::size_t>& rows, std::size_t begin,
                                 std::size_t end, std::uint64_t drawSeed);
// A training batch's input before augmentation: recorded rows when `recorded` and the set has
// simulated recordings, else the renders.
torch::Tensor gatherTrainingInput(const TrainingSet& data, const std::vector<std::size_t>& rows, std::size_t begin,
                                  std::size_t end, bool recorded, std::uint64_t drawSeed);
torch::Tensor gatherLabels(const std::vector<int>& labels, const std::vector<std::size_t>& rows, std::size_t begin,
                           std::size_t end);

// Label smoothing for timbre-net only: the seed's models are reproduced as the seed trained them.
double labelSmoothingFor(const Architecture& architecture);

struct BatchResult {
    double loss = 0.0;                 // summed over the heads, mean over the batch
    std::vector<std::int64_t> correct; // per head
};

// One optimisation step (zero grad, forward, cross-entropy per head, backward, optimiser step) on
// `input`, the gathered rows[begin..end) of `data` (gatherTrainingInput); the caller puts the
// network in training mode. `augment` applies timbre-net's augmentation (only meaningful for
// log-mel input), with frequency MixStyle on a `mixStyle` share of batches.
// `beforeStep`, when set, runs between backward and the optimiser step (a distributed run averages
// the gradients over its ranks there).
BatchResult trainOnBatch(Network& network, torch::optim::Optimizer& optimizer, const Architecture& architecture,
                         const TrainingSet& data, torch::Tensor input, const std::vector<std::size_t>& rows,
                         std::size_t begin, std::size_t end, const torch::Device& device, double labelSmoothing,
                         bool augment, double mixStyle, const std::function<void()>& beforeStep = {});

struct PassResult {
    double loss = 0.0;
    std::map<std::string, double> accuracy;
};

// Loss and accuracy over `rows` in eval mode (no dropout, batch-norm running statistics).
PassResult measure(Network& network, const Architecture& architecture, const TrainingSet& data,
                   const std::vector<std::size_t>& rows, const torch::Device& device, double labelSmoothing);

} // namespace ts::ml
