#pragma once
// Decoding any sound file libsndfile reads into what the rest of Timbrescope uses: mono float
// (mean of the channels) at 16 kHz. The full signal is kept for display; models get a fixed
// 64,000-sample view (crop from the start or zero-pad), as NSynth notes are 4 s at 16 kHz.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/Result.h"

namespace ts::audio {

constexpr int kModelSampleRate = 16000;
constexpr std::size_t kModelFrames = 64000;
// Refused before decoding: a 10-minute or 1-GiB file is not a note, and would exhaust memory.
constexpr double kMaxDurationSeconds = 600.0;
constexpr std::uint64_t kMaxFileBytes = std::uint64_t(1) << 30;
// Studio rates go to 384 kHz; a header claiming more is damaged, and 10 minutes of it would not fit
// in memory.
constexpr int kMaxSampleRate = 768000;
// A float sample beyond this (+120 dBFS) is no recording's but damaged data, like NaN and Inf; kept,
// it would overflow the resampler's and the spectra's float arithmetic into Inf and NaN.
constexpr float kMaxFloatSample = 1.0e6f;

// What the file on disk holds, before any conversion.
struct SourceFormat {
    std::string container;  // "WAV", "FLAC", "OGG", "AIFF", ...
    std::string encoding;   // "PCM 16-bit", "float 32-bit", "Vorbis", ...
    int sampleRate = 0;
    int channels = 0;
    std::int64_t frames = 0;
    std::uint64_t fileBytes = 0;

    double durationSeconds() const { return sampleRate > 0 ? double(frames) / sampleRate : 0.0; }
};

struct DecodedAudio {
    std::vector<float> samples;   // mono, kModelSampleRate, the whole file
    SourceFormat source;
    std::size_t nonFiniteSamples = 0; // NaN/Inf (or beyond kMaxFloatSample) in a float file, replaced by 0
    // Frames really decoded at the source rate: fewer than source.frames when the header claims more
    // than the file holds (a truncated or damaged file).
    std::int64_t decodedFrames = 0;
};

// Reads the header only (cheap): format, rate, channels, frames. Errors name the file. Refuses
// what loadAudio could never decode (missing, empty, not audio, 0 frames) but not a long file:
// describing a 2-hour recording is fine, loading it is not.
Result<SourceFormat> probeAudio(const std::string& path);

// Decodes the whole file to mono float at 16 kHz (libsoxr for any other rate), in blocks: memory
// follows what the file really holds, never what its header claims.
// Refuses files over kMaxDurationSeconds or kMaxFileBytes, empty files, files with 0 frames and
// files too short to give one sample at 16 kHz, so the samples are never empty.
// NaN/Inf samples in float files (and those beyond kMaxFloatSample) are replaced by 0 and counted
// in nonFiniteSamples, so every sample returned is finite.
Result<DecodedAudio> loadAudio(const std::string& path);

// The models' 64,000-sample view of a signal: the first 64,000 samples, zero-padded if shorter.
std::vector<float> modelView(const std::vector<float>& samples);

struct Level {
    double peakDb = -200.0;  // dBFS of the largest absolute sample
    double rmsDb = -200.0;   // dBFS of the RMS over the whole signal
};
Level measureLevel(const std::vector<float>& samples);

// Writes 16-bit PCM mono WAV (NSynth's format) atomically. Samples are clipped to [-1, 1].
Status writeWav16(const std::string& path, const std::vector<float>& samples, int sampleRate);

} // namespace ts::audio
