#include "ui/training/ModelFileSummary.h"

namespace ts::ui {

Result<ModelFileSummary> readModelFileSummary(const QString& path)
{
    auto file = ml::loadModelFile(path.toStdString());
    if (!file)
        return file.error();
    ModelFileSummary summary;
    summary.path = path;
    summary.metadata = std::move(file->metadata);
    summary.resumable = !file->resumeState.empty();
    return summary;
}

} // namespace ts::ui
