#pragma once
// Calibrating a model that is already trained, without training it again: its head temperatures are
// fitted on a data set's validation part (Calibration.h) and written into its metadata. For model
// files made before calibration existed (`timbrescope calibrate`).
#include <string>

#include "ml/ModelFile.h"
#include "ml/TrainingSet.h"
#include "util/Result.h"

namespace ts::ml {

// The same file with metadata.calibration replaced; the weights' values and everything else unchanged
// (a format-1 file comes back in the current format, as convertModelFile gives it). The test
// part's ECE in final_metrics is updated only when the model was trained on `data` (those figures
// describe its own test part). Errors: the architecture is unknown, the features are not the ones it
// expects, the validation part is empty, the weights do not load (named by `pathForErrors`).
Result<ModelFile> calibrateModelFile(const ModelFile& file, const TrainingSet& data, const std::string& pathForErrors = {});

} // namespace ts::ml
