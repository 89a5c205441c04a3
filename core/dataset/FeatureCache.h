#pragma once
// Features of every usable note of a dataset, computed once and kept on disk, keyed by a
// fingerprint of the dataset's files and the feature settings. A second run (or epoch 2) never
// decodes audio again. The cache is written a chunk of rows at a time into a partial file that a
// killed or cancelled run resumes, and published by rename once complete; a stale or damaged cache
// is recomputed. Training reads it a row at a time, so memory does not grow with the dataset.
// Log-mels are stored as float16, the seed's STFT and raw audio as float32.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dataset/Dataset.h"
#include "dataset/FeatureMatrix.h"
#include "dsp/LogMel.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::dataset {

enum class FeatureKind {
    SeedStft,  // 499 × 129 linear magnitude (seed-cnn2d, seed-logreg-spec)
    LogMel,    // frames × bands dB (timbre-net)
    RawAudio,  // the 64,000-sample model view (seed-cnn1d, seed-logreg-raw)
};

std::string featureKindName(FeatureKind kind);             // "stft", "logmel", "raw" (the CLI's --kind)
std::optional<FeatureKind> parseFeatureKind(const std::string& name);

struct FeatureSettings {
    FeatureKind kind = FeatureKind::LogMel;
    dsp::LogMelSettings logMel;  // used when kind == LogMel
    // 0: each note as it is. k > 0: the note's k-th simulated recording (dsp::RecordingSimulator,
    // drawn from the note's name and k), cached like any other setting: training reads these
    // copies to hear rooms, microphones and noise the renders never have.
    int recording = 0;

    std::vector<int> shape() const;  // per-note shape: {499,129}, {frames,bands} or {64000}
    std::size_t size() const;        // product of shape()
    std::string key() const;         // stable string for fingerprints
};

// Features of one decoded signal (the 64,000-sample model view), the same code the cache and the
// predictor use, so training and prediction can never disagree.
std::vector<float> computeFeatures(const FeatureSettings& settings, const std::vector<float>& modelView);
// The same, written to `out`, which holds featureCount(settings, count) floats.
void computeFeaturesInto(const FeatureSettings& settings, const float* samples, std::size_t count, float* out);
std::size_t featureCount(const FeatureSettings& settings, std::size_t samples);

class FeatureCache {
public:
    // cacheFolder empty: $XDG_CACHE_HOME/timbrescope/features (or ~/.cache/timbrescope/features).
    explicit FeatureCache(std::string cacheFolder = {});

    const std::string& folder() const { return m_folder; }

    // The cached features of every usable note, or decodes and computes them (in parallel,
    // `threads` 0 = hardware concurrency) and stores them; what an earlier killed or cancelled run
    // finished is not computed again. A note that fails to decode is an error naming its file.
    // Cancellable; progress per note. Waits while another process computes the same cache. When
    // the cache cannot be written (read-only or full disk) the features are held in memory, or,
    // beyond 2 GiB, computed from the WAVs whenever they are read; a warning progress says so.
    Result<FeatureMatrix> load(const Dataset& dataset, const FeatureSettings& settings,
                               const ProgressSink& progress = {}, const CancellationToken& cancel = {},
                               int threads = 0) const;

    // Only the cached features: NotFound when there is no cache file, BadFormat when it is
    // damaged, stale (another fingerprint) or made with other settings. Never decodes audio.
    Result<FeatureMatrix> readCached(const Dataset& dataset, const FeatureSettings& settings) const;

    // The file a dataset + settings are cached in (exists or not). Named after the dataset's
    // folder and the settings, not the fingerprint, so a changed dataset replaces its old cache
    // instead of leaving gigabytes of stale ones; the fingerprint is checked from the header.
    std::string cachePath(const Dataset& dataset, const FeatureSettings& settings) const;
    // Size of that file when complete, in bytes (for the docs' disk figures and a check of free space).
    static std::uint64_t cacheBytes(const Dataset& dataset, const FeatureSettings& settings);

private:
    std::string m_folder;
};

} // namespace ts::dataset
