#include "ui/common/DatasetFolder.h"

#include <QFileInfo>

namespace ts::ui {

bool holdsDataset(const QString& folder)
{
    return !folder.isEmpty() && QFileInfo::exists(folder + QStringLiteral("/examples.json"));
}

} // namespace ts::ui
