#pragma once
// The Trainer's per-batch optimisation step and validation pass, with the network and Adam state
// kept between calls, for measuring training speed without epochs, shuffling or checkpoints
// (bench/bench_train). It runs the very code Trainer::run runs per batch (TrainingPass).
// Pimpl: no torch in this header.
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ml/Architecture.h"
#include "ml/ModelFile.h"
#include "ml/Trainer.h"
#include "ml/TrainingSet.h"
#include "util/Result.h"

namespace ts::ml {

class TrainingStep {
public:
    // Uses options.architecture, seed, learningRate, device, threads and augment, and applies the
    // same CPU runtime settings as the Trainer. Errors: unknown architecture, absent CUDA device.
    static Result<TrainingStep> create(const TrainingOptions& options);

    TrainingStep(TrainingStep&&) noexcept;
    TrainingStep& operator=(TrainingStep&&) noexcept;
    ~TrainingStep();

    const Architecture& architecture() const;

    struct BatchOutcome {
        double loss = 0.0;
        std::vector<long long> correct;  // per head, in the architecture's target order
    };
    // One optimisation step on rows[begin..end) of `data` (feature shape checked; at least 2 rows).
    Result<BatchOutcome> train(const TrainingSet& data, const std::vector<std::size_t>& rows, std::size_t begin,
                               std::size_t end);

    struct PassOutcome {
        double loss = 0.0;
        std::map<std::string, double> accuracy;  // per target
    };
    // The Trainer's validation pass (eval mode, no gradients) over `rows` of `data`.
    Result<PassOutcome> validate(const TrainingSet& data, const std::vector<std::size_t>& rows);

    // The current weights as a model file (architecture, targets, labels and features filled in; no
    // training data, history or metrics), loadable by TrainedModel and Predictor.
    ModelFile modelFile() const;

private:
    struct Impl;
    explicit TrainingStep(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::ml
