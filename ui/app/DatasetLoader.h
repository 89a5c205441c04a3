#pragma once
// Loads a dataset (examples.json + a stat of every WAV) on a pool thread, so opening 300,000 notes
// never freezes the window. Only the latest request is reported: opening B while A still loads
// means A's result is dropped.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <memory>

#include "dataset/Dataset.h"
#include "ui/common/LatestResult.h"

namespace ts::ui {

class DatasetLoader : public QObject {
    Q_OBJECT
public:
    explicit DatasetLoader(QObject* parent = nullptr);

    void load(const QString& folder);
    bool isLoading() const { return m_load.isRunning(); }

Q_SIGNALS:
    void started(const QString& folder);
    // elapsedMs: from load() to this signal (parse, stat, and the hop back to the GUI thread).
    void loaded(std::shared_ptr<const ts::dataset::Dataset> dataset, qint64 elapsedMs);
    void failed(const QString& folder, const QString& message);

private:
    LatestResult<std::shared_ptr<const dataset::Dataset>> m_load{this};
};

} // namespace ts::ui
