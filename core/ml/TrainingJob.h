#pragma once
// One training run as `timbrescope train` and the Training tab both do it: load the split's
// features, train, save the model file atomically (its checkpoint beside it), and say how it ended.
// TrainingJobSpec's member initialisers are the one place the training defaults are written.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "ml/ModelFile.h"
#include "ml/Trainer.h"
#include "ml/TrainingSet.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::ml {

struct TrainingJobSpec {
    std::string dataFolder;               // NSynth-format dataset folder
    std::string split = "instrument";     // "seed", "random", "instrument" or "generator:NAME"
    // Simulated recordings per note trained on besides the render; none: the architecture's own
    // (simulatedRecordingsFor).
    std::optional<int> recordings;
    std::string modelPath;                // the model file to write
    // options.seed seeds the split as well as the weights and batch order. options.checkpointPath
    // is ignored: the checkpoint is always checkpointPathFor(modelPath), so Resume can find it.
    TrainingOptions options;
};

// The checkpoint written beside a model file ("MODEL.checkpoint"), and the model file a checkpoint
// belongs to (a path not named that way gets ".tsm" added, so the model never overwrites it).
std::string checkpointPathFor(const std::string& modelPath);
std::string modelPathForCheckpoint(const std::string& checkpointPath);

struct TrainingJobCallbacks {
    // Once the data is loaded, before the first epoch (the sizes of its parts, its split's name).
    std::function<void(const TrainingSet&)> onLoaded;
    std::function<void(const BatchProgress&)> onBatch;
    std::function<void(const EpochProgress&)> onEpoch;
};

struct TrainingJobResult {
    enum class Ending { Finished, EarlyStopped, Stopped, Failed };
    // Where the job ended: a front end words a failure to load the data (a bad split name, say)
    // differently from one in training or saving.
    enum class Stage { Loading, Training, Saving, Done };

    Ending ending = Ending::Failed;
    Stage stage = Stage::Loading;
    // Failed: why. Stopped with no model (cancelled while loading or before the first epoch ended):
    // the Cancelled error.
    std::optional<Error> error;
    bool hasModel = false;          // the model file was written (Finished, EarlyStopped, or Stopped after an epoch)
    // A distributed run's rank other than 0 trained its share and ended with the others; rank 0
    // wrote the model (hasModel is false here, the ending says how the run ended).
    bool trainedForRankZero = false;
    ModelMetadata metadata;         // the saved model's: history, best epoch, final test metrics
    std::string modelPath;          // hasModel: where it was written
    std::string checkpointPath;     // the resume point beside it, when one exists after training

    // The CLI's "stopped" value: "cancelled", "early_stopping" or "epochs".
    std::string stoppedReason() const;
};

// Loads spec.dataFolder's split for spec.options.architecture (feature work reported to
// `progress`), trains with spec.options (continuing spec.options.resumePath when set), and writes
// the best weights to spec.modelPath. Cancelling keeps the best epoch so far (and saves it).
// Never throws; every failure is in the result.
TrainingJobResult runTrainingJob(const TrainingJobSpec& spec, const TrainingJobCallbacks& callbacks = {},
                                 const ProgressSink& progress = {}, const CancellationToken& cancel = {});

} // namespace ts::ml
