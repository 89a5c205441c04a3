#include "ml/Predictor.h"

#include <algorithm>
#include <cmath>

#include "dataset/FeatureCache.h"
#include "dsp/OnsetDetector.h"

namespace ts::ml {

namespace {

// Views scored per forward pass: bounds the memory of a long file's batch (a seed-cnn2d row is
// 64,371 floats before its activations).
constexpr std::size_t kViewsPerBatch = 16;

void markUncertain(std::optional<TargetPrediction>& p, float threshold, bool noteLike)
{
    if (p)
        p->uncertain = !noteLike || p->confidence < threshold;
}

void markUncertain(Prediction& p)
{
    markUncertain(p.family, kFamilyUncertainBelow, p.noteLike);
    markUncertain(p.source, kSourceUncertainBelow, p.noteLike);
}

// How much a segment counts in the file's answer: its length times its RMS level (linear). A held
// note counts more than a grace note and a quiet note less than the melody, while one loud hit does
// not drown the rest as weighting by energy (length × RMS²) would: 20 dB louder is 10×, not 100×.
double segmentWeight(const std::vector<float>& x, std::size_t first, std::size_t last)
{
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i)
        sum += double(x[i]) * x[i];
    const std::size_t n = last - first;
    return n > 0 ? double(n) / audio::kModelSampleRate * std::sqrt(sum / double(n)) : 0.0;
}

// The weighted mean of the segments' probabilities, as one target's answer.
std::optional<TargetPrediction> combine(const std::vector<Segment>& segments, const std::vector<double>& weights,
                                        std::optional<TargetPrediction> Prediction::*target)
{
    std::optional<TargetPrediction> out;
    double total = 0.0;
    std::vector<double> sum;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& p = segments[i].prediction.*target;
        if (!p)
            return std::nullopt;
        if (!out) {
            out = TargetPrediction{};
            out->labels = p->labels;
            sum.assign(p->scores.size(), 0.0);
        }
        for (std::size_t k = 0; k < sum.size() && k < p->scores.size(); ++k)
            sum[k] += weights[i] * p->scores[k];
        total += weights[i];
    }
    if (!out || sum.empty())
        return out;
    for (double s : sum)
        out->scores.push_back(float(total > 0.0 ? s / total : 1.0 / double(sum.size())));
    const auto best = std::size_t(std::max_element(out->scores.begin(), out->scores.end()) - out->scores.begin());
    out->label = out->labels[best];
    out->confidence = out->scores[best];
    return out;
}

// The features of a model view (kModelFrames samples, zero after its sound), written to `out`.
// A note cut at the next one is mostly zero padding; the log-mel's centred frames see zeros outside
// the signal, so its frames are computed on the sound plus a window and a hop of zeros, exactly as
// on the whole view, and the frames after that, all silence, are copies of silence's frame. A
// 0.5 s note costs a seventh of a full view.
void computeViewFeatures(const dataset::FeatureSettings& settings, const std::vector<float>& view, float* out)
{
    const std::size_t full = dataset::featureCount(settings, view.size());
    if (settings.kind != dataset::FeatureKind::LogMel) {
        dataset::computeFeaturesInto(settings, view.data(), view.size(), out);
        return;
    }
    std::size_t sound = view.size();
    while (sound > 0 && view[sound - 1] == 0.0f)
        --sound;
    const auto& logMel = settings.logMel;
    const std::size_t length = std::min(view.size(), sound + std::size_t(logMel.fftSize / 2 + 2 * logMel.hop));
    const std::size_t computed = dataset::featureCount(settings, length);
    dataset::computeFeaturesInto(settings, view.data(), length, out);
    if (computed >= full)
        return;
    const float zero = 0.0f;
    std::vector<float> silence(dataset::featureCount(settings, 1));
    dataset::computeFeaturesInto(settings, &zero, 1, silence.data());
    const std::size_t bands = std::size_t(logMel.bands);
    for (std::size_t at = computed; at < full; at += bands)
        std::copy(silence.begin(), silence.begin() + std::ptrdiff_t(bands), out + at);
}

} // namespace

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
    predictor.m_onsets = std::make_shared<const dsp::OnsetDetector>();
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
    auto predictions = predictMany({&samples16k});
    if (!predictions)
        return predictions.error();
    return std::move(predictions->front());
}

