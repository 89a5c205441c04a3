// `timbrescope info PATH [--json]`: what a sound file holds (format, rate, channels, frames,
// duration, levels) or what a dataset folder holds (notes per family and source, instruments,
// pitch range, missing WAVs). Text for people, --json for scripts.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "audio/AudioFile.h"
#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "dataset/Dataset.h"
#include "dataset/Labels.h"

namespace ts::cli {

namespace {

using nlohmann::ordered_json;

constexpr std::size_t kMissingShown = 5;

std::string fixed(double value, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

// JSON numbers rounded as the text shows them, so both outputs agree.
double rounded(double value, int decimals)
{
    return std::stod(fixed(value, decimals));
}

int soundInfo(const std::string& path, bool json)
{
    auto format = audio::probeAudio(path);
    if (!format)
        return fail(format.error());
    // Levels need the samples; a file too long to load is still described, without them.
    auto decoded = audio::loadAudio(path);
    if (!decoded && decoded.error().code != ErrorCode::Unsupported)
        return fail(decoded.error());
    const bool measured = decoded.ok();
    const audio::Level level = measured ? audio::measureLevel(decoded->samples) : audio::Level{};
    // What the file really holds: a damaged or truncated file's header may claim far more.
    const std::int64_t frames = measured ? decoded->decodedFrames : format->frames;
    const double seconds = double(frames) / format->sampleRate;

    if (json) {
        ordered_json j = {{"path", path},
                          {"type", "sound"},
                          {"container", format->container},
                          {"encoding", format->encoding},
                          {"sample_rate", format->sampleRate},
                          {"channels", format->channels},
                          {"frames", frames},
                          {"header_frames", format->frames},
                          {"duration_s", rounded(seconds, 6)},
                          {"file_bytes", format->fileBytes}};
        j["peak_db"] = measured ? ordered_json(rounded(level.peakDb, 2)) : ordered_json(nullptr);
        j["rms_db"] = measured ? ordered_json(rounded(level.rmsDb, 2)) : ordered_json(nullptr);
        j["non_finite_samples"] = measured ? decoded->nonFiniteSamples : 0;
        if (!measured)
            j["not_loadable"] = decoded.error().message;
        std::cout << jsonText(j) << std::endl;
        return kSuccess;
    }
    std::ostringstream out;
    out << "File:         " << path << "\n"
        << "Container:    " << format->container << "\n"
        << "Encoding:     " << format->encoding << "\n"
        << "Sample rate:  " << format->sampleRate << " Hz\n"
        << "Channels:     " << format->channels << "\n"
        << "Frames:       " << frames;
    if (frames != format->frames)
        out << " (the header claims " << format->frames << ")";
    out << "\n"
        << "Duration:     " << fixed(seconds, 3) << " s\n"
        << "Size:         " << format->fileBytes << " bytes\n";
    if (measured) {
        // Measured on what the models hear: the mono mix at 16 kHz.
        out << "Peak:         " << fixed(level.peakDb, 2) << " dBFS (mono mix)\n"
            << "RMS:          " << fixed(level.rmsDb, 2) << " dBFS (mono mix)\n";
        if (decoded->nonFiniteSamples > 0)
            out << "NaN/Inf:      " << decoded->nonFiniteSamples << " samples (replaced by 0 when loading)\n";
    } else {
        out << "Levels:       not measured: " << decoded.error().message << "\n";
    }
    std::cout << out.str() << std::flush;
    return kSuccess;
}

template <std::size_t N>
ordered_json countsJson(const std::array<std::string_view, N>& names, const std::array<int, N>& counts)
{
    ordered_json j = ordered_json::object();
    for (std::size_t i = 0; i < N; ++i)
        j[std::string(names[i])] = counts[i];
    return j;
}

template <std::size_t N>
void countsText(std::ostream& out, const std::array<std::string_view, N>& names, const std::array<int, N>& counts)
{
    for (std::size_t i = 0; i < N; ++i) {
        char line[64];
        std::snprintf(line, sizeof line, "  %-12s %6d\n", std::string(names[i]).c_str(), counts[i]);
        out << line;
    }
}

int datasetInfo(const std::string& path, bool json)
{
    auto loaded = dataset::Dataset::load(path);
    if (!loaded)
        return fail(loaded.error());
    const dataset::Dataset& ds = *loaded;
    int minPitch = 127, maxPitch = 0;
    std::set<int> velocities;
    for (const dataset::NoteRecord& n : ds.notes()) {
        minPitch = std::min(minPitch, n.pitch);
        maxPitch = std::max(maxPitch, n.pitch);
        velocities.insert(n.velocity);
    }
    const std::vector<std::string> missing = ds.missingWavs();
    const std::vector<std::string> firstMissing(missing.begin(), missing.begin() + long(std::min(missing.size(), kMissingShown)));

    // Which sound generator rendered the notes (instruments.json of a rendered set; none for real NSynth).
    ordered_json generators = ordered_json::object();
    for (const auto& [name, notes] : ds.generatorCounts())
        generators[name] = notes;
    // An imported dataset's own classes (notes per class), and its notes of unknown family / source.
    std::map<std::string, int> classCounts;
    int unknownFamily = 0, unknownSource = 0;
    for (const dataset::NoteRecord& n : ds.notes()) {
        if (!n.ownClass.empty())
            ++classCounts[n.ownClass];
        unknownFamily += n.family == dataset::kUnknownLabel;
        unknownSource += n.source == dataset::kUnknownLabel;
    }
    if (json) {
        ordered_json j = {{"path", ds.folder()},
                          {"type", "dataset"},
                          {"notes", ds.size()},
                          {"usable_notes", ds.size() - missing.size()},
                          {"instruments", ds.instrumentCount()},
                          {"pitch_min", minPitch},
                          {"pitch_max", maxPitch},
                          {"velocities", velocities},
                          {"families", countsJson(dataset::kFamilyNames, ds.familyCounts())},
                          {"sources", countsJson(dataset::kSourceNames, ds.sourceCounts())},
                          {"generators", generators},
                          {"classes", classCounts},
                          {"unknown_family", unknownFamily},
                          {"unknown_source", unknownSource},
                          {"missing_wavs", {{"count", missing.size()}, {"first", firstMissing}}},
                          {"fingerprint", ds.fingerprint()}};
        std::cout << jsonText(j) << std::endl;
    } else {
        std::ostringstream out;
        out << "Dataset:      " << ds.folder() << "\n"
            << "Notes:        " << ds.size() << " (" << ds.size() - missing.size() << " with a WAV file)\n"
            << "Instruments:  " << ds.instrumentCount() << "\n"
            << "Pitch range:  " << minPitch << " (" << dataset::noteName(minPitch) << ") to " << maxPitch << " ("
            << dataset::noteName(maxPitch) << ")\n"
            << "Velocities:  ";
        for (int v : velocities)
            out << " " << v;
        if (!classCounts.empty()) {
            out << "\nOwn classes:\n";
            for (const auto& [name, notes] : classCounts) {
                char line[160];
                std::snprintf(line, sizeof line, "  %-24s %6d\n", name.c_str(), notes);
                out << line;
            }
        } else {
            out << "\n";
        }
        out << "Families:" << (unknownFamily ? " (" + std::to_string(unknownFamily) + " notes unknown)" : std::string()) << "\n";
        countsText(out, dataset::kFamilyNames, ds.familyCounts());
        out << "Sources:" << (unknownSource ? " (" + std::to_string(unknownSource) + " notes unknown)" : std::string()) << "\n";
        countsText(out, dataset::kSourceNames, ds.sourceCounts());
        if (!generators.empty()) {
            out << "Generators:\n";
            for (const auto& [name, notes] : ds.generatorCounts()) {
                char line[96];
                std::snprintf(line, sizeof line, "  %-24s %6d\n", name.c_str(), notes);
                out << line;
            }
        }
        out << "Missing WAVs: " << missing.size();
        for (std::size_t i = 0; i < firstMissing.size(); ++i)
            out << (i == 0 ? " (" : ", ") << firstMissing[i];
        if (!firstMissing.empty())
            out << (missing.size() > firstMissing.size() ? ", ...)" : ")");
        out << "\nFingerprint:  " << ds.fingerprint() << "\n";
        std::cout << out.str() << std::flush;
    }
    // The dataset is usable without them (training skips those notes), but a dataset whose
    // examples.json names files that do not exist is bad input: report it all, then exit 1.
    if (!missing.empty())
        return fail(makeError(ErrorCode::NotFound,
                              std::to_string(missing.size()) + " note(s) in examples.json name WAV files that do not exist in audio/ (first: "
                                  + missing.front() + ")",
                              ds.folder()));
    return kSuccess;
}

int runInfo(const Args& args)
{
    if (args.positionals().empty())
        return usageError("info", "missing PATH (a sound file or a dataset folder)");
    if (args.positionals().size() > 1)
        return usageError("info", "expects one PATH, got " + std::to_string(args.positionals().size()));
    const std::string& path = args.positionals().front();
    const bool json = args.has("--json");
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail(makeError(ErrorCode::NotFound, "no such file or folder", path));
    if (std::filesystem::is_directory(path, ec))
        return datasetInfo(path, json);
    return soundInfo(path, json);
}

Command makeInfoCommand()
{
    Command c;
    c.name = "info";
    c.synopsis = "PATH [--json]";
    c.summary = "describe a sound file or an NSynth-format dataset folder";
    c.description =
        "For a sound file (any format libsndfile reads): container, encoding, sample rate,\n"
        "channels, frames, duration, size, and the peak and RMS level in dBFS of the mono mix\n"
        "at 16 kHz (what the models hear).\n"
        "For a dataset folder (examples.json + audio/): note count, notes per family and per\n"
        "source, instrument count, pitch range, velocities, and the WAV files examples.json\n"
        "names that do not exist. Those are listed and then reported as an error (exit 1),\n"
        "although the GUI and training can still use the notes that have their file.\n"
        "--json prints one JSON document instead of text.\n"
        "Exit status: 0 success, 1 bad input (missing path, unreadable or not-audio file,\n"
        "malformed examples.json, missing WAVs), 2 wrong usage.";
    c.options = {{"--json", "", "print one JSON document on stdout"}};
    c.order = 20;
    c.run = runInfo;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeInfoCommand);

} // namespace ts::cli
