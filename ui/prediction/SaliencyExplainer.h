#pragma once
// Works out, off the GUI thread, which parts of a sound made a model decide: the model's answer
// (or a chosen class) and its saliency over the log-mel (ml::TrainedModel::explain, integrated
// gradients), turned into a spectrogram overlay whose bands are the log-mel's mel bands in Hz. Only
// the newest request is answered.
#include <QObject>
#include <QString>

#include <memory>

#include "audio/AudioFile.h"
#include "ui/common/LatestResult.h"

namespace ts::ui {

struct SpectrogramOverlay;

struct Explanation {
    std::shared_ptr<const SpectrogramOverlay> overlay;  // null when there is none
    QString caption;  // "Why guitar (81 %): …", or why there is no explanation
};

// The explanation of `audio` by the model at `modelPath`: target 0 family, 1 source; classIndex -1
// for the class the model chose. Errors (a model without saliency, a target it does not predict)
// come back as a caption without an overlay.
Explanation explainSound(const std::string& modelPath, const audio::DecodedAudio& audio, int target, int classIndex);

class SaliencyExplainer : public QObject {
    Q_OBJECT
public:
    explicit SaliencyExplainer(QObject* parent = nullptr);

    void explain(const QString& modelPath, std::shared_ptr<const audio::DecodedAudio> audio, int target, int classIndex);

Q_SIGNALS:
    // For the sound at `forAudio` (compare, never dereference: it may be gone).
    void explained(const ts::audio::DecodedAudio* forAudio, const ts::ui::Explanation& explanation);

private:
    LatestResult<Explanation> m_work;
};

} // namespace ts::ui
