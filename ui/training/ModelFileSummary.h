#pragma once
// What a model file says about itself (metadata, and whether it is a checkpoint; not the weights),
// read on a pool thread (through LatestResult) so opening a large checkpoint never blocks the window.
#include <QString>

#include "ml/ModelFile.h"
#include "util/Result.h"

namespace ts::ui {

struct ModelFileSummary {
    QString path;
    ml::ModelMetadata metadata;
    bool resumable = false;       // a checkpoint: it holds the state a run continues from
};

// The error names the file and the reason it cannot be read.
Result<ModelFileSummary> readModelFileSummary(const QString& path);

} // namespace ts::ui
