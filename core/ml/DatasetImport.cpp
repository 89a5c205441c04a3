#include "ml/DatasetImport.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "audio/AudioFile.h"
#include "dataset/Labels.h"
#include "dataset/NoteRecord.h"
#include "dsp/OnsetDetector.h"
#include "ml/FolderTagger.h"
#include "ml/Predictor.h"
#include "util/AtomicFile.h"
#include "util/Fnv1a.h"
#include "util/FolderSwap.h"
#include "util/StaleTemporaries.h"

namespace ts::ml {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSidecar = "import.json";

// One CSV line's fields (RFC 4180 quoting; a quoted field may not span lines here).
std::vector<std::string> csvFields(const std::string& line)
{
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
                fields.back() += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                fields.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    for (auto& f : fields) {
        const auto first = f.find_first_not_of(" \t");
        f = first == std::string::npos ? std::string() : f.substr(first, f.find_last_not_of(" \t") - first + 1);
    }
    return fields;
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

// Letters, digits and underscores only: note_str names a file and NSynth splits it at '-'.
std::string identifier(const std::string& text)
{
    std::string out;
    for (unsigned char c : text)
        out += std::isalnum(c) && c < 128 ? char(c) : '_';
    return out.empty() ? std::string("_") : out;
}

Status readCsvPlan(const ImportOptions& options, ImportPlan& plan)
{
    std::ifstream in(options.csvPath, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::NotFound, "cannot open the labels CSV", options.csvPath);
    const fs::path base = options.from.empty() ? fs::path(options.csvPath).parent_path() : fs::path(options.from);
    int fileColumn = 0, classColumn = 1, familyColumn = -1, sourceColumn = -1;
    std::string line;
    std::set<std::string> seen;
    for (int number = 1; std::getline(in, line); ++number) {
        const auto fields = csvFields(line);
        if (fields.size() == 1 && fields[0].empty())
            continue;
        auto at = [&](std::string& where) { return "line " + std::to_string(number) + (where.empty() ? "" : ": " + where); };
        if (number == 1 && lower(fields[0]) == "file") {
            classColumn = -1;
            for (int c = 1; c < int(fields.size()); ++c) {
                const auto name = lower(fields[std::size_t(c)]);
                if (name == "family")
                    familyColumn = c;
                else if (name == "source")
                    sourceColumn = c;
                else if (classColumn < 0)
                    classColumn = c;
            }
            if (classColumn < 0 && familyColumn < 0 && sourceColumn < 0)
                return makeError(ErrorCode::BadFormat, "line 1: the header names no label column (file,class[,family][,source])",
                                 options.csvPath);
            continue;
        }
        if (fields.size() < 2) {
            std::string what = "expected file,label";
            return makeError(ErrorCode::BadFormat, at(what), options.csvPath);
        }
        ImportFile file;
        file.relative = fields[std::size_t(fileColumn)];
        file.family = options.family;
        file.source = options.source;
        const fs::path path = fs::path(file.relative).is_absolute() ? fs::path(file.relative) : base / file.relative;
        file.path = fs::absolute(path).lexically_normal().string();
        auto field = [&](int column) { return column >= 0 && column < int(fields.size()) ? fields[std::size_t(column)] : std::string(); };
        file.ownClass = field(classColumn);
        if (const auto family = field(familyColumn); !family.empty()) {
            const auto index = dataset::familyIndex(family);
            if (!index) {
                std::string what = "\"" + family + "\" is not an NSynth family";
                return makeError(ErrorCode::BadFormat, at(what), options.csvPath);
            }
            file.family = *index;
        }
        if (const auto source = field(sourceColumn); !source.empty()) {
            const auto index = dataset::sourceIndex(source);
            if (!index) {
                std::string what = "\"" + source + "\" is not acoustic, electronic or synthetic";
                return makeError(ErrorCode::BadFormat, at(what), options.csvPath);
            }
            file.source = *index;
        }
        std::error_code ec;
        if (file.relative.empty())
            plan.skipped.push_back(options.csvPath + ": line " + std::to_string(number) + " names no file");
        else if (!fs::is_regular_file(file.path, ec))
            plan.skipped.push_back(file.path + ": no such file (line " + std::to_string(number) + ")");
        else if (classColumn >= 0 && file.ownClass.empty())
            plan.skipped.push_back(file.path + ": no class (line " + std::to_string(number) + ")");
        else if (!seen.insert(file.path).second)
            plan.skipped.push_back(file.path + ": listed twice (line " + std::to_string(number) + " ignored)");
        else
            plan.files.push_back(std::move(file));
    }
    return {};
}

struct Written {
    std::size_t file = 0;
    std::string noteStr;
};

} // namespace

std::vector<std::string> importedClasses(const std::string& datasetFolder)
{
    std::set<std::string> classes;
    std::ifstream in(fs::path(datasetFolder) / kSidecar);
    if (!in)
        return {};
    try {
        const auto sidecar = nlohmann::json::parse(in);
        for (const auto& file : sidecar.at("files"))
            if (const auto& name = file.at("class").get_ref<const std::string&>(); !name.empty())
                classes.insert(name);
    } catch (const nlohmann::json::exception&) {
        return {};
    }
    return {classes.begin(), classes.end()};
}

Result<ImportPlan> planImport(const ImportOptions& options)
{
    ImportPlan plan;
    for (int label : {options.family, options.source})
        if (label < dataset::kUnknownLabel)
            return makeError(ErrorCode::InvalidArgument, "unknown family or source");
    if (!options.csvPath.empty()) {
        if (auto s = readCsvPlan(options, plan); !s)
            return s.error();
    } else {
        std::error_code ec;
        if (!fs::is_directory(options.from, ec))
            return makeError(ErrorCode::NotFound, "no such folder", options.from);
        const fs::path root = fs::absolute(options.from).lexically_normal();
        for (const auto& path : soundFilesUnder(root.string(), plan.skipped)) {
            const fs::path relative = fs::path(path).lexically_relative(root);
            ImportFile file;
            file.path = path;
            file.relative = relative.string();
            file.family = options.family;
            file.source = options.source;
            if (std::distance(relative.begin(), relative.end()) < 2) {
                plan.skipped.push_back(path + ": not in a class folder (DIR/CLASS/file)");
                continue;
            }
            file.ownClass = relative.begin()->string();
            plan.files.push_back(std::move(file));
        }
    }
    std::sort(plan.files.begin(), plan.files.end(), [](const ImportFile& a, const ImportFile& b) { return a.relative < b.relative; });
    for (const auto& file : plan.files)
        if (!file.ownClass.empty())
            ++plan.filesPerClass[file.ownClass];
    if (plan.files.empty())
        return makeError(ErrorCode::NotFound, options.csvPath.empty() ? "no sound files in class folders (DIR/CLASS/file)"
                                                                      : "the CSV lists no sound file that exists",
                         options.csvPath.empty() ? options.from : options.csvPath);
    return plan;
}

Result<ImportSummary> runImport(const ImportPlan& plan, const ImportOptions& options, const ProgressSink& progress,
                                const CancellationToken& cancel)
{
    const auto started = std::chrono::steady_clock::now();
    if (options.out.empty())
        return makeError(ErrorCode::InvalidArgument, "no dataset folder to write");
    const fs::path out = fs::absolute(options.out).lexically_normal();
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_empty(out, ec) && !fs::exists(out / kSidecar, ec))
        return makeError(ErrorCode::InvalidArgument, "exists and is not an imported dataset (no import.json): not replaced", out.string());
    const fs::path parent = out.parent_path();
    fs::create_directories(parent, ec);
    removeStaleTemporaries(parent.string());
    TemporaryFolder temp(temporarySiblingOf(out));
    fs::remove_all(temp.path(), ec);
    fs::create_directories(temp.path() / "audio", ec);
    if (ec)
        return makeError(ErrorCode::WriteFailed, "cannot write in this folder (" + ec.message() + ")", parent.string());

