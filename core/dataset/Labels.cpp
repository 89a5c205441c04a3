#include "dataset/Labels.h"

#include <cmath>
#include <string>

namespace ts::dataset {

namespace {

template <std::size_t N>
std::optional<int> indexIn(const std::array<std::string_view, N>& names, std::string_view name)
{
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name)
            return int(i);
    return std::nullopt;
}

} // namespace

std::optional<int> familyIndex(std::string_view name)
{
    return indexIn(kFamilyNames, name);
}

std::optional<int> sourceIndex(std::string_view name)
{
    return indexIn(kSourceNames, name);
}

std::string familyName(int family)
{
    return family >= 0 && family < int(kFamilyNames.size()) ? std::string(kFamilyNames[std::size_t(family)]) : "unknown";
}

std::string sourceName(int source)
{
    return source >= 0 && source < int(kSourceNames.size()) ? std::string(kSourceNames[std::size_t(source)]) : "unknown";
}

std::string noteName(int midiPitch)
{
    static const char* const kNames[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    // Floor division so that MIDI 0..11 is octave -1 (C-1), the usual scientific convention.
    const int octave = (midiPitch >= 0 ? midiPitch / 12 : (midiPitch - 11) / 12) - 1;
    const int pitchClass = ((midiPitch % 12) + 12) % 12;
    return std::string(kNames[pitchClass]) + std::to_string(octave);
}

double midiToHz(double midiPitch)
{
    return 440.0 * std::pow(2.0, (midiPitch - 69.0) / 12.0);
}

double hzToMidi(double hz)
{
    return 69.0 + 12.0 * std::log2(hz / 440.0);
}

} // namespace ts::dataset
