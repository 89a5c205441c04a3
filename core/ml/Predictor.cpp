#include "ml/Predictor.h"

#include <algorithm>

#include "dataset/FeatureCache.h"

namespace ts::ml {

Result<Predictor> Predictor::load(const std::vector<std::string>& modelPaths)
{
    if (modelPaths.empty() || modelPaths.size() > 2)
        return makeError(ErrorCode::InvalidArgument, "give one model, or a family model and a source model");
    Predictor predictor;
    for (const auto& path : modelPaths) {
        auto model = TrainedModel::load(path);
        if (!model)
            return model.error();
        predictor.m_models.push_back(std::move(model.value()));
    }
    return predictor;
}

Result<Prediction> Predictor::predictFile(const std::string& path) const
{
    auto audio = audio::loadAudio(path);
    if (!audio)
        return audio.error();
    return predict(audio.value());
}

Result<Prediction> Predictor::predict(const audio::DecodedAudio& audio) const
{
    return predictSignal(audio.samples);
}

Result<Prediction> Predictor::predictSignal(const std::vector<float>& samples16k) const
{
    const auto view = audio::modelView(samples16k);
    Prediction prediction;
    auto fill = [](std::optional<TargetPrediction>& out, Target target, const std::vector<float>& scores) {
        TargetPrediction p;
        p.labels = targetLabels(target);
        p.scores = scores;
        const auto best = std::max_element(scores.begin(), scores.end()) - scores.begin();
        p.label = p.labels[best];
        p.confidence = scores[best];
        out = std::move(p);
    };
    for (const auto& model : m_models) {
        const bool wantFamily = !prediction.family && predicts(model.architecture(), Target::Family);
        const bool wantSource = !prediction.source && predicts(model.architecture(), Target::Source);
        if (!wantFamily && !wantSource)
            continue;
        const auto features = dataset::computeFeatures(model.architecture().features, view);
        auto scores = model.score(features.data(), 1);
        if (!scores)
            return scores.error();
        if (wantFamily)
            fill(prediction.family, Target::Family, scores->family[0]);
        if (wantSource)
            fill(prediction.source, Target::Source, scores->source[0]);
    }
    return prediction;
}

} // namespace ts::ml