    // Unique instrument names, in the plan's (sorted) order so a re-import names files as before.
    std::vector<std::string> instrumentStr;
    std::set<std::string> used;
    for (const auto& file : plan.files) {
        // The path below DIR names it (with folder labels it starts with the class); a CSV's class
        // comes first.
        const std::string stem = fs::path(file.relative).replace_extension().string();
        const std::string base = identifier(options.csvPath.empty() || file.ownClass.empty() ? stem : file.ownClass + "_" + stem);
        std::string name = base;
        for (int k = 2; !used.insert(name).second; ++k)
            name = base + "_" + std::to_string(k);
        instrumentStr.push_back(name);
    }

    const dsp::OnsetDetector onsets;
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex lock;
    std::vector<std::vector<std::string>> notesOf(plan.files.size());
    std::vector<std::string> failures(plan.files.size());
    std::optional<Error> writeError;
    auto work = [&] {
        for (std::size_t i; (i = next++) < plan.files.size();) {
            if (cancel.isCancelled())
                return;
            const ImportFile& file = plan.files[i];
            auto audio = audio::loadAudio(file.path);
            if (!audio) {
                failures[i] = audio.error().describe();
            } else {
                const auto& x = audio->samples;
                const std::vector<NoteSpan> spans = !options.wholeFiles ? findNoteSpans(onsets, x)
                                                    : x.empty()          ? std::vector<NoteSpan>{}
                                                                         : std::vector<NoteSpan>{{0, std::min(x.size(), audio::kModelFrames)}};
                if (spans.empty())
                    failures[i] = file.path + ": no note found (silent?)";
                for (std::size_t k = 0; k < spans.size(); ++k) {
                    std::vector<float> note(x.begin() + std::ptrdiff_t(spans[k].start), x.begin() + std::ptrdiff_t(spans[k].end));
                    note.resize(audio::kModelFrames, 0.0f);
                    char index[24];
                    std::snprintf(index, sizeof index, "%03zu", k);
                    const std::string noteStr = instrumentStr[i] + "-" + index;
                    if (auto s = audio::writeWav16((temp.path() / "audio" / (noteStr + ".wav")).string(), note, audio::kModelSampleRate); !s) {
                        std::lock_guard<std::mutex> guard(lock);
                        writeError = s.error();
                        return;
                    }
                    notesOf[i].push_back(noteStr);
                }
            }
            const std::size_t finished = ++done;
            if (progress) {
                std::lock_guard<std::mutex> guard(lock);
                progress(Progress{finished, plan.files.size(), "imported " + fs::path(file.relative).filename().string()});
            }
        }
    };
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t jobs = std::min<std::size_t>(plan.files.size(), options.jobs > 0 ? std::size_t(options.jobs) : cores);
    std::vector<std::thread> workers;
    for (std::size_t j = 1; j < jobs; ++j)
        workers.emplace_back(work);
    work();
    for (auto& worker : workers)
        worker.join();
    if (cancel.isCancelled())
        return makeError(ErrorCode::Cancelled, "import cancelled: nothing was changed", out.string());
    if (writeError)
        return *writeError;

