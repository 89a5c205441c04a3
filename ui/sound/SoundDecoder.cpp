#include "ui/sound/SoundDecoder.h"

namespace ts::ui {

SoundDecoder::SoundDecoder(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const ts::audio::DecodedAudio>>();
}

void SoundDecoder::request(const QString& path)
{
    m_decode.run(
        [p = path.toStdString()]() -> Result<std::shared_ptr<const audio::DecodedAudio>> {
            auto result = audio::loadAudio(p);
            if (!result)
                return result.error();
            return std::make_shared<const audio::DecodedAudio>(std::move(result).value());
        },
        [this, path](Result<std::shared_ptr<const audio::DecodedAudio>> result) {
            if (result)
                Q_EMIT decoded(path, std::move(result).value());
            else
                Q_EMIT failed(path, QString::fromStdString(result.error().describe()));
        });
}

} // namespace ts::ui
