#include "dataset/Dataset.h"

#include <map>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <algorithm>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <vector>

#include "dataset/ExamplesJson.h"
#include "util/AtomicFile.h"
#include "util/Fnv1a.h"

namespace ts::dataset {

namespace fs = std::filesystem;

namespace {

struct Sidecar {
    std::map<std::string, std::string> byInstrument;  // instrument_str -> generator
    std::string whole;  // a single-SoundFont sidecar of recipe 2 names its font once instead
};

// instrument_str -> generator from a render's instruments.json; checked field by field, so a
// hand-edited or damaged file only means "generators unknown", never an error or a throw.
Sidecar readSidecar(const std::string& path)
{
    Sidecar sidecar;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return sidecar;
    auto text = readWholeFile(path);
    if (!text)
        return sidecar;
    const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("instruments") || !doc["instruments"].is_array())
        return sidecar;
    for (const auto& entry : doc["instruments"]) {
        if (!entry.is_object())
            continue;
        const auto name = entry.find("instrument_str");
        const auto generator = entry.find("generator");
        if (name != entry.end() && name->is_string() && generator != entry.end() && generator->is_string())
            sidecar.byInstrument[name->get<std::string>()] = generator->get<std::string>();
    }
    if (doc.contains("soundfont") && doc["soundfont"].is_string())
        sidecar.whole = fs::path(doc["soundfont"].get<std::string>()).stem().string();
    return sidecar;
}

void readGenerators(const std::string& path, std::vector<NoteRecord>& notes)
{
    const Sidecar sidecar = readSidecar(path);
    for (NoteRecord& note : notes) {
        const auto it = sidecar.byInstrument.find(note.instrumentStr);
        note.generator = it != sidecar.byInstrument.end() ? it->second : sidecar.whole;
    }
}

} // namespace

Result<Dataset> Dataset::load(const std::string& folder)
{
    std::error_code ec;
    if (folder.empty() || !fs::exists(folder, ec))
        return makeError(ErrorCode::NotFound, "dataset folder does not exist", folder);
    if (!fs::is_directory(folder, ec))
        return makeError(ErrorCode::BadFormat, "not a dataset folder (expected a folder holding examples.json)", folder);
    fs::path absolute = fs::absolute(folder, ec).lexically_normal();
    if (ec)
        absolute = fs::path(folder);
    std::string root = absolute.string();
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();

    const std::string jsonPath = root + "/examples.json";
    if (!fs::exists(jsonPath, ec))
        return makeError(ErrorCode::NotFound, "not a dataset folder: examples.json is missing", root);
    auto bytes = readWholeFile(jsonPath);
    if (!bytes)
        return bytes.error();

    auto parsed = ExamplesJson::parse(*bytes, jsonPath);
    if (!parsed)
        return parsed.error();

    Dataset dataset;
    dataset.m_folder = root;
    dataset.m_notes = std::move(parsed).value();
    {
        std::set<std::string> classes;
        for (const NoteRecord& note : dataset.m_notes)
            if (!note.ownClass.empty())
                classes.insert(note.ownClass);
        dataset.m_classNames.assign(classes.begin(), classes.end());
    }
    Fnv1a hash;
    hash.add(bytes->data(), bytes->size());
    Fnv1a notesHash = hash;  // both start from examples.json's bytes: hashed once
    const std::string audioFolder = root + "/audio/";
    // Size and modification time stand for each WAV's content: hashing 500 MB of audio to
    // open a dataset would take seconds, a stat of each file takes microseconds. On a large set the
    // stats run on every core (300,000 of them are a second on one).
    struct WavStat {
        bool exists = false;
        std::int64_t size = 0, seconds = 0, nanoseconds = 0;
    };
    std::vector<WavStat> stats(dataset.m_notes.size());
    const auto statRange = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            NoteRecord& note = dataset.m_notes[i];
            note.wavPath = audioFolder + note.noteStr + ".wav";
            struct stat info {};
            if (::stat(note.wavPath.c_str(), &info) == 0 && S_ISREG(info.st_mode))
                stats[i] = {true, std::int64_t(info.st_size), std::int64_t(info.st_mtim.tv_sec),
                            std::int64_t(info.st_mtim.tv_nsec)};
        }
    };
    const std::size_t n = stats.size();
    const std::size_t workers = n < 20'000 ? 1 : std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w)
        pool.emplace_back(statRange, n * w / workers, n * (w + 1) / workers);
    statRange(0, n / workers);
    for (std::thread& t : pool)
        t.join();
    for (std::size_t i = 0; i < n; ++i) {
        NoteRecord& note = dataset.m_notes[i];
        note.wavExists = stats[i].exists;
        hash.addString(note.noteStr);
        hash.addValue(std::uint8_t(note.wavExists));
        notesHash.addString(note.noteStr);
        notesHash.addValue(std::uint8_t(note.wavExists));
        if (note.wavExists) {
            hash.addValue(stats[i].size);
            hash.addValue(stats[i].seconds);
            hash.addValue(stats[i].nanoseconds);
        }
    }
    dataset.m_fingerprint = hash.hex();
    dataset.m_notesFingerprint = notesHash.hex();
    readGenerators(root + "/instruments.json", dataset.m_notes);
    return dataset;
}

std::vector<std::string> Dataset::missingWavs() const
{
    std::vector<std::string> missing;
    for (const NoteRecord& note : m_notes)
        if (!note.wavExists)
            missing.push_back(note.noteStr + ".wav");
    return missing;
}

std::vector<std::size_t> Dataset::usableIndices() const
{
    std::vector<std::size_t> usable;
    usable.reserve(m_notes.size());
    for (std::size_t i = 0; i < m_notes.size(); ++i)
        if (m_notes[i].wavExists)
            usable.push_back(i);
    return usable;
}

int Dataset::classIndex(const NoteRecord& note) const
{
    if (note.ownClass.empty())
        return -1;
    const auto it = std::lower_bound(m_classNames.begin(), m_classNames.end(), note.ownClass);
    return it != m_classNames.end() && *it == note.ownClass ? int(it - m_classNames.begin()) : -1;
}

std::array<int, 11> Dataset::familyCounts() const
{
    std::array<int, 11> counts{};
    for (const NoteRecord& note : m_notes)
        if (note.family >= 0)
            ++counts[std::size_t(note.family)];
    return counts;
}

std::array<int, 3> Dataset::sourceCounts() const
{
    std::array<int, 3> counts{};
    for (const NoteRecord& note : m_notes)
        if (note.source >= 0)
            ++counts[std::size_t(note.source)];
    return counts;
}

int Dataset::instrumentCount() const
{
    std::set<int> instruments;
    for (const NoteRecord& note : m_notes)
        instruments.insert(note.instrument);
    return int(instruments.size());
}

std::vector<std::string> generatorNamesIn(const std::string& folder)
{
    std::set<std::string> names;
    for (const auto& [instrument, generator] : readSidecar(folder + "/instruments.json").byInstrument)
        names.insert(generator);
    return {names.begin(), names.end()};
}

std::vector<std::pair<std::string, int>> Dataset::generatorCounts() const
{
    std::map<std::string, int> counts;
    for (const NoteRecord& note : m_notes)
        if (!note.generator.empty())
            ++counts[note.generator];
    return {counts.begin(), counts.end()};
}

std::string Dataset::fingerprint() const
{
    return m_fingerprint;
}

std::string Dataset::notesFingerprint() const
{
    return m_notesFingerprint;
}

} // namespace ts::dataset