    ImportSummary summary;
    summary.skipped = plan.skipped;
    // Notes listed in a shuffled order, as NSynth's files are (the seed split takes the first 75 %
    // of the file): by a hash of their names, so the order does not depend on which worker wrote first.
    struct Listed {
        std::uint64_t position;
        std::size_t file;
        std::string noteStr;
    };
    std::vector<Listed> listing;
    for (std::size_t i = 0; i < plan.files.size(); ++i) {
        if (!failures[i].empty())
            summary.failed.push_back(failures[i]);
        if (notesOf[i].empty())
            continue;
        ++summary.files;
        for (const auto& noteStr : notesOf[i]) {
            Fnv1a hash;
            hash.add(noteStr.data(), noteStr.size());
            listing.push_back({hash.value(), i, noteStr});
        }
    }
    if (listing.empty())
        return makeError(ErrorCode::Unreadable, "no note could be imported (" + std::to_string(summary.failed.size()) + " files failed)",
                         options.from.empty() ? options.csvPath : options.from);
    std::sort(listing.begin(), listing.end(), [](const Listed& a, const Listed& b) {
        return a.position != b.position ? a.position < b.position : a.noteStr < b.noteStr;
    });
    nlohmann::ordered_json examples = nlohmann::ordered_json::object();
    std::int64_t id = 0;
    auto labelName = [](int index, auto names) {
        return index < 0 ? std::string(dataset::kUnknownLabelName) : std::string(names[std::size_t(index)]);
    };
    for (const Listed& listed : listing) {
        const ImportFile& file = plan.files[listed.file];
        nlohmann::ordered_json note = {
            {"note", id++},
            {"note_str", listed.noteStr},
            {"instrument", std::int64_t(listed.file)},
            {"instrument_str", instrumentStr[listed.file]},
            {"pitch", 0},
            {"velocity", 0},
            {"sample_rate", audio::kModelSampleRate},
            {"qualities", std::vector<int>(dataset::kQualityNames.size(), 0)},
            {"qualities_str", nlohmann::json::array()},
            {"instrument_family", file.family},
            {"instrument_family_str", labelName(file.family, dataset::kFamilyNames)},
            {"instrument_source", file.source},
            {"instrument_source_str", labelName(file.source, dataset::kSourceNames)},
        };
        if (!file.ownClass.empty()) {
            note["class_str"] = file.ownClass;
            ++summary.notesPerClass[file.ownClass];
        }
        examples[listed.noteStr] = std::move(note);
        ++summary.notes;
    }
    nlohmann::ordered_json sidecar = {
        {"from", options.from.empty() ? nlohmann::json(nullptr) : nlohmann::json(fs::absolute(options.from).lexically_normal().string())},
        {"labels", options.csvPath.empty() ? "folders" : "csv"},
        {"csv", options.csvPath.empty() ? nlohmann::json(nullptr) : nlohmann::json(fs::absolute(options.csvPath).string())},
        {"whole_files", options.wholeFiles},
        {"files", nlohmann::json::array()},
        {"failed", summary.failed},
        {"skipped", summary.skipped},
    };
    for (std::size_t i = 0; i < plan.files.size(); ++i)
        if (!notesOf[i].empty())
            sidecar["files"].push_back({{"file", plan.files[i].path}, {"class", plan.files[i].ownClass}, {"notes", notesOf[i].size()}});
    if (auto s = writeFileAtomically((temp.path() / "examples.json").string(), examples.dump(1)); !s)
        return s.error();
    if (auto s = writeFileAtomically((temp.path() / kSidecar).string(), sidecar.dump(1)); !s)
        return s.error();
    if (auto s = moveFolderIntoPlace(temp.path(), out, parent); !s)
        return s.error();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

} // namespace ts::ml
