#pragma once
// A small NSynth-format folder written by the UI tests: 4 instruments × 3 pitches × 3 velocities =
// 36 notes of short sine tones, so every filter combination has a count worked out by hand.
//   bass_synthetic_000    (bass 0, synthetic 2)
//   guitar_acoustic_001   (guitar 3, acoustic 0)
//   guitar_electronic_002 (guitar 3, electronic 1)
//   keyboard_acoustic_003 (keyboard 4, acoustic 0)
// pitches 48 (C3), 60 (C4), 72 (C5); velocities 25, 75, 127. Notes are in that nested order.
#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audio/AudioFile.h"

namespace tinydataset {

struct Instrument {
    const char* str;
    int family;
    const char* familyStr;
    int source;
    const char* sourceStr;
};

inline const std::vector<Instrument>& instruments()
{
    static const std::vector<Instrument> list = {
        {"bass_synthetic_000", 0, "bass", 2, "synthetic"},
        {"guitar_acoustic_001", 3, "guitar", 0, "acoustic"},
        {"guitar_electronic_002", 3, "guitar", 1, "electronic"},
        {"keyboard_acoustic_003", 4, "keyboard", 0, "acoustic"},
    };
    return list;
}
inline const std::vector<int> kPitches = {48, 60, 72};
inline const std::vector<int> kVelocities = {25, 75, 127};
constexpr int kNoteCount = 36;

inline QString noteStr(const Instrument& instrument, int pitch, int velocity)
{
    return QString::asprintf("%s-%03d-%03d", instrument.str, pitch, velocity);
}

// A sine at the note's pitch; `frames` short keeps 4,096-note folders small (loading only stats WAVs).
inline bool writeTone(const QString& path, int pitch, std::size_t frames)
{
    std::vector<float> samples(frames);
    const double hz = 440.0 * std::pow(2.0, (pitch - 69) / 12.0);
    for (std::size_t i = 0; i < frames; ++i)
        samples[i] = float(0.5 * std::sin(2.0 * M_PI * hz * double(i) / 16000.0));
    return ts::audio::writeWav16(path.toStdString(), samples, 16000).ok();
}

inline nlohmann::json noteJson(const Instrument& instrument, int instrumentIndex, int pitch, int velocity, int id)
{
    nlohmann::json note;
    note["note"] = id;
    note["note_str"] = noteStr(instrument, pitch, velocity).toStdString();
    note["instrument"] = instrumentIndex;
    note["instrument_str"] = instrument.str;
    note["pitch"] = pitch;
    note["velocity"] = velocity;
    note["sample_rate"] = 16000;
    note["qualities"] = std::vector<int>(10, 0);
    note["qualities_str"] = nlohmann::json::array();
    note["instrument_family"] = instrument.family;
    note["instrument_family_str"] = instrument.familyStr;
    note["instrument_source"] = instrument.source;
    note["instrument_source_str"] = instrument.sourceStr;
    return note;
}

inline bool writeJson(const QString& folder, const nlohmann::json& examples)
{
    QFile file(folder + QStringLiteral("/examples.json"));
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const std::string text = examples.dump(1);
    return file.write(text.data(), qint64(text.size())) == qint64(text.size());
}

// Writes the 36-note folder. `missingWav`: a note_str whose WAV is left out (listed, unplayable).
inline bool write(const QString& folder, const QString& missingWav = QString(), std::size_t frames = 16000)
{
    if (!QDir().mkpath(folder + QStringLiteral("/audio")))
        return false;
    nlohmann::json examples = nlohmann::json::object();
    int id = 0;
    for (int i = 0; i < int(instruments().size()); ++i) {
        const Instrument& instrument = instruments()[std::size_t(i)];
        for (int pitch : kPitches)
            for (int velocity : kVelocities) {
                const QString name = noteStr(instrument, pitch, velocity);
                examples[name.toStdString()] = noteJson(instrument, i, pitch, velocity, id++);
                if (name != missingWav && !writeTone(folder + QStringLiteral("/audio/") + name + QStringLiteral(".wav"), pitch, frames))
                    return false;
            }
    }
    return writeJson(folder, examples);
}

// A larger folder of `count` notes: instruments of the same four kinds numbered on (each with
// pitches 21..108 × NSynth's five velocities), tiny WAVs. For timing how fast a test-split-sized
// set opens; loading only stats the WAVs, so their length does not matter.
inline bool writeLarge(const QString& folder, int count)
{
    if (!QDir().mkpath(folder + QStringLiteral("/audio")))
        return false;
    static const int velocities[5] = {25, 50, 75, 100, 127};
    // One tone written properly, then plain copies: thousands of atomic (fsync'ed) writes would
    // take most of a minute on a busy disk.
    const QString model = folder + QStringLiteral("/tone.wav");
    if (!writeTone(model, 60, 160))
        return false;
    nlohmann::json examples = nlohmann::json::object();
    int made = 0;
    for (int k = 0; made < count; ++k) {
        const Instrument& kind = instruments()[std::size_t(k % 4)];
        const std::string str = std::string(kind.familyStr) + "_" + kind.sourceStr + QString::asprintf("_%03d", k).toStdString();
        const Instrument instrument{str.c_str(), kind.family, kind.familyStr, kind.source, kind.sourceStr};
        for (int pitch = 21; pitch <= 108 && made < count; ++pitch)
            for (int v = 0; v < 5 && made < count; ++v) {
                const QString name = noteStr(instrument, pitch, velocities[v]);
                examples[name.toStdString()] = noteJson(instrument, k, pitch, velocities[v], made++);
                if (!QFile::copy(model, folder + QStringLiteral("/audio/") + name + QStringLiteral(".wav")))
                    return false;
            }
    }
    return QFile::remove(model) && writeJson(folder, examples);
}

} // namespace tinydataset
