#pragma once
// Whether a folder holds an NSynth-format dataset: asked by the start-up, the recent-datasets menu,
// the launch arguments and the evaluation setup before they offer or open a folder.
#include <QString>

namespace ts::ui {

// Whether a folder holds an NSynth-format dataset (an examples.json), as far as a glance can tell.
bool holdsDataset(const QString& folder);

} // namespace ts::ui
