// `timbrescope evaluate --model MODEL --data DIR [--split ...] [--part ...]`: accuracy, confusion
// matrix, per-class metrics and calibration of a model on a part of a dataset (by default the test
// part of the dataset it was trained on, every note of any other).
#include <cstdio>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "cli/MlCommandSupport.h"
#include "ml/EvaluationPart.h"
#include "ml/Evaluator.h"

namespace ts::cli {

namespace {

void printTarget(ml::Target which, const ml::TargetReport& r)
{
    const std::string name = ml::targetName(which);
    const char* target = name.c_str();
    std::printf("%s accuracy: %.2f %%\n", target, r.accuracy * 100.0);
    if (r.confidence) {
        const auto& c = r.confidence->confident;
        std::printf("%s ECE: %.4f (15 bins)\n", target, r.confidence->ece);
        if (c.n)
            std::printf("%s confident (>= %.0f %%): %d notes, %.2f %% right\n", target, c.threshold * 100.0, c.n,
                        c.accuracy() * 100.0);
        else
            std::printf("%s confident (>= %.0f %%): no notes\n", target, c.threshold * 100.0);
    }
    std::printf("  %-12s %9s %9s %9s %8s\n", "class", "precision", "recall", "f1", "support");
    for (const auto& c : r.perClass)
        std::printf("  %-12s %9.3f %9.3f %9.3f %8d\n", c.label.c_str(), c.precision, c.recall, c.f1, c.support);
}

void printText(const ml::EvaluationReport& report, const ml::PartChoice& part)
{
    std::cout << "part: " << ml::evaluationPartName(part.part) << " (" << part.reason << ")\n";
    std::cout << "notes: " << report.n << "\n";
    if (report.family)
        printTarget(ml::Target::Family, *report.family);
    if (report.source)
        printTarget(ml::Target::Source, *report.source);
    if (report.ownClass)
        printTarget(ml::Target::Class, *report.ownClass);
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
    std::optional<ml::EvaluationPart> askedPart;
    if (const auto part = args.value("--part")) {
        askedPart = ml::parseEvaluationPart(*part);
        if (!askedPart)
            return usageError("evaluate", "--part must be all, train, validation or test, got '" + *part + "'");
    }
    auto model = ml::TrainedModel::load(*modelPath);
    if (!model)
        return fail(model.error());
    const auto& meta = model->metadata();
    // Default: the split and seed the model was trained with, so its test part stays unseen.
    const std::string split = args.value("--split").value_or(meta.split.empty() ? "instrument" : meta.split);
    const auto seed = args.integer("--seed", (long long)(meta.seed));
    if (!seed)
        return usageError("evaluate", seed.error().message);
    if (*seed < 0)
        return usageError("evaluate", "--seed must be >= 0");
    auto set = ml::loadTrainingSet(*data, model->architecture(), split, std::uint64_t(*seed), featureProgressPrinter());
    if (!set)
        return set.error().code == ErrorCode::InvalidArgument ? usageError("evaluate", set.error().message) : fail(set.error());
    const ml::PartChoice part = ml::chooseEvaluationPart(askedPart, meta, set.value());
    const auto rows = ml::rowsOfPart(set.value(), part.part);
    if (rows.empty())
        return fail(makeError(ErrorCode::InvalidArgument, "the " + ml::evaluationPartName(part.part) + " part of the " +
                                  split + " split has no notes to evaluate", *data));
    auto report = ml::evaluate(model.value(), set.value(), rows);
    if (!report)
        return fail(report.error());
    if (const auto csvPath = args.value("--confusion-csv")) {
        if (auto s = writeOutput(*csvPath, ml::confusionCsv(report.value())); !s)
            return fail(s.error());
    }
    if (args.has("--json"))
        std::cout << jsonText(evaluationToJson(report.value(), ml::evaluationPartName(part.part))) << "\n";
    else
        printText(report.value(), part);
    return kSuccess;
}

Command makeEvaluateCommand()
{
    Command c;
    c.name = "evaluate";
    c.synopsis = "--model MODEL --data DIR [--split seed|random|instrument|generator:NAME] [--seed S]\n"
                 "                     [--part all|train|validation|test] [--json] [--confusion-csv FILE]";
    c.summary = "accuracy, confusion matrix, per-class metrics and calibration of a model";
    c.description =
        "Evaluates MODEL on a part of DIR's split (default split and seed: the ones the model was\n"
        "trained with). --part defaults to test when DIR is the dataset the model was trained on (the\n"
        "same fingerprint, or the same notes rendered again) and to all when it is any other dataset,\n"
        "whose notes the model never saw; the output says which part and why. Besides accuracy it\n"
        "reports per target the expected calibration error (ECE, 15 equal-width confidence bins) and,\n"
        "of the predictions made with at least 80 % confidence, how many there were and how many right.\n"
        "--json prints {\"n\", \"part\", \"family\": {\"labels\", \"accuracy\", \"confusion\",\n"
        "\"per_class\": [{\"label\", \"precision\", \"recall\", \"f1\", \"support\"}], \"ece\",\n"
        "\"confident\": {\"threshold\", \"n\", \"accuracy\"}}, \"source\": {...}} (a model of own classes:\n"
        "\"class\": {...}, on a dataset of the same classes); confusion rows are\n"
        "true labels, columns predicted; confident accuracy is null when n is 0. --confusion-csv writes\n"
        "the matrices as CSV (a header line per target, then target, true label, one count per\n"
        "predicted class).";
    c.options = {
        {"--model", "MODEL", "model file"},
        {"--data", "DIR", "NSynth-format dataset folder"},
        {"--split", "POLICY", "seed, random, instrument, final or generator:NAME (default: the model's own)"},
        {"--seed", "S", "the split's seed (default: the model's)"},
        {"--part", "PART", "all, train, validation or test (default: test of the model's own dataset, else all)"},
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
