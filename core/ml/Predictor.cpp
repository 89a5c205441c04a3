#include "ml/Predictor.h"

#include <algorithm>
#include <cmath>

#include "dataset/FeatureCache.h"
#include "dsp/OnsetDetector.h"
#include "util/HeapTuning.h"

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
    markUncertain(p.ownClass, kClassUncertainBelow, p.noteLike);
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

// The features of a model view, written to `out`. `sound` holds the view's first samples (at most
// kModelFrames); the view is zero after them. A note cut at the next one is mostly zero padding;
// the log-mel's centred frames see zeros outside the signal, so its frames are computed on the
// sound plus a window and a hop of zeros, exactly as on the whole view, and the frames after that,
// all silence, are copies of silence's frame. A 0.5 s note costs a seventh of a full view, and the
// 64,000-sample view is never built for it.
void computeViewFeatures(const dataset::FeatureSettings& settings, const std::vector<float>& sound, float* out)
{
    std::size_t heard = std::min(sound.size(), audio::kModelFrames);
    if (settings.kind != dataset::FeatureKind::LogMel) {
        std::vector<float> view(audio::kModelFrames, 0.0f);
        std::copy(sound.begin(), sound.begin() + std::ptrdiff_t(heard), view.begin());
        dataset::computeFeaturesInto(settings, view.data(), view.size(), out);
        return;
    }
    const std::size_t full = dataset::featureCount(settings, audio::kModelFrames);
    while (heard > 0 && sound[heard - 1] == 0.0f)
        --heard;
    const auto& logMel = settings.logMel;
    const std::size_t length = std::min(audio::kModelFrames, heard + std::size_t(logMel.fftSize / 2 + 2 * logMel.hop));
    std::vector<float> padded(length, 0.0f);
    std::copy(sound.begin(), sound.begin() + std::ptrdiff_t(heard), padded.begin());
    const std::size_t computed = dataset::featureCount(settings, length);
    dataset::computeFeaturesInto(settings, padded.data(), length, out);
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
    auto predictor = open(modelPaths);
    if (!predictor)
        return predictor.error();
    if (auto built = predictor->build(); !built)
        return built.error();
    return predictor;
}

Result<Predictor> Predictor::open(const std::vector<std::string>& modelPaths)
{
    if (modelPaths.empty() || modelPaths.size() > 2)
        return makeError(ErrorCode::InvalidArgument, "give one model, or two (say, a family model and a source model)");
    keepLargeBuffersOnTheHeap();  // as the runtime does once loaded; files are prepared before that
    Predictor predictor;
    bool haveFamily = false, haveSource = false, haveClass = false;
    for (const auto& path : modelPaths) {
        auto file = loadModelFile(path);
        if (!file)
            return file.error();
        auto architecture = architectureOf(file->metadata, path);
        if (!architecture)
            return architecture.error();
        // Each target from the first model predicting it; a model adding nothing is still checked
        // (built) like the others, but never scores.
        if (file->metadata.featureKey != architecture->features.key())
            return makeError(ErrorCode::Unsupported, "model was trained on other features (" + file->metadata.featureKey +
                                 ") than this build computes for " + architecture->id, path);
        Source source{path, std::move(file).value(), *architecture, false, false, false};
        source.family = !haveFamily && predicts(source.architecture, Target::Family);
        source.source = !haveSource && predicts(source.architecture, Target::Source);
        source.ownClass = !haveClass && predicts(source.architecture, Target::Class);
        haveFamily = haveFamily || source.family;
        haveSource = haveSource || source.source;
        haveClass = haveClass || source.ownClass;
        predictor.m_sources.push_back(std::move(source));
    }
    predictor.m_onsets = std::make_shared<const dsp::OnsetDetector>();
    return predictor;
}

bool Predictor::predictsOnlyOwnClasses() const
{
    bool own = false, nsynth = false;
    for (const Source& s : m_sources) {
        own = own || s.ownClass;
        nsynth = nsynth || s.family || s.source;
    }
    return own && !nsynth;
}

