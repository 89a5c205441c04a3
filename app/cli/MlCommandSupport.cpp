#include "cli/MlCommandSupport.h"

#include <csignal>
#include <iostream>
#include <memory>


namespace ts::cli {

ProgressSink featureProgressPrinter()
{
    return progressPrinter("features");
}

ProgressSink progressPrinter(const std::string& what)
{
    auto lastShown = std::make_shared<std::size_t>(0);
    return [lastShown, what](const Progress& p) {
        if (p.notice) {
            std::cerr << "timbrescope: " << p.status << std::endl;
            return;
        }
        if (p.total > 0 && (p.done == p.total || p.done >= *lastShown + p.total / 10)) {
            *lastShown = p.done;
            std::cerr << what << ": " << p.done << "/" << p.total << "\n";
        }
    };
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
    nlohmann::ordered_json j = {{"labels", r.labels}, {"accuracy", r.accuracy}, {"confusion", r.confusion}, {"per_class", perClass}};
    if (r.confidence) {
        const auto& c = r.confidence->confident;
        j["ece"] = r.confidence->ece;
        // null, not 0, when no prediction reached the threshold: there is no accuracy to report.
        j["confident"] = {{"threshold", c.threshold}, {"n", c.n},
                          {"accuracy", c.n ? nlohmann::ordered_json(c.accuracy()) : nlohmann::ordered_json(nullptr)}};
    }
    return j;
}

nlohmann::ordered_json evaluationToJson(const ml::EvaluationReport& report, const std::string& part)
{
    nlohmann::ordered_json j = {{"n", report.n}};
    if (!part.empty())
        j["part"] = part;
    if (report.family)
        j["family"] = targetReportToJson(*report.family);
    if (report.source)
        j["source"] = targetReportToJson(*report.source);
    if (report.ownClass)
        j["class"] = targetReportToJson(*report.ownClass);
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
