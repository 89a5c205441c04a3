#include "ml/FolderTagger.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "ml/Device.h"
#include "ml/Runtime.h"

#include "util/CsvField.h"

namespace ts::ml {

namespace fs = std::filesystem;

namespace {

// A worker takes this many files at a time, so that their notes share forward passes.
constexpr std::size_t kFilesPerTurn = 8;
// How many turns a worker prepares while the runtime is loading, at most (a turn of 4 s notes holds
// about 300 KB of features for timbre-net; the decoded sound is not kept).
constexpr std::size_t kTurnsAhead = 64;

std::string csvTarget(const std::optional<TargetPrediction>& p)
{
    if (!p)
        return ",,";
    char confidence[32];
    std::snprintf(confidence, sizeof confidence, "%.4f", p->confidence);
    return csvField(p->label) + "," + confidence + "," + (p->uncertain ? "true" : "false");
}

} // namespace

std::vector<std::string> soundFilesUnder(const std::string& folder, std::vector<std::string>& problems)
{
    static const std::set<std::string> kExtensions = {".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif",
                                                      ".aiff", ".aifc", ".au", ".snd", ".caf", ".w64", ".rf64", ".voc"};
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

Result<std::vector<TaggedFile>> tagFiles(const std::vector<std::string>& files, const Predictor& first,
                                         const std::vector<std::string>& modelPaths, int jobs,
                                         const ProgressSink& progress, const CancellationToken& cancel)
{
    std::vector<TaggedFile> tagged(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        tagged[i].path = files[i];
        tagged[i].error = files[i] + ": not classified (cancelled)";
    }
    // Loading the LibTorch runtime takes most of a second of one core. While one thread loads it
    // (the second worker, which then works like the others, or a thread of its own when there is one
    // worker), the other workers decode, find notes and compute features, keeping the turns they
    // prepared until it is there. The load starts once those workers have prepared their first
    // turn: while it runs the library's static initialisers it holds the dynamic linker's lock,
    // which a thread's first use of a thread_local (the decoder's buffers) also takes.
    const bool loading = !runtimeLoaded();
    std::promise<void> allReady;
    std::shared_future<void> ready = allReady.get_future().share();
    std::atomic<int> unready{std::max(1, jobs - 1)};
    auto workerReady = [&] {
        if (--unready == 0)
            allReady.set_value();
    };
    auto loadWhenReady = [ready] {
        ready.wait();
        (void)loadRuntime();
    };
    std::thread loader;
    if (loading && jobs == 1)
        loader = std::thread(loadWhenReady);
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex shared;  // progress is called from one thread at a time; the first build error
    std::optional<Error> failure;
    auto finishTurn = [&](const Predictor& predictor, std::size_t begin, PreparedFiles&& prepared) {
        if (predictor.models().empty()) {
            if (auto built = predictor.build(); !built) {
                std::lock_guard<std::mutex> lock(shared);
                if (!failure)
                    failure = built.error();
                return false;
            }
            // Several files at once, one thread each (on this worker's thread: LibTorch's thread
            // count is a setting of the calling thread).
            if (jobs > 1)
                configureCpuRuntime(1);
        }
        const std::size_t count = prepared.paths.size();
        auto predictions = predictor.finishFiles(std::move(prepared));
        for (std::size_t k = 0; k < count; ++k) {
            auto& prediction = predictions[k];
            if (prediction) {
                tagged[begin + k].prediction = std::move(prediction).value();
                tagged[begin + k].error.clear();
            } else {
                tagged[begin + k].error = prediction.error().describe();
            }
        }
        const std::size_t now = done += count;
        if (progress) {
            std::lock_guard<std::mutex> lock(shared);
            progress(Progress{now, files.size(), "classified " + std::to_string(now) + " of " + std::to_string(files.size())});
        }
        return true;
    };
    auto work = [&](const Predictor& predictor, bool announces) {
        std::vector<std::pair<std::size_t, PreparedFiles>> waiting;  // prepared before the runtime was there
        bool ok = true, announced = !announces;
        for (std::size_t begin = next.fetch_add(kFilesPerTurn); ok && begin < files.size() && !cancel.isCancelled();
             begin = next.fetch_add(kFilesPerTurn)) {
            const std::size_t last = std::min(files.size(), begin + kFilesPerTurn);
            auto prepared = predictor.prepareFiles({files.begin() + std::ptrdiff_t(begin), files.begin() + std::ptrdiff_t(last)});
            if (!std::exchange(announced, true))
                workerReady();
            if (!runtimeLoaded() && waiting.size() < kTurnsAhead) {
                waiting.emplace_back(begin, std::move(prepared));
                continue;
            }
            for (auto& [at, turn] : waiting)
                ok = ok && finishTurn(predictor, at, std::move(turn));
            waiting.clear();
            ok = ok && finishTurn(predictor, begin, std::move(prepared));
        }
        if (!announced)
            workerReady();
        for (auto& [at, turn] : waiting)
            ok = ok && !cancel.isCancelled() && finishTurn(predictor, at, std::move(turn));
    };
    std::vector<std::thread> workers;
    for (int j = 1; j < jobs; ++j)
        workers.emplace_back([&, j] {
            const bool loads = loading && j == 1;
            if (loads)
                loadWhenReady();
            if (auto own = Predictor::open(modelPaths))
                work(*own, !loads);
            else if (!loads)
                workerReady();
        });
    work(first, true);
    for (auto& worker : workers)
        worker.join();
    if (loader.joinable())
        loader.join();
    if (failure)
        return *failure;
    return tagged;
}

std::string taggedCsv(const std::vector<TaggedFile>& tagged, bool segments)
{
    // A model of own classes adds its three columns before error; without one the columns are the
    // ones scripts have always read.
    const bool own = std::any_of(tagged.begin(), tagged.end(),
                                 [](const TaggedFile& f) { return f.prediction && f.prediction->ownClass; });
    std::string csv = std::string("file,") + (segments ? "start,end," : "") +
                      "family,family_confidence,family_uncertain,source,source_confidence,source_uncertain," +
                      (own ? "class,class_confidence,class_uncertain," : "") + "error\n";
    const std::string noSpan = segments ? ",," : "";
    auto targets = [own](const Prediction& p) {
        return csvTarget(p.family) + "," + csvTarget(p.source) + "," + (own ? csvTarget(p.ownClass) + "," : std::string());
    };
    for (const auto& file : tagged) {
        if (!file.prediction) {
            csv += csvField(file.path) + "," + noSpan + ",,,,,," + (own ? ",,," : "") + csvField(file.error) + "\n";
        } else if (!segments || file.prediction->segments.empty()) {
            csv += csvField(file.path) + "," + noSpan + targets(*file.prediction) + "\n";
        } else {
            for (const auto& segment : file.prediction->segments) {
                char span[64];
                std::snprintf(span, sizeof span, "%.3f,%.3f,", segment.start, segment.end);
                csv += csvField(file.path) + "," + span + targets(segment.prediction) + "\n";
            }
        }
    }
    return csv;
}

std::vector<SortStep> planSort(const std::vector<TaggedFile>& tagged, const std::string& root,
                               const std::string& destination, SortBy by)
{
    std::vector<SortStep> steps;
    std::set<std::string> planned;
    const fs::path base = fs::path(root).lexically_normal();
    for (const auto& file : tagged) {
        SortStep step;
        step.from = file.path;
        const std::optional<TargetPrediction>* target =
            file.prediction ? &(by == SortBy::Family   ? file.prediction->family
                                : by == SortBy::Source ? file.prediction->source
                                                       : file.prediction->ownClass)
                            : nullptr;
        if (!target || !*target) {
            step.skipped = file.prediction ? "not predicted by this model" : "unreadable";
            steps.push_back(step);
            continue;
        }
        const std::string label = (*target)->uncertain ? std::string("uncertain") : (*target)->label;
        fs::path below = fs::path(file.path).lexically_normal().lexically_relative(base);
        if (below.empty() || *below.begin() == "..")
            below = fs::path(file.path).filename();
        const fs::path to = fs::path(destination) / label / below;
        std::error_code ec;
        if (fs::exists(fs::symlink_status(to, ec)))
            step.skipped = "already there";
        else if (!planned.insert(to.string()).second)
            step.skipped = "two files, one name";
        else
            step.to = to.string();
        steps.push_back(step);
    }
    return steps;
}

std::size_t applySort(const std::vector<SortStep>& steps, SortAction action, std::vector<std::string>& problems,
                      const ProgressSink& progress, const CancellationToken& cancel)
{
    std::size_t placed = 0, seen = 0;
    for (const auto& step : steps) {
        if (cancel.isCancelled())
            break;
        ++seen;
        if (!step.skipped.empty() || step.to.empty())
            continue;
        std::error_code ec;
        const fs::path to(step.to);
        fs::create_directories(to.parent_path(), ec);
        if (ec) {
            problems.push_back(to.parent_path().string() + ": " + ec.message());
            continue;
        }
        switch (action) {
        case SortAction::Copy: fs::copy_file(step.from, to, fs::copy_options::none, ec); break;
        case SortAction::HardLink: fs::create_hard_link(step.from, to, ec); break;
        case SortAction::SymbolicLink: fs::create_symlink(fs::absolute(step.from), to, ec); break;
        }
        if (ec)
            problems.push_back(step.to + ": " + ec.message());
        else
            ++placed;
        if (progress && seen % 64 == 0)
            progress(Progress{seen, steps.size(), "placed " + std::to_string(placed) + " files"});
    }
    if (progress)
        progress(Progress{seen, steps.size(), "placed " + std::to_string(placed) + " files"});
    return placed;
}

} // namespace ts::ml
