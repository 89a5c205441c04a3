// `timbrescope predict [--model MODEL] FILE... [--recursive] [--csv OUT] [--jobs N] [--segments] [--json]`:
// family and/or source of sound files (or of every sound file under folders), and with --segments of
// each note found in them; several files at once.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "ml/Device.h"
#include "ml/FolderTagger.h"
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
    return {{"label", p.label}, {"confidence", p.confidence}, {"uncertain", p.uncertain}, {"scores", scores}};
}

// "flute (99 %)", or "uncertain (best: flute 34 %)".
std::string targetText(const ml::TargetPrediction& p)
{
    char buf[128];
    if (p.uncertain)
        std::snprintf(buf, sizeof buf, "uncertain (best: %s %.0f %%)", p.label.c_str(), p.confidence * 100.0);
    else
        std::snprintf(buf, sizeof buf, "%s (%.0f %%)", p.label.c_str(), p.confidence * 100.0);
    return buf;
}

void addTargets(nlohmann::ordered_json& entry, const ml::Prediction& prediction)
{
    if (prediction.family)
        entry["family"] = targetJson(*prediction.family);
    if (prediction.source)
        entry["source"] = targetJson(*prediction.source);
    if (prediction.ownClass)
        entry["class"] = targetJson(*prediction.ownClass);
}

std::string targetsText(const ml::Prediction& prediction)
{
    std::string text;
    for (const auto* p : {prediction.ownClass ? &*prediction.ownClass : nullptr,
                          prediction.family ? &*prediction.family : nullptr, prediction.source ? &*prediction.source : nullptr})
        if (p)
            text += " " + targetText(*p);
    return text;
}

