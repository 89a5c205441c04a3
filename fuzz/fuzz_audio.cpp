// Fuzz target `audio`: any bytes as a sound file, through probeAudio and loadAudio as a dropped file
// goes (libsndfile's decoders, the channel mix-down, libsoxr to 16 kHz), then the model view and the
// level meter. The bytes are a memfd's, opened by path (/proc/self/fd/N): the loader, its checks of
// the file (regular, not empty, under 1 GiB) included, runs unchanged and nothing is written to disk.
#include <cmath>
#include <cstdint>

#include "FuzzSupport.h"
#include "audio/AudioFile.h"

using ts::fuzz::require;

namespace {

// Under ASan, libsoxr's growing buffers (realloc without the allocator's in-place growth) make
// upsampling a long file quadratic: a 2.3 KB AIFF claiming 500 frames at 1 Hz (500 s, 8 M samples
// at 16 kHz) takes over 10 s there and 0.3 s in the release build. Files that would be upsampled
// to more than this are probed only.
constexpr double kMaxUpsampledSeconds = 60.0;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static ts::fuzz::MemoryFile file;
    file.assign(data, size);
    const auto probed = ts::audio::probeAudio(file.path());
    if (probed && probed->sampleRate < ts::audio::kModelSampleRate && probed->durationSeconds() > kMaxUpsampledSeconds)
        return 0;
    const auto loaded = ts::audio::loadAudio(file.path());
    if (!loaded)
        return 0;
    require(probed.ok(), "loadAudio decoded a file probeAudio refused");
    const ts::audio::SourceFormat& f = loaded->source;
    require(f.sampleRate == probed->sampleRate && f.channels == probed->channels && f.frames == probed->frames,
            "loadAudio and probeAudio disagree on the format");
    // Decoding may stop short of the frames the header claims, never go past them.
    const double claimed = std::round(double(f.frames) * ts::audio::kModelSampleRate / f.sampleRate);
    require(!loaded->samples.empty() && double(loaded->samples.size()) <= claimed,
            "more samples at 16 kHz than the header's frames give");
    // What the loader promises its callers: NaN and infinity never reach the features.
    for (float s : loaded->samples)
        require(std::isfinite(s), "a decoded sample is not finite");
    require(ts::audio::modelView(loaded->samples).size() == ts::audio::kModelFrames, "model view size");
    const auto level = ts::audio::measureLevel(loaded->samples);
    require(std::isfinite(level.peakDb) && std::isfinite(level.rmsDb), "level is not finite");
    return 0;
}
