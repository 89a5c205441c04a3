#pragma once
// NSynth's label vocabularies, in NSynth's index order (the order models use for their outputs).
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace ts::dataset {

inline constexpr std::array<std::string_view, 11> kFamilyNames = {
    "bass", "brass", "flute", "guitar", "keyboard", "mallet",
    "organ", "reed", "string", "synth_lead", "vocal"};
inline constexpr std::array<std::string_view, 3> kSourceNames = {"acoustic", "electronic", "synthetic"};
inline constexpr std::array<std::string_view, 10> kQualityNames = {
    "bright", "dark", "distortion", "fast_decay", "long_release",
    "multiphonic", "nonlinear_env", "percussive", "reverb", "tempo-synced"};
inline constexpr std::array<int, 5> kNsynthVelocities = {25, 50, 75, 100, 127};

std::optional<int> familyIndex(std::string_view name);
std::optional<int> sourceIndex(std::string_view name);
// The name of an index, "unknown" for kUnknownLabel (an imported note's) or anything out of range.
std::string familyName(int family);
std::string sourceName(int source);

// "C4" for MIDI 60, "A#3" for 58 (scientific pitch notation, C4 = middle C).
std::string noteName(int midiPitch);
// Hz of a MIDI pitch with A4 = 440 Hz, and the nearest MIDI pitch of a frequency.
double midiToHz(double midiPitch);
double hzToMidi(double hz);

} // namespace ts::dataset
