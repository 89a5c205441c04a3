#include "ui/app/LaunchPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include "ui/common/DatasetFolder.h"

namespace ts::ui {

LaunchPaths sortLaunchPaths(const QStringList& arguments)
{
    LaunchPaths sorted;
    for (const QString& argument : arguments) {
        const QFileInfo info(argument);
        const QString path = QDir::cleanPath(info.absoluteFilePath());
        if (!info.exists()) {
            sorted.problems << QCoreApplication::translate("LaunchPaths", "%1: no such file or folder")
                                   .arg(QDir::toNativeSeparators(argument));
        } else if (holdsDataset(path)) {
            if (sorted.datasetFolder.isEmpty())
                sorted.datasetFolder = path;
            else
                sorted.problems << QCoreApplication::translate("LaunchPaths", "%1: only one dataset can be open; opened %2")
                                       .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(sorted.datasetFolder));
        } else {
            sorted.soundPaths << path;
        }
    }
    return sorted;
}

} // namespace ts::ui
