#include "ui/prediction/MlSoundClassifier.h"

#include <QObject>
#include <QStringList>

#include "ml/Device.h"
#include "ml/Predictor.h"
#include "util/AppPaths.h"

namespace ts::ui {
namespace {

ClassScores toClassScores(const ts::ml::TargetPrediction& prediction)
{
    ClassScores scores;
    for (const std::string& label : prediction.labels)
        scores.labels << QString::fromStdString(label);
    for (float p : prediction.scores)
        scores.scores << double(p);
    scores.uncertain = prediction.uncertain;
    return scores;
}

class MlSoundClassifier : public SoundClassifier {
public:
    MlSoundClassifier(ts::ml::Predictor predictor, const std::string& path)
        : m_predictor(std::move(predictor)), m_path(QString::fromStdString(path))
    {
    }

    LoadedModel model() const override
    {
        LoadedModel model;
        model.path = m_path;
        QStringList architectures;
        QStringList targets;
        for (const ts::ml::TrainedModel& trained : m_predictor.models()) {
            architectures << QString::fromStdString(trained.metadata().architecture);
            for (const std::string& target : trained.metadata().targets) {
                targets << QString::fromStdString(target);
                model.predictsFamily |= target == "family";
                model.predictsSource |= target == "source";
                model.predictsClass |= target == "class";
            }
        }
        targets.removeDuplicates();
        model.description = architectures.join(QStringLiteral(" + ")) + QStringLiteral(" · ") + targets.join(QStringLiteral(" + "));
        return model;
    }

    Result<ClassifierOutput> classify(const ts::audio::DecodedAudio& audio) override
    {
        Result<ts::ml::Prediction> prediction = m_predictor.predict(audio);
        if (!prediction)
            return prediction.error();
        ClassifierOutput output;
        if (prediction->family)
            output.family = toClassScores(*prediction->family);
        if (prediction->source)
            output.source = toClassScores(*prediction->source);
        if (prediction->ownClass)
            output.ownClass = toClassScores(*prediction->ownClass);
        for (const ts::ml::Segment& segment : prediction->segments) {
            PredictedSegment out;
            out.start = segment.start;
            out.end = segment.end;
            if (segment.prediction.family)
                out.family = toClassScores(*segment.prediction.family);
            if (segment.prediction.source)
                out.source = toClassScores(*segment.prediction.source);
            if (segment.prediction.ownClass)
                out.ownClass = toClassScores(*segment.prediction.ownClass);
            output.segments << out;
        }
        return output;
    }

private:
    ts::ml::Predictor m_predictor;  // used from the worker thread only (one per thread)
    QString m_path;
};

} // namespace

Result<std::unique_ptr<SoundClassifier>> loadMlSoundClassifier(const std::string& path)
{
    // A model of own classes alone says nothing of family and source: the shipped timbre-net, when
    // there is one, answers those beside it (as `predict --model MINE --model timbre-net.tsm`).
    // Opening reads the files without building a network, so the choice costs no second build.
    Result<ts::ml::Predictor> predictor = ts::ml::Predictor::open({path});
    if (!predictor)
        return predictor.error();
    if (predictor->predictsOnlyOwnClasses()) {
        const std::string shipped = findShippedModel(executableFolder(), "timbre-net.tsm");
        if (!shipped.empty())
            if (auto both = ts::ml::Predictor::open({path, shipped}))
                predictor = std::move(both);
    }
    if (auto built = predictor->build(); !built)
        return built.error();
    // Loading set every core; this (the worker's) thread gets one intra-op thread instead. One 4 s
    // note through timbre-net takes about 2 ms on one thread, while two OpenMP threads on a busy
    // 2-core machine wait on each other (measured 40-215 ms per note). LibTorch here uses OpenMP,
    // whose thread count belongs to the calling thread, so training elsewhere keeps its own.
    ts::ml::configureCpuRuntime(1);
    // One pass on silence now: LibTorch's first forward allocates and tunes, which would otherwise
    // land on the first file the user drops.
    (void)predictor->predictSignal(std::vector<float>(ts::audio::kModelFrames, 0.0f));
    return std::unique_ptr<SoundClassifier>(std::make_unique<MlSoundClassifier>(std::move(predictor).value(), path));
}

} // namespace ts::ui
