#pragma once
// A spectrogram ready to draw: dB levels (frames × bins) plus what the axes need, the centre
// frequency of every bin and the time step between frames. Made from a signal with the display
// STFT (n_fft 1024, hop 128: fine time and frequency detail) or the log-mel that timbre-net sees.
// Both computations live in core/dsp (FFTW stays out of ui/).
#include <QString>

#include <vector>

#include "dsp/Spectrogram.h"

namespace ts::ui {

enum class SpectrogramAnalysis { Stft, LogMel };

QString spectrogramAnalysisName(SpectrogramAnalysis analysis);  // "STFT 1024", "Log-mel 64"

struct SpectrogramData {
    ts::dsp::Spectrogram levels;   // dB
    std::vector<double> binHz;     // centre frequency of each bin, ascending; size == levels.bins
    double secondsPerFrame = 0.0;  // frame i is centred at i * secondsPerFrame
    double durationSeconds = 0.0;  // of the signal
    int sampleRate = 0;
    SpectrogramAnalysis analysis = SpectrogramAnalysis::Stft;

    bool isEmpty() const { return levels.frames == 0 || levels.bins == 0; }
    double nyquistHz() const { return sampleRate / 2.0; }
    // The level drawn brightest: 0 dB (full scale) for the STFT, whose dB are relative to a
    // full-scale sine; the loudest level rounded up to 10 dB for the log-mel, whose reference is
    // the filterbank's, not full scale.
    double ceilingDb() const;

    // A long signal gets a larger hop so the spectrogram stays below about 8,192 frames.
    static SpectrogramData fromStft(const std::vector<float>& samples, int sampleRate);
    static SpectrogramData fromLogMel(const std::vector<float>& samples, int sampleRate);
    static SpectrogramData compute(SpectrogramAnalysis analysis, const std::vector<float>& samples, int sampleRate);
};

} // namespace ts::ui