Status Predictor::build() const
{
    if (m_models.size() == m_sources.size())
        return {};
    std::vector<TrainedModel> models;
    for (const auto& source : m_sources) {
        auto model = TrainedModel::fromModelFile(source.file, source.path);
        if (!model)
            return model.error();
        models.push_back(std::move(model.value()));
    }
    m_models = std::move(models);
    return {};
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

// What is known of one signal before its views are scored.
struct ViewPlan {
    dsp::OnsetAnalysis analysis;
    std::vector<std::size_t> starts;  // empty: no note, one view of the first 4 s
    std::vector<std::size_t> ends;
    std::vector<double> weights;      // segmentWeight of each note
};

// Signals prepared together: their plans and the features of all their views, per model source
// (empty for a source that scores nothing), kViewsPerBatch rows at a time.
struct PreparedGroup {
    std::vector<std::size_t> at;  // index into PreparedFiles::paths of each signal
    std::vector<ViewPlan> plans;
    std::vector<std::size_t> firstView;
    std::size_t views = 0;
    std::vector<std::vector<float>> features;  // per source: views × its feature row
};

PreparedFiles::PreparedFiles() = default;
PreparedFiles::PreparedFiles(PreparedFiles&&) noexcept = default;
PreparedFiles& PreparedFiles::operator=(PreparedFiles&&) noexcept = default;
PreparedFiles::~PreparedFiles() = default;

std::vector<NoteSpan> noteSpansOf(const dsp::OnsetAnalysis& analysis, std::size_t length)
{
    const auto margin = std::size_t(std::lround(kOnsetMarginSeconds * audio::kModelSampleRate));
    std::vector<std::size_t> starts;
    for (std::size_t onset : analysis.onsets)
        starts.push_back(onset > margin ? onset - margin : 0);
    std::vector<NoteSpan> spans;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const std::size_t next = i + 1 < starts.size() ? starts[i + 1] : length;
        spans.push_back({starts[i], std::min({next, starts[i] + audio::kModelFrames, length})});
    }
    return spans;
}

std::vector<NoteSpan> findNoteSpans(const dsp::OnsetDetector& onsets, const std::vector<float>& samples16k)
{
    return noteSpansOf(onsets.analyse(samples16k.data(), samples16k.size()), samples16k.size());
}

namespace {

ViewPlan planViews(const dsp::OnsetDetector* onsets, const std::vector<float>& x, std::vector<std::vector<float>>& views)
{
    ViewPlan plan;
    plan.analysis = onsets ? onsets->analyse(x.data(), x.size()) : dsp::OnsetAnalysis{};
    if (plan.analysis.onsets.empty()) {
        views.emplace_back(x.begin(), x.begin() + std::ptrdiff_t(std::min(x.size(), audio::kModelFrames)));
        return plan;
    }
    for (const NoteSpan& span : noteSpansOf(plan.analysis, x.size())) {
        plan.starts.push_back(span.start);
        views.emplace_back(x.begin() + std::ptrdiff_t(span.start), x.begin() + std::ptrdiff_t(span.end));  // zero after it
        plan.ends.push_back(span.end);
        plan.weights.push_back(segmentWeight(x, span.start, span.end));
    }
    return plan;
}

// One signal's answer from its plan and its views' scores (`scored`, one per view, in order).
Prediction assemble(const ViewPlan& plan, Prediction* scored)
{
    if (plan.starts.empty()) {
        // No note (silence, or a sound below any onset): today's view, and an honest "uncertain".
        Prediction prediction = std::move(scored[0]);
        prediction.noteLike = false;
        markUncertain(prediction);
        return prediction;
    }
    Prediction prediction;
    double noteWeight = 0.0, totalWeight = 0.0;
    for (std::size_t i = 0; i < plan.starts.size(); ++i) {
        Segment segment;
        segment.start = double(plan.starts[i]) / audio::kModelSampleRate;
        segment.end = double(plan.ends[i]) / audio::kModelSampleRate;
        segment.prediction = std::move(scored[i]);
        segment.prediction.noteLike = plan.analysis.flatness(plan.starts[i], plan.ends[i]) <= kNoiseFlatness;
        markUncertain(segment.prediction);
        totalWeight += plan.weights[i];
        noteWeight += segment.prediction.noteLike ? plan.weights[i] : 0.0;
        prediction.segments.push_back(std::move(segment));
    }
    if (prediction.segments.size() == 1) {
        // One note: the file's answer is the note's, exactly.
        prediction.family = prediction.segments.front().prediction.family;
        prediction.source = prediction.segments.front().prediction.source;
        prediction.ownClass = prediction.segments.front().prediction.ownClass;
        prediction.noteLike = prediction.segments.front().prediction.noteLike;
    } else {
        prediction.family = combine(prediction.segments, plan.weights, &Prediction::family);
        prediction.source = combine(prediction.segments, plan.weights, &Prediction::source);
        prediction.ownClass = combine(prediction.segments, plan.weights, &Prediction::ownClass);
        // Most of the sound (by weight) must be notes for the file to be one.
        prediction.noteLike = totalWeight > 0.0 && noteWeight >= 0.5 * totalWeight;
    }
    markUncertain(prediction);
    return prediction;
}

void fill(std::optional<TargetPrediction>& out, const Architecture& architecture, Target target,
          const std::vector<float>& scores)
{
    TargetPrediction p;
    p.labels = labelsOf(architecture, target);
    p.scores = scores;
    const auto best = std::max_element(scores.begin(), scores.end()) - scores.begin();
    p.label = p.labels[std::size_t(best)];
    p.confidence = scores[std::size_t(best)];
    out = std::move(p);
}

} // namespace

