#include "ui/app/RecentDatasetsMenu.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include "ui/common/Settings.h"
#include "ui/common/DatasetFolder.h"

namespace ts::ui {

namespace {
const QString kKey = QStringLiteral("datasets/recent");
}

RecentDatasetsMenu::RecentDatasetsMenu(QWidget* parent) : QMenu(tr("Open &Recent"), parent)
{
    // Rebuilt on every opening, so a folder deleted meanwhile shows as unavailable.
    connect(this, &QMenu::aboutToShow, this, &RecentDatasetsMenu::rebuild);
    rebuild();
}

QStringList RecentDatasetsMenu::folders() const
{
    return appSettings().value(kKey).toStringList();
}

void RecentDatasetsMenu::addFolder(const QString& folder)
{
    const QString clean = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    QStringList list = folders();
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > kMaxEntries)
        list.removeLast();
    appSettings().setValue(kKey, list);
    rebuild();
}

void RecentDatasetsMenu::clearFolders()
{
    appSettings().remove(kKey);
    rebuild();
}

void RecentDatasetsMenu::rebuild()
{
    clear();
    const QStringList list = folders();
    int number = 1;
    for (const QString& folder : list) {
        const QString label = QStringLiteral("&%1  %2").arg(number++).arg(QDir::toNativeSeparators(folder));
        QAction* action = addAction(label);
        const bool exists = holdsDataset(folder);
        action->setEnabled(exists);
        if (!exists)
            action->setToolTip(tr("%1 no longer holds a dataset").arg(folder));
        connect(action, &QAction::triggered, this, [this, folder] { Q_EMIT openRequested(folder); });
    }
    if (list.isEmpty()) {
        addAction(tr("No recent datasets"))->setEnabled(false);
        return;
    }
    addSeparator();
    addAction(tr("Clear Menu"), this, &RecentDatasetsMenu::clearFolders);
}

} // namespace ts::ui
