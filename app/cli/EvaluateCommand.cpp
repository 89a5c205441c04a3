// `timbrescope evaluate --model MODEL --data DIR [--split ...]`: accuracy, confusion matrix and
// per-class metrics of a model on a split's test part.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "cli/MlCommandSupport.h"
#include "ml/Evaluator.h"

namespace ts::cli {

namespace {

// One block per target: "target,true,<predicted class 1>,...", rows true labels, columns predicted.
std::string confusionCsv(const ml::EvaluationReport& report)
{
    std::string csv;
    auto block = [&csv](const std::string& target, const ml::TargetReport& r) {
        csv += "target,true";
        for (const auto& l : r.labels)
            csv += "," + l;
        csv += "\n";
        for (std::size_t i = 0; i < r.labels.size(); ++i) {
            csv += target + "," + r.labels[i];
            for (int count : r.confusion[i])
                csv += "," + std::to_string(count);
            csv += "\n";
        }
    };
    if (report.family)
        block("family", *report.family);
    if (report.source)
        block("source", *report.source);
    return csv;
}

void printText(const ml::EvaluationReport& report)
{
    std::cout << "notes: " << report.n << "\n";
    for (const auto* r : {report.family ? &*report.family : nullptr, report.source ? &*report.source : nullptr}) {
        if (!r)
            continue;
        std::printf("%s accuracy: %.2f %%\n", r->labels.size() == 11 ? "family" : "source", r->accuracy * 100.0);
        std::printf("  %-12s %9s %9s %9s %8s\n", "class", "precision", "recall", "f1", "support");
        for (const auto& c : r->perClass)
            std::printf("  %-12s %9.3f %9.3f %9.3f %8d\n", c.label.c_str(), c.precision, c.recall, c.f1, c.support);
    }
    std::fflush(stdout);
}

int runEvaluate(const Args& args)
{
    const auto modelPath = args.value("--model");
    const auto data = args.value("--data");
    if (!modelPath || !data)
        return usageError("evaluate", "needs --model MODEL and --data DIR");
    if (!args.positionals().empty())
        return usageError("evaluate", "takes no positional arguments");
    auto model = ml::TrainedModel::load(*modelPath);
    if (!model)
        return fail(model.error());
    const auto& meta = model->metadata();
    // Default: the split and seed the model was trained with, so its test part stays unseen.
    const std::string split = args.value("--split").value_or(meta.split.empty() ? "instrument" : meta.split);
    auto set = ml::loadTrainingSet(*data, model->architecture(), split, meta.seed, featureProgressPrinter());
    if (!set)
        return set.error().code == ErrorCode::InvalidArgument ? usageError("evaluate", set.error().message) : fail(set.error());
    auto report = ml::evaluate(model.value(), set.value(), set->test);
    if (!report)
        return fail(report.error());
    if (const auto csvPath = args.value("--confusion-csv")) {
        if (auto s = writeOutput(*csvPath, confusionCsv(report.value())); !s)
            return fail(s.error());
    }
    if (args.has("--json"))
        std::cout << evaluationToJson(report.value()).dump(2) << "\n";
    else
        printText(report.value());
    return kSuccess;
}

Command makeEvaluateCommand()
{
    Command c;
    c.name = "evaluate";
    c.synopsis = "--model MODEL --data DIR [--split seed|random|instrument] [--json] [--confusion-csv FILE]";
    c.summary = "accuracy, confusion matrix and per-class metrics of a model on a test part";
    c.description =
        "Evaluates MODEL on the test part of DIR's split (default: the split and seed the model was\n"
        "trained with). --json prints {\"n\", \"family\": {\"labels\", \"accuracy\", \"confusion\",\n"
        "\"per_class\": [{\"label\", \"precision\", \"recall\", \"f1\", \"support\"}]}, \"source\": {...}};\n"
        "confusion rows are true labels, columns predicted. --confusion-csv writes the matrices as CSV\n"
        "(a header line per target, then target, true label, one count per predicted class).";
    c.options = {
        {"--model", "MODEL", "model file"},
        {"--data", "DIR", "NSynth-format dataset folder"},
        {"--split", "POLICY", "seed, random or instrument"},
        {"--json", "", "print JSON"},
        {"--confusion-csv", "FILE", "write the confusion matrices as CSV"},
    };
    c.order = 60;
    c.run = runEvaluate;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeEvaluateCommand);

} // namespace ts::cli
