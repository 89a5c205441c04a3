#pragma once
// Decodes the sound the views show (a dataset note or a dropped file) on a pool thread. Holding an
// arrow key requests many notes per second: only the latest request is reported.
#include <QObject>
#include <QString>
#include <memory>

#include "audio/AudioFile.h"
#include "ui/common/LatestResult.h"

namespace ts::ui {

class SoundDecoder : public QObject {
    Q_OBJECT
public:
    explicit SoundDecoder(QObject* parent = nullptr);

    void request(const QString& path);
    // Drops any pending request (e.g. the selection became empty).
    void cancelPending() { m_decode.discard(); }

Q_SIGNALS:
    void decoded(const QString& path, std::shared_ptr<const ts::audio::DecodedAudio> audio);
    void failed(const QString& path, const QString& message);

private:
    LatestResult<std::shared_ptr<const audio::DecodedAudio>> m_decode{this};
};

} // namespace ts::ui
