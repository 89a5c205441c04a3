#pragma once
// PRIVATE to core/ml (includes torch). Fitting a trained network's head temperatures on a data set's
// validation part (Calibration.h does the arithmetic): what the Trainer does once the best weights
// are restored, and what calibrateModelFile does for a model trained before calibration existed.
#include <cstddef>
#include <vector>

#include <torch/torch.h>

#include "ml/Architecture.h"
#include "ml/ModelFile.h"
#include "ml/detail/Network.h"
#include "ml/TrainingSet.h"

namespace ts::ml {

// The logits of every head for `rows`, in eval mode: [head][row][class].
std::vector<std::vector<std::vector<float>>> headLogits(Network& network, const Architecture& architecture,
                                                        const TrainingSet& data, const std::vector<std::size_t>& rows,
                                                        const torch::Device& device);

// Replaces meta.calibration with each head's temperature fitted on data.validation (with that part's
// ECE before and after). With `scoreTest` and a test part, also records the test part's ECE in
// meta.finalMetrics: "test_<target>_ece" (calibrated, what the model file's users get) and
// "test_<target>_ece_uncalibrated". Leaves the network in eval mode.
void calibrateHeads(Network& network, const Architecture& architecture, const TrainingSet& data,
                    const torch::Device& device, ModelMetadata& meta, bool scoreTest);

} // namespace ts::ml