Result<std::vector<Prediction>> Predictor::predictSignals(const std::vector<std::vector<float>>& signals16k) const
{
    std::vector<const std::vector<float>*> signals;
    for (const auto& x : signals16k)
        signals.push_back(&x);
    return predictMany(signals);
}

std::vector<Result<Prediction>> Predictor::predictFiles(const std::vector<std::string>& paths) const
{
    // Files are decoded in order and classified together, a group at a time: a group closes once it
    // holds this many samples (about 4 minutes of sound), so a folder of long takes never holds more
    // than a few of them, and their views, in memory at once.
    constexpr std::size_t kSamplesPerGroup = std::size_t(4) * 60 * audio::kModelSampleRate;
    std::vector<Result<Prediction>> out;
    std::vector<std::vector<float>> group;
    std::vector<std::size_t> groupAt;  // index into `out` of each decoded file of the group
    std::size_t groupSamples = 0;
    auto classifyGroup = [&] {
        auto predictions = predictSignals(group);
        for (std::size_t k = 0; k < groupAt.size(); ++k) {
            if (predictions)
                out[groupAt[k]] = std::move((*predictions)[k]);
            else
                out[groupAt[k]] = makeError(predictions.error().code, predictions.error().message, paths[groupAt[k]]);
        }
        group.clear();
        groupAt.clear();
        groupSamples = 0;
    };
    for (const auto& path : paths) {
        auto audio = audio::loadAudio(path);
        if (!audio) {
            out.emplace_back(audio.error());
            continue;
        }
        out.emplace_back(makeError(ErrorCode::Internal, "not classified", path));  // replaced below
        groupAt.push_back(out.size() - 1);
        groupSamples += audio->samples.size();
        group.push_back(std::move(audio->samples));
        if (groupSamples >= kSamplesPerGroup)
            classifyGroup();
    }
    if (!group.empty())
        classifyGroup();
    return out;
}

namespace {

// What predictMany knows of one signal before its views are scored.
struct ViewPlan {
    dsp::OnsetAnalysis analysis;
    std::vector<std::size_t> starts;  // empty: no note, one view of the first 4 s
    std::vector<std::size_t> ends;
};

ViewPlan planViews(const dsp::OnsetDetector* onsets, const std::vector<float>& x, std::vector<std::vector<float>>& views)
{
    ViewPlan plan;
    plan.analysis = onsets ? onsets->analyse(x.data(), x.size()) : dsp::OnsetAnalysis{};
    if (plan.analysis.onsets.empty()) {
        views.push_back(audio::modelView(x));
        return plan;
    }
    const auto margin = std::size_t(std::lround(kOnsetMarginSeconds * audio::kModelSampleRate));
    for (std::size_t onset : plan.analysis.onsets)
        plan.starts.push_back(onset > margin ? onset - margin : 0);
    for (std::size_t i = 0; i < plan.starts.size(); ++i) {
        const std::size_t next = i + 1 < plan.starts.size() ? plan.starts[i + 1] : x.size();
        const std::size_t end = std::min({next, plan.starts[i] + audio::kModelFrames, x.size()});
        std::vector<float> view(audio::kModelFrames, 0.0f);
        std::copy(x.begin() + std::ptrdiff_t(plan.starts[i]), x.begin() + std::ptrdiff_t(end), view.begin());
        views.push_back(std::move(view));
        plan.ends.push_back(end);
    }
    return plan;
}

// One signal's answer from its plan and its views' scores (`scored`, one per view, in order).
Prediction assemble(const ViewPlan& plan, const std::vector<float>& x, Prediction* scored)
{
    if (plan.starts.empty()) {
        // No note (silence, or a sound below any onset): today's view, and an honest "uncertain".
        Prediction prediction = std::move(scored[0]);
        prediction.noteLike = false;
        markUncertain(prediction);
        return prediction;
    }
    Prediction prediction;
    std::vector<double> weights;
    double noteWeight = 0.0, totalWeight = 0.0;
    for (std::size_t i = 0; i < plan.starts.size(); ++i) {
        Segment segment;
        segment.start = double(plan.starts[i]) / audio::kModelSampleRate;
        segment.end = double(plan.ends[i]) / audio::kModelSampleRate;
        segment.prediction = std::move(scored[i]);
        segment.prediction.noteLike = plan.analysis.flatness(plan.starts[i], plan.ends[i]) <= kNoiseFlatness;
        markUncertain(segment.prediction);
        weights.push_back(segmentWeight(x, plan.starts[i], plan.ends[i]));
        totalWeight += weights.back();
        noteWeight += segment.prediction.noteLike ? weights.back() : 0.0;
        prediction.segments.push_back(std::move(segment));
    }
    if (prediction.segments.size() == 1) {
        // One note: the file's answer is the note's, exactly.
        prediction.family = prediction.segments.front().prediction.family;
        prediction.source = prediction.segments.front().prediction.source;
        prediction.noteLike = prediction.segments.front().prediction.noteLike;
    } else {
        prediction.family = combine(prediction.segments, weights, &Prediction::family);
        prediction.source = combine(prediction.segments, weights, &Prediction::source);
        // Most of the sound (by weight) must be notes for the file to be one.
        prediction.noteLike = totalWeight > 0.0 && noteWeight >= 0.5 * totalWeight;
    }
    markUncertain(prediction);
    return prediction;
}

} // namespace