PreparedFiles Predictor::prepareFiles(const std::vector<std::string>& paths) const
{
    // Files are decoded in order and prepared together, a group at a time: a group closes once it
    // holds this many samples (about 4 minutes of sound), so a folder of long takes never holds more
    // than a few of them, and their views, in memory at once.
    constexpr std::size_t kSamplesPerGroup = std::size_t(4) * 60 * audio::kModelSampleRate;
    PreparedFiles prepared;
    prepared.paths = paths;
    prepared.errors.resize(paths.size());
    std::vector<std::vector<float>> group;
    std::vector<std::size_t> groupAt;
    std::size_t groupSamples = 0;
    auto close = [&] {
        std::vector<const std::vector<float>*> signals;
        for (const auto& x : group)
            signals.push_back(&x);
        prepared.groups.push_back(prepare(signals));
        prepared.groups.back().at = std::move(groupAt);
        group.clear();
        groupAt.clear();
        groupSamples = 0;
    };
    for (std::size_t i = 0; i < paths.size(); ++i) {
        auto audio = audio::loadAudio(paths[i]);
        if (!audio) {
            prepared.errors[i] = audio.error();
            continue;
        }
        groupAt.push_back(i);
        groupSamples += audio->samples.size();
        group.push_back(std::move(audio->samples));
        if (groupSamples >= kSamplesPerGroup)
            close();
    }
    if (!group.empty())
        close();
    return prepared;
}

std::vector<Result<Prediction>> Predictor::finishFiles(PreparedFiles&& prepared) const
{
    std::vector<Result<Prediction>> out;
    for (std::size_t i = 0; i < prepared.paths.size(); ++i)
        out.emplace_back(prepared.errors[i] ? *prepared.errors[i] : makeError(ErrorCode::Internal, "not classified", prepared.paths[i]));
    for (const auto& group : prepared.groups) {
        auto predictions = finish(group);
        for (std::size_t k = 0; k < group.at.size(); ++k) {
            if (predictions)
                out[group.at[k]] = std::move((*predictions)[k]);
            else
                out[group.at[k]] = makeError(predictions.error().code, predictions.error().message, prepared.paths[group.at[k]]);
        }
    }
    return out;
}

std::vector<Result<Prediction>> Predictor::predictFiles(const std::vector<std::string>& paths) const
{
    return finishFiles(prepareFiles(paths));
}

PreparedGroup Predictor::prepare(const std::vector<const std::vector<float>*>& signals) const
{
    PreparedGroup group;
    std::vector<std::vector<float>> views;
    for (const auto* x : signals) {
        group.firstView.push_back(views.size());
        group.plans.push_back(planViews(m_onsets.get(), *x, views));
    }
    group.views = views.size();
    for (const auto& source : m_sources) {
        auto& features = group.features.emplace_back();
        if (!source.scoresAnything())
            continue;
        const std::size_t rowSize = dataset::featureCount(source.architecture.features, audio::kModelFrames);
        features.resize(views.size() * rowSize);
        for (std::size_t r = 0; r < views.size(); ++r)
            computeViewFeatures(source.architecture.features, views[r], features.data() + r * rowSize);
    }
    return group;
}

Result<std::vector<Prediction>> Predictor::finish(const PreparedGroup& group) const
{
    // Every view of every signal goes through the model in shared batches: for many short files
    // one forward pass of 16 views costs far less than 16 passes of one.
    if (auto built = build(); !built)
        return built.error();
    std::vector<Prediction> scored(group.views);
    for (std::size_t m = 0; m < m_sources.size(); ++m) {
        const Source& source = m_sources[m];
        if (!source.scoresAnything())
            continue;
        const std::size_t rowSize = dataset::featureCount(source.architecture.features, audio::kModelFrames);
        for (std::size_t first = 0; first < group.views; first += kViewsPerBatch) {
            const std::size_t rows = std::min(kViewsPerBatch, group.views - first);
            auto scores = m_models[m].score(group.features[m].data() + first * rowSize, rows);
            if (!scores)
                return scores.error();
            for (std::size_t r = 0; r < rows; ++r) {
                if (source.family)
                    fill(scored[first + r].family, source.architecture, Target::Family, scores->family[r]);
                if (source.source)
                    fill(scored[first + r].source, source.architecture, Target::Source, scores->source[r]);
                if (source.ownClass)
                    fill(scored[first + r].ownClass, source.architecture, Target::Class, scores->ownClass[r]);
            }
        }
    }
    std::vector<Prediction> predictions;
    for (std::size_t k = 0; k < group.plans.size(); ++k)
        predictions.push_back(assemble(group.plans[k], scored.data() + group.firstView[k]));
    return predictions;
}

Result<std::vector<Prediction>> Predictor::predictMany(const std::vector<const std::vector<float>*>& signals) const
{
    return finish(prepare(signals));
}

} // namespace ts::ml
