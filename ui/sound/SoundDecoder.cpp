#include "ui/sound/SoundDecoder.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace ts::ui {

namespace {
struct Outcome {
    std::shared_ptr<const audio::DecodedAudio> audio;
    QString error;
};
} // namespace

SoundDecoder::SoundDecoder(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const ts::audio::DecodedAudio>>();
}

void SoundDecoder::request(const QString& path)
{
    const quint64 generation = ++m_generation;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation, path] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Outcome outcome = watcher->result();
        if (outcome.audio)
            Q_EMIT decoded(path, outcome.audio);
        else
            Q_EMIT failed(path, outcome.error);
    });
    watcher->setFuture(QtConcurrent::run([p = path.toStdString()] {
        Outcome outcome;
        auto result = audio::loadAudio(p);
        if (result.ok())
            outcome.audio = std::make_shared<const audio::DecodedAudio>(std::move(result).value());
        else
            outcome.error = QString::fromStdString(result.error().describe());
        return outcome;
    }));
}

} // namespace ts::ui
