#pragma once
// File → Recent datasets: the last opened dataset folders (most recent first), kept in QSettings
// under "datasets/recent". Folders that no longer exist are shown disabled, not silently dropped.
#include <QMenu>
#include <QStringList>

namespace ts::ui {

class RecentDatasetsMenu : public QMenu {
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 8;

    explicit RecentDatasetsMenu(QWidget* parent = nullptr);

    QStringList folders() const;
    // Puts a folder first (removing an older entry of it) and saves the list.
    void addFolder(const QString& folder);
    void clearFolders();

Q_SIGNALS:
    void openRequested(const QString& folder);

private:
    void rebuild();
};

} // namespace ts::ui
