#pragma once
// The SoundClassifier of Timbrescope model files, on core/ml's Predictor (torch stays inside
// core/ml; this sees label names and probabilities). Give loadMlSoundClassifier to a
// PredictionPanel, with shippedModelPath() and modelFileFilter():
//   auto* panel = new PredictionPanel(&loadMlSoundClassifier, this);
//   panel->setShippedModelPath(shippedModelPath());
//   panel->setModelFileFilter(modelFileFilter());
#include <QString>

#include <memory>
#include <string>

#include "ui/SoundClassifier.h"

namespace ts::ui {

// The model the application uses by default (timbre-net), found next to the binary or in
// the installed data folder with ts::findShippedModel; packaging installs models/*.tsm.
inline constexpr const char* kShippedModelFileName = "timbre-net.tsm";

Result<std::unique_ptr<SoundClassifier>> loadMlSoundClassifier(const std::string& path);

QString shippedModelPath();   // empty when this installation has no shipped model
QString modelFileFilter();    // "Timbrescope models (*.tsm)"

} // namespace ts::ui