Result<std::vector<Prediction>> Predictor::predictMany(const std::vector<const std::vector<float>*>& signals) const
{
    // Every view of every signal goes through the model in shared batches: for many short files
    // one forward pass of 16 views costs far less than 16 passes of one.
    std::vector<std::vector<float>> views;
    std::vector<ViewPlan> plans;
    std::vector<std::size_t> firstView;
    for (const auto* x : signals) {
        firstView.push_back(views.size());
        plans.push_back(planViews(m_onsets.get(), *x, views));
    }
    auto scored = classifyViews(views);
    if (!scored)
        return scored.error();
    std::vector<Prediction> predictions;
    for (std::size_t k = 0; k < signals.size(); ++k)
        predictions.push_back(assemble(plans[k], *signals[k], scored->data() + firstView[k]));
    return predictions;
}

Result<std::vector<Prediction>> Predictor::classifyViews(const std::vector<std::vector<float>>& views) const
{
    std::vector<Prediction> predictions(views.size());
    auto fill = [](std::optional<TargetPrediction>& out, Target target, const std::vector<float>& scores) {
        TargetPrediction p;
        p.labels = targetLabels(target);
        p.scores = scores;
        const auto best = std::max_element(scores.begin(), scores.end()) - scores.begin();
        p.label = p.labels[best];
        p.confidence = scores[best];
        out = std::move(p);
    };
    bool haveFamily = false, haveSource = false;
    std::vector<float> features;
    for (const auto& model : m_models) {
        const bool wantFamily = !haveFamily && predicts(model.architecture(), Target::Family);
        const bool wantSource = !haveSource && predicts(model.architecture(), Target::Source);
        if (!wantFamily && !wantSource)
            continue;
        const auto& settings = model.architecture().features;
        const std::size_t rowSize = dataset::featureCount(settings, audio::kModelFrames);
        for (std::size_t first = 0; first < views.size(); first += kViewsPerBatch) {
            const std::size_t rows = std::min(kViewsPerBatch, views.size() - first);
            features.resize(rows * rowSize);
            for (std::size_t r = 0; r < rows; ++r)
                computeViewFeatures(settings, views[first + r], features.data() + r * rowSize);
            auto scores = model.score(features.data(), rows);
            if (!scores)
                return scores.error();
            for (std::size_t r = 0; r < rows; ++r) {
                if (wantFamily)
                    fill(predictions[first + r].family, Target::Family, scores->family[r]);
                if (wantSource)
                    fill(predictions[first + r].source, Target::Source, scores->source[r]);
            }
        }
        haveFamily = haveFamily || wantFamily;
        haveSource = haveSource || wantSource;
    }
    return predictions;
}

} // namespace ts::ml
