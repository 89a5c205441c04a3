#include "synth/RenderManifest.h"

#include <fluidsynth.h>
#include <soxr.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "dataset/Labels.h"
#include "synth/NoteRenderer.h"
#include "synth/StkNoteRenderer.h"
#include "synth/StkVoiceTable.h"
#include "util/AtomicFile.h"
#include "util/Fnv1a.h"

namespace ts::synth {

namespace fs = std::filesystem;

namespace {

// Bumped whenever a change to the rendering would change the output bytes, so an existing
// default dataset made the old way is rendered again.
constexpr const char* kRecipeVersion = "timbrescope-render/3";

std::int64_t noteId(const PlannedInstrument& instrument, int pitch, int velocity)
{
    return std::int64_t(instrument.instrument) * 16384 + pitch * 128 + velocity;
}

// A seeded position for a note in examples.json: splitmix64 of the seed and the note name's FNV-1a
// hash, so the order is the same on every platform and for any number of render jobs.
std::uint64_t listingKey(std::uint64_t seed, const std::string& noteStr)
{
    Fnv1a hash;
    hash.add(noteStr.data(), noteStr.size());
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull + hash.value();
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

Result<std::string> RenderManifest::recipe(const std::string& soundFont, const RenderOptions& options)
{
    return recipe(std::vector<SoundGenerator>{soundFontGenerator(soundFont)}, options);
}

Result<std::string> RenderManifest::recipe(const std::vector<SoundGenerator>& generators, const RenderOptions& options)
{
    std::string r = kRecipeVersion;
    for (const SoundGenerator& generator : generators) {
        if (generator.kind == GeneratorKind::Stk) {
            // The voice table is part of the recipe: a changed parameter changes the sound.
            Fnv1a table;
            for (const auto& voice : stkVoices()) {
                table.addString(voice.id);
                table.addString(voice.model);
                table.addValue(voice.mapping.family);
                table.addValue(voice.mapping.source);
                table.addValue(voice.mapping.pitchLow);
                table.addValue(voice.mapping.pitchHigh);
                for (const auto& [control, value] : voice.controls) {
                    table.addValue(control);
                    table.addValue(value);
                }
            }
            r += " stk voices=" + std::to_string(stkVoices().size()) + ":" + table.hex();
            continue;
        }
        struct stat st {};
        if (::stat(generator.path.c_str(), &st) != 0)
            return makeError(ErrorCode::NotFound, "no such SoundFont file", generator.path);
        std::error_code ec;
        const std::string absolute = fs::absolute(generator.path, ec).lexically_normal().string();
        r += " soundfont=" + absolute + " bytes=" + std::to_string(st.st_size)
            + " mtime=" + std::to_string(std::int64_t(st.st_mtime)) + (generator.synthesizer ? " synthesizer" : "");
    }
    r += options.grid ? std::string(" grid") : " count=" + std::to_string(options.count);
    r += " seed=" + std::to_string(options.seed) + " ambiguous=" + (options.includeAmbiguous ? "1" : "0");
    r += std::string(" fluidsynth=") + fluid_version_str() + " soxr=" + soxr_version();
    return r;
}

std::string RenderManifest::examplesJson(const RenderPlan& plan, const std::vector<RenderedEntry>& entries)
{
    // Notes are listed in a seeded shuffled order, as NSynth's own files are, not grouped by family
    // or instrument: the `seed` split (first 75 % / last 25 % in file order) then sees every family
    // on both sides, as it did on nsynth-test.
    struct Listed {
        std::uint64_t position;
        std::string key;
        const RenderedEntry* entry;
    };
    std::vector<Listed> listing;
    for (const RenderedEntry& entry : entries) {
        if (!entry.written)
            continue;
        std::string key = RenderPlan::noteStr(plan.instruments()[entry.note.instrumentIndex], entry.note.pitch,
                                              entry.note.velocity);
        const std::uint64_t position = listingKey(plan.seed(), key);
        listing.push_back({position, std::move(key), &entry});
    }
    std::sort(listing.begin(), listing.end(), [](const Listed& a, const Listed& b) {
        return a.position != b.position ? a.position < b.position : a.entry < b.entry;
    });
    nlohmann::ordered_json examples = nlohmann::ordered_json::object();
    for (const Listed& listed : listing) {
        const RenderedEntry& entry = *listed.entry;
        const PlannedInstrument& inst = plan.instruments()[entry.note.instrumentIndex];
        const std::string& key = listed.key;
        // Qualities are NSynth's hand-annotated descriptors; a render has no annotator, so all
        // ten are 0 and qualities_str is empty, as for an unannotated NSynth note.
        examples[key] = {
            {"note", noteId(inst, entry.note.pitch, entry.note.velocity)},
            {"note_str", key},
            {"instrument", inst.instrument},
            {"instrument_str", inst.instrumentStr},
            {"pitch", entry.note.pitch},
            {"velocity", entry.note.velocity},
            {"sample_rate", NoteRenderer::kOutputRate},
            {"qualities", std::vector<int>(dataset::kQualityNames.size(), 0)},
            {"qualities_str", nlohmann::json::array()},
            {"instrument_family", inst.mapping.family},
            {"instrument_family_str", std::string(dataset::kFamilyNames[std::size_t(inst.mapping.family)])},
            {"instrument_source", inst.mapping.source},
            {"instrument_source_str", std::string(dataset::kSourceNames[std::size_t(inst.mapping.source)])},
        };
    }
    return examples.dump(2) + "\n";
}

std::string RenderManifest::instrumentsJson(const RenderPlan& plan, const std::vector<RenderedEntry>& entries,
                                            const std::string& recipe)
{
    std::vector<int> counts(plan.instruments().size(), 0);
    std::vector<std::size_t> generatorNotes(plan.generators().size(), 0);
    std::size_t total = 0, silent = 0, guarded = 0;
    for (const RenderedEntry& entry : entries) {
        if (entry.written) {
            ++counts[entry.note.instrumentIndex];
            ++generatorNotes[plan.instruments()[entry.note.instrumentIndex].generator];
            ++total;
        } else {
            ++silent;
        }
        guarded += entry.clipGuarded ? 1 : 0;
    }
    nlohmann::json instruments = nlohmann::json::array();
    for (std::size_t i = 0; i < plan.instruments().size(); ++i) {
        const PlannedInstrument& inst = plan.instruments()[i];
        if (counts[i] == 0)
            continue;
        const SoundGenerator& generator = plan.generators()[inst.generator];
        nlohmann::json entry = {
            {"instrument", inst.instrument},
            {"instrument_str", inst.instrumentStr},
            {"generator", generator.name},
            {"preset_name", inst.presetName},
            {"family", std::string(dataset::kFamilyNames[std::size_t(inst.mapping.family)])},
            {"source", std::string(dataset::kSourceNames[std::size_t(inst.mapping.source)])},
            {"tier", presetTierName(inst.mapping.tier)},
            {"mapping_note", inst.mapping.note},
            {"pitch_min", inst.mapping.pitchLow},
            {"pitch_max", inst.mapping.pitchHigh},
            {"notes", counts[i]},
        };
        if (generator.kind == GeneratorKind::Stk) {
            const auto& voice = stkVoices()[std::size_t(inst.voice)];
            entry["stk_model"] = voice.model;
            entry["stk_voice"] = voice.id;
        } else {
            entry["bank"] = inst.bank;
            entry["program"] = inst.program;
        }
        instruments.push_back(std::move(entry));
    }
    nlohmann::json generators = nlohmann::json::array();
    for (std::size_t g = 0; g < plan.generators().size(); ++g) {
        const SoundGenerator& generator = plan.generators()[g];
        nlohmann::json entry = {{"name", generator.name},
                                {"kind", generator.kind == GeneratorKind::Stk ? "stk" : "soundfont"},
                                {"package", generator.package},
                                {"synthesizer", generator.synthesizer},
                                {"notes", generatorNotes[g]}};
        if (!generator.path.empty())
            entry["file"] = fs::path(generator.path).filename().string();
        generators.push_back(std::move(entry));
    }
    nlohmann::json duplicates = nlohmann::json::array();
    for (const DuplicatePreset& d : plan.duplicates())
        duplicates.push_back({{"generator", d.generator}, {"bank", d.bank}, {"program", d.program}, {"preset_name", d.presetName},
                              {"same_samples_as", d.keptGenerator == d.generator
                                                      ? std::to_string(d.keptBank) + ":" + std::to_string(d.keptProgram)
                                                      : d.keptGenerator}});
    nlohmann::json doc = {
        {"format", "timbrescope-instruments/2"},
        {"recipe", recipe},
        {"generators", generators},
        {"note_count", total},
        {"silent_notes_skipped", silent},
        {"clip_guard_applied", guarded},
        {"render", {
            {"internal_sample_rate", NoteRenderer::kInternalRate},
            {"sample_rate", NoteRenderer::kOutputRate},
            {"frames", NoteRenderer::kOutputFrames},
            {"note_off_seconds", double(NoteRenderer::kNoteOffFrame) / NoteRenderer::kInternalRate},
            {"interpolation", "7th order"},
            {"reverb", false},
            {"chorus", false},
            {"gain", 1.0},
            {"mono", "(L+R)/2"},
            {"resampler", "libsoxr VHQ linear phase, delay compensated"},
            {"clip_ceiling", NoteRenderer::kClipCeiling},
            {"silence_floor_db", NoteRenderer::kSilenceFloorDb},
        }},
        {"instruments", instruments},
        {"duplicates_left_out", duplicates},
    };
    return doc.dump(2) + "\n";
}

bool RenderManifest::isComplete(const std::string& folder, const std::string& recipe, std::size_t* noteCount)
{
    std::error_code ec;
    if (!fs::is_regular_file(fs::path(folder) / "examples.json", ec))
        return false;
    auto text = readWholeFile((fs::path(folder) / "instruments.json").string());
    if (!text.ok())
        return false;
    const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
    // Checked field by field: a hand-edited or damaged file is simply "not complete", never a throw.
    if (doc.is_discarded() || !doc.is_object())
        return false;
    const auto r = doc.find("recipe");
    const auto n = doc.find("note_count");
    if (r == doc.end() || !r->is_string() || r->get<std::string>() != recipe || n == doc.end() || !n->is_number_unsigned())
        return false;
    const auto expected = n->get<std::size_t>();
    std::size_t wavs = 0;
    for (fs::directory_iterator it(fs::path(folder) / "audio", ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".wav")
            ++wavs;
    if (ec || expected == 0 || wavs != expected)
        return false;
    if (noteCount)
        *noteCount = expected;
    return true;
}

} // namespace ts::synth
