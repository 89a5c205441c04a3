// `timbrescope predict [--model MODEL] FILE... [--json]`: family and/or source of sound files.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "ml/Predictor.h"
#include "util/AppPaths.h"

namespace ts::cli {

namespace {

constexpr const char* kShippedModel = "timbre-net.tsm";

nlohmann::ordered_json targetJson(const ml::TargetPrediction& p)
{
    nlohmann::ordered_json scores = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < p.labels.size(); ++i)
        scores[p.labels[i]] = p.scores[i];
    return {{"label", p.label}, {"confidence", p.confidence}, {"scores", scores}};
}

int runPredict(const Args& args)
{
    if (args.positionals().empty())
        return usageError("predict", "expects at least one FILE");
    std::vector<std::string> modelPaths = args.values("--model");
    if (modelPaths.empty()) {
        const std::string shipped = findShippedModel(executableFolder(), kShippedModel);
        if (shipped.empty())
            return fail(makeError(ErrorCode::NotFound, std::string("no --model given and no shipped ") + kShippedModel +
                                                           " found (train one with `timbrescope train`)"));
        modelPaths.push_back(shipped);
    }
    auto predictor = ml::Predictor::load(modelPaths);
    if (!predictor)
        return fail(predictor.error());
    const bool json = args.has("--json");
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    int failures = 0;
    for (const auto& file : args.positionals()) {
        auto prediction = predictor->predictFile(file);
        if (!prediction) {
            ++failures;
            if (json)
                all.push_back({{"file", file}, {"error", prediction.error().describe()}});
            else
                std::cerr << "timbrescope: " << prediction.error().describe() << "\n";
            continue;
        }
        if (json) {
            nlohmann::ordered_json entry = {{"file", file}};
            if (prediction->family)
                entry["family"] = targetJson(*prediction->family);
            if (prediction->source)
                entry["source"] = targetJson(*prediction->source);
            all.push_back(entry);
        } else {
            std::cout << file << ":";
            for (const auto* p : {prediction->family ? &*prediction->family : nullptr,
                                  prediction->source ? &*prediction->source : nullptr})
                if (p) {
                    char buf[96];
                    std::snprintf(buf, sizeof buf, " %s (%.0f %%)", p->label.c_str(), p->confidence * 100.0);
                    std::cout << buf;
                }
            std::cout << "\n";
        }
    }
    if (json)
        std::cout << all.dump(2) << "\n";
    return failures ? kFailure : kSuccess;
}

Command makePredictCommand()
{
    Command c;
    c.name = "predict";
    c.synopsis = "[--model MODEL] FILE... [--json]";
    c.summary = "predict the instrument family and source of sound files";
    c.description =
        "Decodes each FILE (any format libsndfile reads, any rate or channel count) and prints the\n"
        "predicted family and/or source with its confidence. --model may be given twice (a family model\n"
        "and a source model); without it the shipped timbre-net.tsm is used. --json prints an array,\n"
        "one object per file: {\"file\", \"family\": {\"label\", \"confidence\", \"scores\": {...}},\n"
        "\"source\": {...}} (a target the model does not predict is omitted; a file that cannot be read\n"
        "gets {\"file\", \"error\"} and the exit code is 1 after all files are printed).";
    c.options = {
        {"--model", "MODEL", "model file (repeatable: a family and a source model)", true},
        {"--json", "", "print JSON"},
    };
    c.order = 70;
    c.run = runPredict;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makePredictCommand);

} // namespace ts::cli
