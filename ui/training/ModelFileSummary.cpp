#include "ui/training/ModelFileSummary.h"

namespace ts::ui {

ModelFileSummary readModelFileSummary(const QString& path)
{
    ModelFileSummary summary;
    summary.path = path;
    auto file = ml::loadModelFile(path.toStdString());
    if (!file) {
        summary.error = QString::fromStdString(file.error().describe());
        return summary;
    }
    summary.metadata = std::move(file->metadata);
    summary.resumable = !file->resumeState.empty();
    return summary;
}

} // namespace ts::ui
