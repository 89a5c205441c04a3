#include "ui/prediction/SaliencyExplainer.h"

#include <algorithm>

#include "dataset/FeatureCache.h"
#include "dsp/LogMel.h"
#include "ml/TrainedModel.h"
#include "ui/common/LabelNames.h"
#include "ui/sound/SpectrogramCanvas.h"

namespace ts::ui {

Explanation explainSound(const std::string& modelPath, const audio::DecodedAudio& audio, int target, int classIndex)
{
    auto describe = [](const Error& e) { return QObject::tr("No explanation: %1").arg(QString::fromStdString(e.describe())); };
    auto model = ml::TrainedModel::load(modelPath);
    if (!model)
        return {nullptr, describe(model.error())};
    const auto& architecture = model->architecture();
    // The first choice (0) is the family, or a model of own classes' class.
    const ml::Target wanted = target == 1                                            ? ml::Target::Source
                              : ml::predicts(architecture, ml::Target::Class)
                                      && !ml::predicts(architecture, ml::Target::Family) ? ml::Target::Class
                                                                                         : ml::Target::Family;
    if (std::find(architecture.targets.begin(), architecture.targets.end(), wanted) == architecture.targets.end())
        return {nullptr, QObject::tr("No explanation: this model does not predict the %1").arg(target == 1 ? QObject::tr("source")
                                                                                                         : QObject::tr("family"))};
    const auto features = dataset::computeFeatures(architecture.features, audio::modelView(audio.samples));
    auto scores = model->score(features.data(), 1);
    if (!scores)
        return {nullptr, describe(scores.error())};
    const auto& probabilities = scores->of(wanted).front();
    const int chosen = int(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
    // The view's class choices are NSynth's names: a model of own classes is asked about its answer.
    const int asked = wanted != ml::Target::Class && classIndex >= 0 && classIndex < int(probabilities.size()) ? classIndex : chosen;
    auto saliency = model->explain(features.data(), wanted, asked);
    if (!saliency)
        return {nullptr, describe(saliency.error())};

    auto overlay = std::make_shared<SpectrogramOverlay>();
    overlay->frames = saliency->frames;
    overlay->bands = saliency->bands;
    overlay->values = std::move(saliency->values);
    const dsp::LogMelSettings& mel = architecture.features.logMel;
    overlay->secondsPerFrame = double(mel.hop) / double(mel.sampleRate);
    // Each band spans halfway (on the mel scale) to its neighbours' centres.
    const dsp::LogMel bands(mel);
    std::vector<double> centres;
    for (int b = 0; b < overlay->bands; ++b)
        centres.push_back(dsp::hzToMel(bands.bandCentreHz(b)));
    for (int b = 0; b < overlay->bands; ++b) {
        const double below = b > 0 ? centres[std::size_t(b - 1)] : 2.0 * centres[0] - centres[std::min<std::size_t>(1, centres.size() - 1)];
        const double above = b + 1 < overlay->bands ? centres[std::size_t(b + 1)]
                                                    : 2.0 * centres[std::size_t(b)] - centres[std::size_t(std::max(0, b - 1))];
        overlay->bandLowHz.push_back(dsp::melToHz((below + centres[std::size_t(b)]) / 2.0));
        overlay->bandHighHz.push_back(dsp::melToHz((above + centres[std::size_t(b)]) / 2.0));
    }
    auto nameOf = [&](int c) {
        return wanted == ml::Target::Family   ? familyDisplayName(c)
               : wanted == ml::Target::Source ? sourceDisplayName(c)
                                              : QString::fromStdString(ml::labelsOf(architecture, wanted)[std::size_t(c)]);
    };
    const QString name = nameOf(asked);
    QString caption = QObject::tr("Why %1 (%2 %): red marks what spoke for it").arg(name).arg(100.0 * probabilities[std::size_t(asked)], 0, 'f', 0);
    if (asked != chosen)
        caption += QObject::tr(" (the model chose %1)").arg(nameOf(chosen));
    return {std::move(overlay), caption};
}

SaliencyExplainer::SaliencyExplainer(QObject* parent) : QObject(parent), m_work(this) {}

void SaliencyExplainer::explain(const QString& modelPath, std::shared_ptr<const audio::DecodedAudio> audio, int target, int classIndex)
{
    if (!audio)
        return;
    const audio::DecodedAudio* key = audio.get();
    m_work.run([path = modelPath.toStdString(), audio, target, classIndex]() -> Result<Explanation> {
                   return explainSound(path, *audio, target, classIndex);
               },
               [this, key](Result<Explanation> result) {
                   if (result)
                       Q_EMIT explained(key, *result);
               });
}

} // namespace ts::ui
