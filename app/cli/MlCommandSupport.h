#pragma once
// What train and evaluate share: feature progress on stderr, and the JSON shapes of
// the CLI's documented contract (README) for history and evaluation reports.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "ml/Architecture.h"
#include "ml/Evaluator.h"
#include "ml/ModelFile.h"
#include "ml/TrainingSet.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::cli {

// Prints feature-cache progress to stderr in steps of a tenth (train and evaluate), and a notice
// (a cache that could not be saved) as a line of its own at once.
ProgressSink featureProgressPrinter();
// The same for any work counted in items: "WHAT: done/total" lines.
ProgressSink progressPrinter(const std::string& what);

nlohmann::ordered_json historyToJson(const ml::ModelMetadata& metadata);
nlohmann::ordered_json targetReportToJson(const ml::TargetReport& report);
// {"n", "part" (when given), "family", "source", "class" (a model of own classes)}; a target's "ece" and "confident" come with its
// probabilities.
nlohmann::ordered_json evaluationToJson(const ml::EvaluationReport& report, const std::string& part = {});

// Ctrl-C cancels `token` instead of killing the process (train keeps its best model so far).
void cancelOnInterrupt(const CancellationToken& token);

} // namespace ts::cli
