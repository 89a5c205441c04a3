// `timbrescope predict [--model MODEL] FILE... [--recursive] [--csv OUT] [--jobs N] [--segments] [--json]`:
// family and/or source of sound files (or of every sound file under folders), and with --segments of
// each note found in them; several files at once.
#include <algorithm>
#include <atomic>
#include <cctype>
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
}

std::string targetsText(const ml::Prediction& prediction)
{
    std::string text;
    for (const auto* p : {prediction.family ? &*prediction.family : nullptr, prediction.source ? &*prediction.source : nullptr})
        if (p)
            text += " " + targetText(*p);
    return text;
}

// Sound files under a folder, every level down, by their extension (what libsndfile and our MPEG
// decoding read), in path order. A folder that cannot be walked is a problem line, not a stop.
std::vector<std::string> soundFilesUnder(const std::string& folder, std::vector<std::string>& problems)
{
    static const std::set<std::string> kExtensions = {".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif",
                                                      ".aiff", ".aifc", ".au", ".snd", ".caf", ".w64", ".rf64", ".voc"};
    namespace fs = std::filesystem;
    std::vector<std::string> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
        problems.push_back(folder + ": " + ec.message());
        return found;
    }
    for (; it != end; it.increment(ec)) {
        if (ec) {
            problems.push_back(it->path().string() + ": " + ec.message());
            break;
        }
        std::string extension = it->path().extension().string();
        std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        std::error_code typeError;
        if (kExtensions.count(extension) && it->is_regular_file(typeError))
            found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    return found;
}

struct Outcome {
    std::optional<ml::Prediction> prediction;
    std::string error;  // "FILE: reason" when there is no prediction
};

// Every file classified, in parallel on `jobs` threads, each with its own Predictor (the first is
// `first`; a worker whose model does not load leaves its share to the others).
std::vector<Outcome> classifyAll(const std::vector<std::string>& files, const ml::Predictor& first,
                                 const std::vector<std::string>& modelPaths, int jobs)
{
    std::vector<Outcome> outcomes(files.size());
    std::atomic<std::size_t> next{0};
    auto work = [&](const ml::Predictor& predictor) {
        for (std::size_t i = next++; i < files.size(); i = next++) {
            auto prediction = predictor.predictFile(files[i]);
            if (prediction)
                outcomes[i].prediction = std::move(prediction).value();
            else
                outcomes[i].error = prediction.error().describe();
        }
    };
    std::vector<std::thread> workers;
    for (int j = 1; j < jobs; ++j)
        workers.emplace_back([&] {
            if (auto own = ml::Predictor::load(modelPaths))
                work(*own);
        });
    work(first);
    for (auto& worker : workers)
        worker.join();
    return outcomes;
}

std::string csvTarget(const std::optional<ml::TargetPrediction>& p)
{
    if (!p)
        return ",,";
    char confidence[32];
    std::snprintf(confidence, sizeof confidence, "%.4f", p->confidence);
    return p->label + "," + confidence + "," + (p->uncertain ? "true" : "false");
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
            for (auto& file : soundFilesUnder(given, walkProblems))
                files.push_back(std::move(file));
        } else {
            files.push_back(given);
        }
    }
    for (const auto& problem : walkProblems)
        std::cerr << "timbrescope: " << problem << "\n";

    auto predictor = ml::Predictor::load(modelPaths);
    if (!predictor)
        return fail(predictor.error());
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int jobs = int(std::min<std::size_t>(files.empty() ? 1 : files.size(), *jobsOption > 0 ? std::size_t(*jobsOption) : cores));
    if (jobs > 1)
        ml::configureCpuRuntime(1);  // one thread per file, several files at once
    const auto started = std::chrono::steady_clock::now();
    std::vector<Outcome> outcomes;
    {
        std::vector<std::string> toClassify;
        for (const auto& file : files)
            if (!folders.count(file))
                toClassify.push_back(file);
        auto classified = classifyAll(toClassify, *predictor, modelPaths, jobs);
        std::size_t k = 0;
        for (const auto& file : files) {
            if (folders.count(file))
                outcomes.push_back({std::nullopt, file + ": a folder (add --recursive to classify the sound files under it)"});
            else
                outcomes.push_back(std::move(classified[k++]));
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    std::string csv = "file,family,family_confidence,family_uncertain,source,source_confidence,source_uncertain,error\n";
    int failures = int(walkProblems.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string& file = files[i];
        const Outcome& outcome = outcomes[i];
        if (!outcome.prediction) {
            ++failures;
            csv += csvField(file) + ",,,,,,," + csvField(outcome.error) + "\n";
            if (json)
                all.push_back({{"file", file}, {"error", outcome.error}});
            else
                std::cerr << "timbrescope: " << outcome.error << "\n";
            continue;
        }
        const ml::Prediction& prediction = *outcome.prediction;
        csv += csvField(file) + "," + csvTarget(prediction.family) + "," + csvTarget(prediction.source) + ",\n";
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
        if (auto written = writeOutput(*csvPath, csv); !written)
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
        "source model); without it the shipped timbre-net.tsm is used. --json prints an array, one\n"
        "object per file: {\"file\", \"family\": {\"label\", \"confidence\", \"uncertain\", \"scores\": {...}},\n"
        "\"source\": {...}}, with --segments a \"segments\" array of {\"start\", \"end\", \"family\", \"source\"}\n"
        "(a target the model does not predict is omitted; a file that cannot be read gets {\"file\",\n"
        "\"error\"} and the exit code is 1 after all files are printed).\n"
        "--recursive classifies every sound file under each FOLDER given (by extension, in path order);\n"
        "--csv OUT writes one line per file: file,family,family_confidence,family_uncertain,source,\n"
        "source_confidence,source_uncertain,error (and prints no per-file lines unless --json); --jobs N\n"
        "classifies N files at once (default: one per core). Both print a summary line on stderr.";
    c.options = {
        {"--model", "MODEL", "model file (repeatable: a family and a source model)", true},
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