int runPredict(const Args& args)
{
    if (args.positionals().empty())
        return usageError("predict", "expects at least one FILE (or, with --recursive, a FOLDER)");
    const auto jobsOption = args.integer("--jobs", 0);
    if (!jobsOption || *jobsOption < 0 || *jobsOption > 256)
        return usageError("predict", "--jobs must be a whole number from 1 to 256");
    std::vector<std::string> modelPaths = args.values("--model");
    if (modelPaths.empty()) {
        const std::string shipped = findShippedModel(executableFolder(), kShippedModel);
        if (shipped.empty())
            return fail(makeError(ErrorCode::NotFound, std::string("no --model given and no shipped ") + kShippedModel +
                                                           " found (train one with `timbrescope train`)"));
        modelPaths.push_back(shipped);
    }
    const bool json = args.has("--json");
    const bool segments = args.has("--segments");
    const bool recursive = args.has("--recursive");
    const auto csvPath = args.value("--csv");

    // The files: FILEs as given; with --recursive, each FOLDER replaced by the sound files under it.
    std::vector<std::string> files, walkProblems;
    std::set<std::string> folders;
    for (const auto& given : args.positionals()) {
        std::error_code ec;
        if (std::filesystem::is_directory(given, ec)) {
            if (!recursive) {
                folders.insert(given);
                files.push_back(given);
                continue;
            }
            for (auto& file : ml::soundFilesUnder(given, walkProblems))
                files.push_back(std::move(file));
        } else {
            files.push_back(given);
        }
    }
    for (const auto& problem : walkProblems)
        std::cerr << "timbrescope: " << problem << "\n";

    // Opened, not built: the runtime loads while the first files are prepared (ml/FolderTagger.h).
    auto predictor = ml::Predictor::open(modelPaths);
    if (!predictor)
        return fail(predictor.error());
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int jobs = int(std::min<std::size_t>(files.empty() ? 1 : files.size(), *jobsOption > 0 ? std::size_t(*jobsOption) : cores));
    const auto started = std::chrono::steady_clock::now();
    std::vector<ml::TaggedFile> outcomes;
    {
        std::vector<std::string> toClassify;
        for (const auto& file : files)
            if (!folders.count(file))
                toClassify.push_back(file);
        auto tagged = ml::tagFiles(toClassify, *predictor, modelPaths, jobs);
        if (!tagged)
            return fail(tagged.error());
        auto& classified = *tagged;
        std::size_t k = 0;
        for (const auto& file : files) {
            if (folders.count(file))
                outcomes.push_back({file, std::nullopt, file + ": a folder (add --recursive to classify the sound files under it)"});
            else
                outcomes.push_back(std::move(classified[k++]));
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    int failures = int(walkProblems.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string& file = files[i];
        const ml::TaggedFile& outcome = outcomes[i];
        if (!outcome.prediction) {
            ++failures;
            if (json)
                all.push_back({{"file", file}, {"error", outcome.error}});
            else
                std::cerr << "timbrescope: " << outcome.error << "\n";
            continue;
        }
        const ml::Prediction& prediction = *outcome.prediction;
        if (json) {
            nlohmann::ordered_json entry = {{"file", file}};
            addTargets(entry, prediction);
            if (segments) {
                nlohmann::ordered_json list = nlohmann::ordered_json::array();
                for (const auto& segment : prediction.segments) {
                    nlohmann::ordered_json item = {{"start", std::round(segment.start * 1000.0) / 1000.0},
                                                   {"end", std::round(segment.end * 1000.0) / 1000.0}};
                    addTargets(item, segment.prediction);
                    list.push_back(item);
                }
                entry["segments"] = list;
            }
            all.push_back(entry);
        } else if (!csvPath) {
            std::cout << file << ":" << targetsText(prediction) << "\n";
            if (segments) {
                if (prediction.segments.empty())
                    std::cout << "  no note found\n";
                for (const auto& segment : prediction.segments) {
                    char span[64];
                    std::snprintf(span, sizeof span, "  %7.3f-%7.3f s:", segment.start, segment.end);
                    std::cout << span << targetsText(segment.prediction) << "\n";
                }
            }
        }
    }
    if (json)
        std::cout << jsonText(all) << "\n";
    if (csvPath) {
        if (auto written = writeOutput(*csvPath, ml::taggedCsv(outcomes, segments)); !written)
            return fail(written.error());
    }
    if (recursive || csvPath)
        std::fprintf(stderr, "predict: %zu files in %.2f s (%.0f files/s, %d at once); %d could not be read\n", files.size(), seconds,
                     seconds > 0.0 ? double(files.size()) / seconds : 0.0, jobs, failures);
    return failures ? kFailure : kSuccess;
}

Command makePredictCommand()
{
    Command c;
    c.name = "predict";
    c.synopsis = "[--model MODEL] FILE... [--recursive] [--csv OUT] [--jobs N] [--segments] [--json]";
    c.summary = "predict the instrument family and source of sound files";
    c.description =
        "Decodes each FILE (any format libsndfile reads, any rate or channel count), finds the notes in\n"
        "it (a note after silence or room noise is classified from its onset) and prints the predicted\n"
        "family and/or source with its confidence. A file of several notes is answered with the mean of\n"
        "its notes' scores, weighted by each note's length x RMS level. An answer whose best class is\n"
        "below 50 % (family) or 60 % (source), or a sound that is noise rather than a note, or no note\n"
        "at all, is printed as \"uncertain (best: LABEL N %)\". --segments also lists each note: its\n"
        "start and end in seconds and its own answer. --model may be given twice (a family model and a\n"
        "source model, or a model of your own classes and timbre-net.tsm); without it the shipped\n"
        "timbre-net.tsm is used. A model trained on a dataset of your own classes answers \"class\"\n"
        "(uncertain below 50 %) in the text, the JSON and the CSV. --json prints an array, one\n"
        "object per file: {\"file\", \"family\": {\"label\", \"confidence\", \"uncertain\", \"scores\": {...}},\n"
        "\"source\": {...}}, with --segments a \"segments\" array of {\"start\", \"end\", \"family\", \"source\"}\n"
        "(a target the model does not predict is omitted; a file that cannot be read gets {\"file\",\n"
        "\"error\"} and the exit code is 1 after all files are printed).\n"
        "--recursive classifies every sound file under each FOLDER given (by extension, in path order);\n"
        "--csv OUT writes one line per file: file,family,family_confidence,family_uncertain,source,\n"
        "source_confidence,source_uncertain,error (class,class_confidence,class_uncertain before error\n"
        "with a model of own classes; no per-file lines are printed unless --json); with\n"
        "--segments, columns start,end follow file and each note is a line of its own; --jobs N\n"
        "classifies N files at once (default: one per core). Both print a summary line on stderr.";
    c.options = {
        {"--model", "MODEL", "model file (repeatable: a family and a source model, or own classes + timbre-net)", true},
        {"--segments", "", "also classify each note found in the file, with its start and end"},
        {"--recursive", "", "classify every sound file under each FOLDER given"},
        {"--csv", "OUT", "write a CSV line per file to OUT ('-': stdout)"},
        {"--jobs", "N", "files classified at once (default: one per core)"},
        {"--json", "", "print JSON"},
    };
    c.order = 70;
    c.run = runPredict;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makePredictCommand);

} // namespace ts::cli
