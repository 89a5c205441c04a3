// FeatureSettings, computeFeatures: the one definition of what a model sees for a signal, shared
// by the cache (training) and the predictor.
#include <cstring>
#include <map>
#include <mutex>

#include "audio/AudioFile.h"
#include "dataset/FeatureCache.h"
#include "dsp/SeedStft.h"
#include "util/Fnv1a.h"

namespace ts::dataset {

namespace {

// FFTW plans are expensive to make (and made under a global lock), so each transform is built
// once per process and shared; their compute functions are thread-safe.
const dsp::SeedStft& sharedSeedStft()
{
    static const dsp::SeedStft stft;
    return stft;
}

const dsp::LogMel& sharedLogMel(const dsp::LogMelSettings& settings)
{
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<dsp::LogMel>> transforms;
    const std::lock_guard<std::mutex> lock(mutex);
    auto& slot = transforms[settings.key()];
    if (!slot)
        slot = std::make_unique<dsp::LogMel>(settings);
    return *slot;
}

} // namespace

std::string featureKindName(FeatureKind kind)
{
    switch (kind) {
    case FeatureKind::SeedStft: return "stft";
    case FeatureKind::LogMel: return "logmel";
    case FeatureKind::RawAudio: return "raw";
    }
    return "logmel";
}

std::optional<FeatureKind> parseFeatureKind(const std::string& name)
{
    for (FeatureKind k : {FeatureKind::SeedStft, FeatureKind::LogMel, FeatureKind::RawAudio})
        if (featureKindName(k) == name)
            return k;
    return std::nullopt;
}

std::vector<int> FeatureSettings::shape() const
{
    switch (kind) {
    case FeatureKind::SeedStft: return {dsp::SeedStft::frameCount(audio::kModelFrames), dsp::SeedStft::kBins};
    case FeatureKind::LogMel: return {logMel.frameCount(audio::kModelFrames), logMel.bands};
    case FeatureKind::RawAudio: return {int(audio::kModelFrames)};
    }
    return {};
}

std::size_t FeatureSettings::size() const
{
    std::size_t n = 1;
    for (int d : shape())
        n *= std::size_t(d);
    return n;
}

std::string FeatureSettings::key() const
{
    // Versioned so that a change in how a kind is computed can invalidate old caches.
    const std::string variant = recording > 0 ? " recording-sim-v1=" + std::to_string(recording) : std::string();
    switch (kind) {
    case FeatureKind::SeedStft: return "stft-seed-v1 frame=255 hop=128 fft=256 symmetric-hann magnitude" + variant;
    case FeatureKind::LogMel: return logMel.key() + variant;
    case FeatureKind::RawAudio: return "raw-v1 sr=16000 frames=64000 crop-or-pad" + variant;
    }
    return {};
}

std::size_t featureCount(const FeatureSettings& settings, std::size_t samples)
{
    switch (settings.kind) {
    case FeatureKind::SeedStft: return std::size_t(dsp::SeedStft::frameCount(samples)) * dsp::SeedStft::kBins;
    case FeatureKind::LogMel: return std::size_t(settings.logMel.frameCount(samples)) * std::size_t(settings.logMel.bands);
    case FeatureKind::RawAudio: return samples;
    }
    return 0;
}

void computeFeaturesInto(const FeatureSettings& settings, const float* samples, std::size_t count, float* out)
{
    switch (settings.kind) {
    case FeatureKind::SeedStft: sharedSeedStft().computeInto(samples, count, out); return;
    case FeatureKind::LogMel: sharedLogMel(settings.logMel).computeInto(samples, count, out); return;
    case FeatureKind::RawAudio: std::memcpy(out, samples, count * sizeof(float)); return;
    }
}

std::vector<float> computeFeatures(const FeatureSettings& settings, const std::vector<float>& modelView)
{
    std::vector<float> out(featureCount(settings, modelView.size()));
    computeFeaturesInto(settings, modelView.data(), modelView.size(), out.data());
    return out;
}

} // namespace ts::dataset
