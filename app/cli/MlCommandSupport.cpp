#include "cli/MlCommandSupport.h"

#include <csignal>
#include <iostream>

#include "dataset/Dataset.h"
#include "dataset/FeatureCache.h"
#include "dataset/Split.h"

namespace ts::cli {

Result<ml::TrainingSet> loadTrainingSet(const std::string& dataFolder, const ml::Architecture& architecture,
                                        const std::string& splitName, std::uint64_t seed, const CancellationToken& cancel)
{
    const auto policy = dataset::parseSplitPolicy(splitName);
    if (!policy)
        return makeError(ErrorCode::InvalidArgument, "--split must be seed, random or instrument, got '" + splitName + "'");
    auto data = dataset::Dataset::load(dataFolder);
    if (!data)
        return data.error();
    dataset::SplitOptions splitOptions;
    splitOptions.policy = *policy;
    splitOptions.seed = seed;
    auto split = dataset::makeSplit(data.value(), splitOptions);
    if (!split)
        return split.error();
    std::size_t lastShown = 0;
    const auto progress = [&lastShown](const Progress& p) {
        if (p.total > 0 && (p.done == p.total || p.done >= lastShown + p.total / 10)) {
            lastShown = p.done;
            std::cerr << "features: " << p.done << "/" << p.total << "\n";
        }
    };
    auto features = dataset::FeatureCache().load(data.value(), architecture.features, progress, cancel);
    if (!features)
        return features.error();
    return ml::makeTrainingSet(data.value(), features.value(), split.value(), splitName);
}

nlohmann::ordered_json historyToJson(const ml::ModelMetadata& m)
{
    nlohmann::ordered_json history = nlohmann::ordered_json::array();
    for (const auto& e : m.history)
        history.push_back({{"epoch", e.epoch}, {"loss", e.loss}, {"accuracy", e.accuracy},
                           {"val_loss", e.validationLoss}, {"val_accuracy", e.validationAccuracy},
                           {"seconds", e.seconds}, {"samples_per_second", e.samplesPerSecond}});
    return history;
}

nlohmann::ordered_json targetReportToJson(const ml::TargetReport& r)
{
    nlohmann::ordered_json perClass = nlohmann::ordered_json::array();
    for (const auto& c : r.perClass)
        perClass.push_back({{"label", c.label}, {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1},
                            {"support", c.support}});
    return {{"labels", r.labels}, {"accuracy", r.accuracy}, {"confusion", r.confusion}, {"per_class", perClass}};
}

nlohmann::ordered_json evaluationToJson(const ml::EvaluationReport& report)
{
    nlohmann::ordered_json j = {{"n", report.n}};
    if (report.family)
        j["family"] = targetReportToJson(*report.family);
    if (report.source)
        j["source"] = targetReportToJson(*report.source);
    return j;
}

namespace {
// A signal handler may only touch lock-free atomics: the token's flag is one.
const CancellationToken* g_interruptToken = nullptr;
extern "C" void onInterrupt(int)
{
    if (g_interruptToken)
        g_interruptToken->cancel();
}
} // namespace

void cancelOnInterrupt(const CancellationToken& token)
{
    static CancellationToken kept;
    kept = token;
    g_interruptToken = &kept;
    std::signal(SIGINT, onInterrupt);
}

} // namespace ts::cli
