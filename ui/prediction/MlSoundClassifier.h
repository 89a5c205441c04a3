#pragma once
// The SoundClassifier of Timbrescope model files, on core/ml's Predictor (torch stays inside
// core/ml; this sees label names and probabilities). Give loadMlSoundClassifier to a
// PredictionPanel, with shippedModelPath() and modelFileFilter() of ui/common/ModelFiles.h:
//   auto* panel = new PredictionPanel(&loadMlSoundClassifier, this);
//   panel->setShippedModelPath(shippedModelPath());
//   panel->setModelFileFilter(modelFileFilter());
#include <QString>

#include <memory>
#include <string>

#include "ui/prediction/SoundClassifier.h"

namespace ts::ui {

Result<std::unique_ptr<SoundClassifier>> loadMlSoundClassifier(const std::string& path);


} // namespace ts::ui
