#include "ui/app/DatasetLoader.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace ts::ui {

namespace {
// QFuture needs a default-constructible value; Result<Dataset> is not.
struct Outcome {
    std::shared_ptr<const dataset::Dataset> dataset;
    QString error;
};
} // namespace

DatasetLoader::DatasetLoader(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const ts::dataset::Dataset>>();
}

void DatasetLoader::load(const QString& folder)
{
    const quint64 generation = ++m_generation;
    ++m_pending;
    QElapsedTimer clock;
    clock.start();
    Q_EMIT started(folder);
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation, folder, clock] {
        watcher->deleteLater();
        --m_pending;
        if (generation != m_generation)
            return;
        const Outcome outcome = watcher->result();
        if (outcome.dataset)
            Q_EMIT loaded(outcome.dataset, clock.elapsed());
        else
            Q_EMIT failed(folder, outcome.error);
    });
    watcher->setFuture(QtConcurrent::run([path = folder.toStdString()] {
        Outcome outcome;
        auto result = dataset::Dataset::load(path);
        if (result.ok())
            outcome.dataset = std::make_shared<const dataset::Dataset>(std::move(result).value());
        else
            outcome.error = QString::fromStdString(result.error().describe());
        return outcome;
    }));
}

} // namespace ts::ui
