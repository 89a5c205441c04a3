#pragma once
// A mono signal brought to 16 kHz as it arrives block by block: copied as it is at 16 kHz, streamed
// through libsoxr's high-quality resampler from any other rate. Memory follows the audio really
// pushed, never a frame count a header claims (a 742-byte FLAC may claim ten minutes at 768 kHz).
// Used by the file decoder (the whole signal at the end) and by live input (takeSamples as it
// goes). Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/Result.h"

struct soxr;

namespace ts::audio {

class MonoAt16k {
public:
    explicit MonoAt16k(int inRate) : m_inRate(inRate) {}
    ~MonoAt16k();
    MonoAt16k(const MonoAt16k&) = delete;
    MonoAt16k& operator=(const MonoAt16k&) = delete;

    // Sets the resampler up; `claimedFrames` (what a header says, may lie) only sizes a first
    // allocation, up to a minute. Errors name `path`.
    Status start(std::int64_t claimedFrames, const std::string& path);
    std::uint64_t inputFrames() const { return m_in; }
    Status push(const float* in, std::size_t n, const std::string& path);
    // The 16 kHz samples produced since the last call (live input: the resampler holds back a few
    // milliseconds for its look-ahead until more arrives).
    std::vector<float> takeSamples();
    // The whole signal at 16 kHz, round(n * 16000 / rate) samples for n frames pushed, so the same
    // file always gives the same length (less what takeSamples took).
    Result<std::vector<float>> finish(const std::string& path);

private:
    Status process(const float* in, std::size_t n, std::size_t* used, const std::string& path);

    int m_inRate;
    soxr* m_soxr = nullptr;
    std::vector<float> m_out;
    std::uint64_t m_in = 0;
    std::size_t m_taken = 0;
};

} // namespace ts::audio
