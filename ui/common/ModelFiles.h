#pragma once
// Where the shipped model is and how model files are offered in file dialogs: used by the
// prediction panel's model bar, the evaluation setup and the window's start-up.
#include <QString>

namespace ts::ui {

// The model the application uses by default (timbre-net), found next to the binary or in
// the installed data folder with ts::findShippedModel; packaging installs models/*.tsm.
inline constexpr const char* kShippedModelFileName = "timbre-net.tsm";

QString shippedModelPath();   // empty when this installation has no shipped model
QString modelFileFilter();    // "Timbrescope models (*.tsm)"

} // namespace ts::ui
