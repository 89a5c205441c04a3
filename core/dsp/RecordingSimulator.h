#pragma once
// Makes a rendered note sound as if it had been recorded: a room (a synthetic impulse response of
// random size and decay), a microphone's colour (low cut, high cut, peaking EQ bands), background
// noise at a random signal-to-noise ratio, a small pitch deviation, level and compression, a short
// lead-in before the note and sometimes a release cut short. None of these changes what instrument
// it is, so the labels stay. Training on such copies prepares a model for real recordings, which
// the clean renders (dry, noiseless, every note starting at sample 0) never resemble.
// Everything is drawn from a seed, so a note's simulated recording is the same on every run.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ts::dsp {

struct EqBand {
    double hz = 1000.0;
    double gainDb = 0.0;
    double q = 1.0;
};

struct RecordingConditions {
    double leadInSeconds = 0.0;      // quiet room before the note starts
    double pitchCents = 0.0;         // the instrument a little sharp or flat
    double gainDb = 0.0;             // level before compression
    double lowCutHz = 0.0;           // 0: none
    double highCutHz = 0.0;          // 0: none
    std::array<EqBand, 2> bands{};   // microphone and room colour
    double reverbSeconds = 0.0;      // RT60 of the room; 0: dry
    double reverbWet = 0.0;          // reverberant energy relative to the direct sound
    double preDelaySeconds = 0.0;    // first reflection after the direct sound
    double compressorThresholdDb = 0.0;  // 0: no compression
    double compressorRatio = 1.0;
    double noiseSnrDb = 200.0;       // background noise relative to the note's RMS
    int noiseColour = 0;             // 0 white, 1 pink, 2 brown (room rumble)
    double cutOffSeconds = 0.0;      // 0: the note as played; else faded out here
};

class RecordingSimulator {
public:
    static constexpr int kSampleRate = 16000;

    // Conditions drawn from `seed`: about half the notes get a room, most get EQ and noise.
    static RecordingConditions draw(std::uint64_t seed);

    // The note (mono, 16 kHz) as recorded under `conditions`, the same length as the input.
    // `seed` draws the room's impulse response and the noise.
    static std::vector<float> apply(const std::vector<float>& note, const RecordingConditions& conditions,
                                    std::uint64_t seed);

    // draw + apply with one seed made from a note's name and the variant number (1, 2, ...).
    static std::vector<float> simulate(const std::vector<float>& note, const std::string& noteName, int variant);
};

} // namespace ts::dsp
