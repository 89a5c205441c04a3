#include "ml/TrainingJob.h"

#include <filesystem>

#include "ml/Architecture.h"
#include "util/StaleTemporaries.h"

namespace ts::ml {

namespace {

constexpr const char* kCheckpointSuffix = ".checkpoint";

} // namespace

std::string checkpointPathFor(const std::string& modelPath)
{
    return modelPath + kCheckpointSuffix;
}

std::string modelPathForCheckpoint(const std::string& checkpointPath)
{
    const std::string suffix = kCheckpointSuffix;
    if (checkpointPath.size() > suffix.size() &&
        checkpointPath.compare(checkpointPath.size() - suffix.size(), suffix.size(), suffix) == 0)
        return checkpointPath.substr(0, checkpointPath.size() - suffix.size());
    return checkpointPath + ".tsm";
}

std::string TrainingJobResult::stoppedReason() const
{
    switch (ending) {
    case Ending::Stopped: return "cancelled";
    case Ending::EarlyStopped: return "early_stopping";
    case Ending::Finished:
    case Ending::Failed: break;
    }
    return "epochs";
}

TrainingJobResult runTrainingJob(const TrainingJobSpec& spec, const TrainingJobCallbacks& callbacks,
                                 const ProgressSink& progress, const CancellationToken& cancel)
{
    TrainingJobResult result;
    const auto end = [&result](const Error& error) {
        result.ending = error.code == ErrorCode::Cancelled ? TrainingJobResult::Ending::Stopped
                                                           : TrainingJobResult::Ending::Failed;
        result.error = error;
        return result;
    };
    const auto architecture = findArchitecture(spec.options.architecture);
    if (!architecture)
        return end(makeError(ErrorCode::InvalidArgument,
                             "unknown architecture '" + spec.options.architecture + "' (see `timbrescope models`)"));

    auto set = loadTrainingSet(spec.dataFolder, *architecture, spec.split, spec.options.seed, progress, cancel,
                               spec.recordings.value_or(simulatedRecordingsFor(*architecture)));
    if (!set)
        return end(set.error());
    if (callbacks.onLoaded)
        callbacks.onLoaded(set.value());

    result.stage = TrainingJobResult::Stage::Training;
    // A killed earlier run's half-written model or checkpoint beside this one.
    removeStaleTemporaries(std::filesystem::path(spec.modelPath).parent_path().string());
    TrainingOptions options = spec.options;
    const bool writes = options.distributed.writesOutputs();
    if (writes)
        options.checkpointPath = checkpointPathFor(spec.modelPath);
    auto outcome = Trainer(options).run(set.value(), TrainingCallbacks{callbacks.onBatch, callbacks.onEpoch}, cancel);
    std::error_code ec;
    if (writes && std::filesystem::exists(options.checkpointPath, ec))
        result.checkpointPath = options.checkpointPath;
    if (!outcome)
        return end(outcome.error());
    const auto ending = outcome->cancelled      ? TrainingJobResult::Ending::Stopped
                        : outcome->earlyStopped ? TrainingJobResult::Ending::EarlyStopped
                                                : TrainingJobResult::Ending::Finished;
    if (!writes) {
        result.stage = TrainingJobResult::Stage::Done;
        result.trainedForRankZero = true;
        result.metadata = std::move(outcome->model.metadata);
        result.ending = ending;
        return result;
    }

    result.stage = TrainingJobResult::Stage::Saving;
    if (auto saved = saveModelFile(spec.modelPath, outcome->model); !saved)
        return end(saved.error());
    result.stage = TrainingJobResult::Stage::Done;
    result.hasModel = true;
    result.modelPath = spec.modelPath;
    result.metadata = std::move(outcome->model.metadata);
    result.ending = ending;
    return result;
}

} // namespace ts::ml
