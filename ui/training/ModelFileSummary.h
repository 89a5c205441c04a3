#pragma once
// What a model file says about itself (metadata, and whether it is a checkpoint; not the weights),
// read on a pool thread so opening a large checkpoint never blocks the window.
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include "ml/ModelFile.h"

namespace ts::ui {

struct ModelFileSummary {
    QString path;
    QString error;                // the file and the reason when it cannot be read; empty on success
    ml::ModelMetadata metadata;
    bool resumable = false;       // a checkpoint: it holds the state a run continues from
};

ModelFileSummary readModelFileSummary(const QString& path);

// Reads `path` on a pool thread and calls done(const ModelFileSummary&) on `context`'s thread,
// unless `context` is gone by then.
template <typename Done>
void readModelFileSummaryAsync(QObject* context, const QString& path, Done done)
{
    auto* watcher = new QFutureWatcher<ModelFileSummary>(context);
    QObject::connect(watcher, &QFutureWatcher<ModelFileSummary>::finished, context, [watcher, done] {
        const ModelFileSummary summary = watcher->result();
        watcher->deleteLater();
        done(summary);
    });
    watcher->setFuture(QtConcurrent::run(&readModelFileSummary, path));
}

} // namespace ts::ui
