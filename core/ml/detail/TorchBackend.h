#pragma once
// PRIVATE to the LibTorch runtime library (ml/detail/*.cpp): the functions TorchRuntime.cpp puts
// behind the TorchRuntime interface, one per file that implements them. Their names differ from the
// front's public functions (Trainer::run, TrainingStep::create, ...) because the library also carries
// a copy of the front, whose versions of those forward to the runtime.
#include <memory>
#include <string>

#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

// Trainer::run's work (TorchTrainer.cpp).
Result<TrainingOutcome> trainNetwork(const TrainingOptions& options, const TrainingSet& data,
                                     const TrainingCallbacks& callbacks, const CancellationToken& cancel);

// TrainingStep::create's work (TorchTrainingStep.cpp).
Result<std::unique_ptr<detail::TrainingStepRunner>> createTorchTrainingStep(const Architecture& architecture,
                                                                            const TrainingOptions& options);

} // namespace ts::ml
