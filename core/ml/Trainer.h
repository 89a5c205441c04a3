#pragma once
// Synchronous, torch-free-to-the-caller training loop: Adam, mini-batches, early stopping on the
// validation part (restoring the best weights), an atomic checkpoint after each epoch, resume from a
// checkpoint, cancellation between batches. TrainingWorker (ui) runs it in a QThread.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "ml/Distributed.h"
#include "ml/ModelFile.h"
#include "ml/TrainingSet.h"
#include "util/CancellationToken.h"
#include "util/Result.h"

namespace ts::ml {

struct TrainingOptions {
    std::string architecture = "timbre-net";
    std::uint64_t seed = 1;
    int epochs = 30;
    int batchSize = 32;
    double learningRate = 1e-3;
    int patience = 5;              // epochs without a better validation accuracy before stopping
    std::string device = "cpu";    // "cpu", "cuda", "cuda:N"
    int threads = 0;               // 0 = all cores
    bool augment = true;           // timbre-net's augmentation (the seed models never augment)
    // timbre-net: the share of batches whose notes swap their per-band level statistics (frequency
    // MixStyle, augmentLogMel); 0 = never.
    double mixStyle = 0.0;
    // "constant": the learning rate throughout (the seed's models, as the seed trained them).
    // "cosine": decays along half a cosine from the learning rate to 5 % of it at the last epoch.
    // Empty: the architecture's own (defaultScheduleFor: cosine for timbre-net, constant for the seed's).
    std::string schedule;
    std::string checkpointPath;    // written after each epoch when not empty (by rank 0 alone)
    std::string resumePath;        // a checkpoint to continue from
    // Fine-tuning: start from the weights of this trained model file (same architecture) instead
    // of random ones (ignored when resuming: the checkpoint has the weights). With freezeBody only
    // the heads learn (timbre-net's family_head and source_head, the seed models' dense layer); the
    // body keeps its weights and its batch-norm statistics.
    std::string initPath;
    bool freezeBody = false;
    // Several processes training one model (c10d, Gloo): each rank trains on its share of every
    // epoch's shuffle with the batch size above, gradients are averaged over the ranks after each
    // batch, so the effective batch is batchSize x worldSize. One process when not enabled.
    DistributedSpec distributed;
};

struct BatchProgress {
    int epoch = 0;        // 1-based
    int epochs = 0;
    int batch = 0;        // 1-based within the epoch
    int batches = 0;
    double loss = 0.0;    // running mean over the epoch so far
    std::map<std::string, double> accuracy;  // running, per target
    double samplesPerSecond = 0.0;
    double elapsedSeconds = 0.0;   // since training started
    double etaSeconds = 0.0;       // to the last epoch, at the current speed
};

struct EpochProgress {
    EpochRecord record;
    int epochs = 0;
    bool improved = false;         // best validation accuracy so far (the weights kept)
    double elapsedSeconds = 0.0;
    double etaSeconds = 0.0;
};

struct TrainingCallbacks {
    std::function<void(const BatchProgress&)> onBatch;
    std::function<void(const EpochProgress&)> onEpoch;
};

struct TrainingOutcome {
    ModelFile model;        // best weights + metadata (history, final metrics on the test part)
    bool cancelled = false; // stopped by the token; the model holds the best epoch so far
    bool earlyStopped = false;
};

// The learning-rate schedule an architecture trains with when TrainingOptions::schedule is empty.
std::string defaultScheduleFor(const std::string& architectureId);

class Trainer {
public:
    explicit Trainer(TrainingOptions options);

    // Errors: unknown architecture, feature shape not what the architecture expects, empty
    // train/validation part, unreadable checkpoint, CUDA asked but absent. Cancelling before the
    // first epoch ends gives a Cancelled error (there is no model yet).
    Result<TrainingOutcome> run(const TrainingSet& data, const TrainingCallbacks& callbacks = {},
                                const CancellationToken& cancel = {}) const;

    const TrainingOptions& options() const { return m_options; }

private:
    TrainingOptions m_options;
};

} // namespace ts::ml
