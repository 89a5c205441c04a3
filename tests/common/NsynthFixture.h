#pragma once
// NSynth-format folders written by the dataset, split, cache and CLI tests: examples.json in the
// order the test chooses (file order matters to the seed split) and short sine-tone WAVs.
// WAVs are written here with plain ofstream (no fsync per file) so a 4,096-note folder takes
// well under a second to make.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nsynthfixture {

inline const char* const kFamilies[11] = {"bass", "brass", "flute", "guitar", "keyboard", "mallet",
                                          "organ", "reed", "string", "synth_lead", "vocal"};
inline const char* const kSources[3] = {"acoustic", "electronic", "synthetic"};

struct Note {
    std::string instrumentStr;
    int instrument = 0;
    int family = 0;
    int source = 0;
    int pitch = 60;
    int velocity = 100;

    std::string noteStr() const
    {
        char tail[16];
        std::snprintf(tail, sizeof tail, "-%03d-%03d", pitch, velocity);
        return instrumentStr + tail;
    }
};

inline nlohmann::json noteJson(const Note& n, int id)
{
    nlohmann::json j;
    j["note"] = id;
    j["note_str"] = n.noteStr();
    j["instrument"] = n.instrument;
    j["instrument_str"] = n.instrumentStr;
    j["pitch"] = n.pitch;
    j["velocity"] = n.velocity;
    j["sample_rate"] = 16000;
    j["qualities"] = std::vector<int>{0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    j["qualities_str"] = std::vector<std::string>{"dark"};
    j["instrument_family"] = n.family;
    j["instrument_family_str"] = kFamilies[n.family];
    j["instrument_source"] = n.source;
    j["instrument_source_str"] = kSources[n.source];
    return j;
}

// examples.json text with the notes in exactly this order (nlohmann::json would sort the keys).
inline std::string examplesJson(const std::vector<nlohmann::json>& values)
{
    std::string text = "{\n";
    for (std::size_t i = 0; i < values.size(); ++i) {
        text += "  " + nlohmann::json(values[i]["note_str"].get<std::string>()).dump() + ": " + values[i].dump();
        text += i + 1 < values.size() ? ",\n" : "\n";
    }
    return text + "}\n";
}

inline std::string examplesJson(const std::vector<Note>& notes)
{
    std::vector<nlohmann::json> values;
    for (std::size_t i = 0; i < notes.size(); ++i)
        values.push_back(noteJson(notes[i], int(i)));
    return examplesJson(values);
}

// `perFamily` instruments for each family in `families`, source cycling acoustic/electronic/
// synthetic, each instrument playing every pitch × velocity. Instruments are numbered in order.
inline std::vector<Note> grid(const std::vector<int>& families, int perFamily, const std::vector<int>& pitches,
                              const std::vector<int>& velocities)
{
    std::vector<Note> notes;
    int instrument = 0;
    for (int family : families)
        for (int k = 0; k < perFamily; ++k, ++instrument) {
            const int source = instrument % 3;
            char str[64];
            std::snprintf(str, sizeof str, "%s_%s_%03d", kFamilies[family], kSources[source], instrument);
            for (int pitch : pitches)
                for (int velocity : velocities)
                    notes.push_back(Note{str, instrument, family, source, pitch, velocity});
        }
    return notes;
}

inline bool writeText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), std::streamsize(text.size()));
    return bool(out);
}

// 16-bit PCM WAV, 44-byte header, as NSynth's files are (mono unless `channels` says otherwise;
// samples interleaved).
inline bool writeWav(const std::string& path, const std::vector<float>& samples, int rate = 16000, int channels = 1)
{
    auto u32 = [](std::string& s, std::uint32_t v) { for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xff); };
    auto u16 = [](std::string& s, std::uint16_t v) { s += char(v & 0xff); s += char(v >> 8); };
    const auto dataBytes = std::uint32_t(samples.size() * 2);
    std::string b = "RIFF";
    u32(b, 36 + dataBytes);
    b += "WAVEfmt ";
    u32(b, 16); u16(b, 1); u16(b, std::uint16_t(channels)); u32(b, std::uint32_t(rate));
    u32(b, std::uint32_t(rate * 2 * channels)); u16(b, std::uint16_t(2 * channels)); u16(b, 16);
    b += "data";
    u32(b, dataBytes);
    for (float x : samples) {
        const double c = std::max(-1.0, std::min(1.0, double(x)));
        u16(b, std::uint16_t(std::int16_t(std::lround(c * 32767.0))));
    }
    return writeText(path, b);
}

inline std::vector<float> tone(int pitch, std::size_t frames, double amplitude = 0.5)
{
    std::vector<float> s(frames);
    const double hz = 440.0 * std::pow(2.0, (pitch - 69) / 12.0);
    for (std::size_t i = 0; i < frames; ++i)
        s[i] = float(amplitude * std::sin(2.0 * M_PI * hz * double(i) / 16000.0));
    return s;
}

// Writes folder/examples.json and folder/audio/<note_str>.wav (a tone at the note's pitch, its
// amplitude following the velocity) for every note not named in `withoutWav`.
inline bool write(const std::string& folder, const std::vector<Note>& notes, std::size_t frames = 1600,
                  const std::set<std::string>& withoutWav = {})
{
    std::error_code ec;
    std::filesystem::create_directories(folder + "/audio", ec);
    if (ec)
        return false;
    for (const Note& n : notes)
        if (!withoutWav.count(n.noteStr())
            && !writeWav(folder + "/audio/" + n.noteStr() + ".wav", tone(n.pitch, frames, n.velocity / 254.0)))
            return false;
    return writeText(folder + "/examples.json", examplesJson(notes));
}

} // namespace nsynthfixture
