#pragma once
// Where notes start in a signal of any length, so that a model sees a note from its onset (a file
// with a second of silence or room noise first, or a phrase of several notes). Spectral flux on
// 80 mel-spaced band levels in dB over short frames (32 ms, 8 ms step), with a level range below
// the loudest band so that a quiet noise floor cannot fire, an adaptive threshold (local median
// plus a share of the strongest flux), a band-wise rise check against the recent past, and a
// refinement of each onset to 4 ms blocks of the envelope. A sound swelling in from silence with
// no flux peak gets an onset where it clears the floor. Onsets whose note is far quieter than the
// loudest one (a breath, room noise before the note), that start quiet noise, or whose sound stops
// at once (a click, a note-off) are dropped. Longer frames (128 ms) give a spectral flatness, which
// tells a pitched or resonant note (peaks over a low floor) from noise (a flat spectrum).
// Qt-free, FFTW kept out of this header; analyse() is const and safe to call from several threads.
#include <cstddef>
#include <memory>
#include <vector>

namespace ts::dsp {

struct OnsetSettings {
    int sampleRate = 16000;
    int fftSize = 512;              // 32 ms: short enough to separate notes 100 ms apart
    int hop = 128;                  // 8 ms between frames
    int blockSize = 64;             // 4 ms envelope blocks for the refinement
    // Band levels are clamped this far below the loudest band of the signal: a noise floor 60 dB
    // under the music is invisible, so its random fluctuations make no flux.
    double rangeDb = 60.0;
    // A flux peak must exceed the local median (over ±medianSeconds) by this share of the
    // strongest flux peak of the signal, and by minFluxDb (mean dB rise per band) in any case.
    double medianSeconds = 0.15;
    double relativeThreshold = 0.06;
    double minFluxDb = 1.0;
    // Each band's loudest level in the 48 ms after the onset against its loudest in the 100 ms
    // before (since the previous onset), as a mean rise over the bands, must reach this: a new note
    // brings bands up, while a tremolo's recovery (FluidR3's Square Lead dips 15 dB twice a
    // second) or vibrato only returns them to where they were.
    double minRiseDb = 1.0;
    double minGapSeconds = 0.06;    // two onsets closer than this are one
    // A note whose loudest frame is more than this below the loudest frame of the signal is not
    // counted (a breath or room noise before the note, a click in the lead-in).
    double minNoteLevelDb = 30.0;
    // A stretch that is noise (flatness above noiseFlatness) and more than quietNoiseDb below the
    // loudest frame is room noise or breath before a note, not a note.
    double quietNoiseDb = 12.0;
    double noiseFlatness = 0.35;
    // The signal is a window cut from a longer one (live input): its first frames, which see zeros
    // before it, make no flux, so a note already sounding at its start is neither an onset nor, by
    // its jump from silence, the strongest flux that the threshold of every other onset follows.
    bool continuesEarlier = false;
};

// Frame-wise measures kept from the analysis, for callers that judge a stretch of the signal.
struct OnsetAnalysis {
    std::vector<std::size_t> onsets;   // sample index of each note onset, ascending
    int hop = 128;                      // level frame t is centred on sample t * hop
    int frameSize = 512;
    std::vector<float> frameLevelDb;    // broadband power in dB (full-scale sine ≈ 0 dB)
    int flatnessHop = 512;              // flatness frames (longer, for frequency resolution)
    int flatnessFrameSize = 2048;
    std::vector<float> frameFlatness;   // spectral flatness in [0, 1] of 90 Hz-7.5 kHz (see below)
    std::vector<float> flatnessPower;   // the power it was measured on (its weight)

    // Power-weighted mean flatness of the frames centred in [first, last) samples whose window
    // ends by `last` (the attack of the next note does not leak in); 1 when the stretch is silent.
    // Pitched and resonant notes read well under 0.3, white or pink noise about 0.6, clicks 1.
    double flatness(std::size_t first, std::size_t last) const;
    // Loudest level frame (dB) centred in [first, last) whose window ends by `last`; -200 when none.
    double peakLevelDb(std::size_t first, std::size_t last) const;
};

class OnsetDetector {
public:
    explicit OnsetDetector(OnsetSettings settings = {});
    ~OnsetDetector();
    OnsetDetector(const OnsetDetector&) = delete;
    OnsetDetector& operator=(const OnsetDetector&) = delete;

    const OnsetSettings& settings() const;

    // Onset times in samples, ascending. A signal that starts with a note has an onset at 0 (or
    // within a few milliseconds of it); digital silence has none.
    std::vector<std::size_t> detect(const float* samples, std::size_t count) const;
    OnsetAnalysis analyse(const float* samples, std::size_t count) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::dsp
