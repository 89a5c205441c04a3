#include "audio/MonoAt16k.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>

#include "audio/AudioFile.h"

namespace ts::audio {

MonoAt16k::~MonoAt16k()
{
    if (m_soxr)
        soxr_delete(m_soxr);
}

Status MonoAt16k::start(std::int64_t claimedFrames, const std::string& path)
{
    // Room for what the header claims, up to a minute: a longer or lying header costs a few
    // reallocations, never its claim.
    const double claimedOut = double(std::max<std::int64_t>(claimedFrames, 0)) * kModelSampleRate / m_inRate;
    m_out.reserve(std::size_t(std::min(claimedOut, 60.0 * kModelSampleRate)) + 16);
    if (m_inRate == kModelSampleRate)
        return {};
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    soxr_error_t err = nullptr;
    m_soxr = soxr_create(double(m_inRate), double(kModelSampleRate), 1, &err, &io, &quality, nullptr);
    if (!m_soxr || err)
        return makeError(ErrorCode::Internal, std::string("resampling to 16 kHz failed (libsoxr: ") +
                                                  (err ? err : "cannot be set up") + ")", path);
    return {};
}

Status MonoAt16k::push(const float* in, std::size_t n, const std::string& path)
{
    m_in += n;
    if (!m_soxr) {
        m_out.insert(m_out.end(), in, in + n);
        return {};
    }
    while (n > 0) {
        std::size_t used = 0;
        if (auto s = process(in, n, &used, path); !s)
            return s;
        in += used;
        n -= used;
    }
    return {};
}

std::vector<float> MonoAt16k::takeSamples()
{
    std::vector<float> taken;
    taken.swap(m_out);
    m_taken += taken.size();
    return taken;
}

Result<std::vector<float>> MonoAt16k::finish(const std::string& path)
{
    if (m_soxr) {
        for (;;) {  // the resampler's tail: what it holds back for its look-ahead
            const std::size_t before = m_out.size();
            if (auto s = process(nullptr, 0, nullptr, path); !s)
                return s.error();
            if (m_out.size() == before)
                break;
        }
        const auto length = std::size_t(std::llround(double(m_in) * kModelSampleRate / m_inRate));
        // A file shorter than half a 16 kHz sample (1 frame at 48 kHz) would load as an empty signal.
        if (length == 0)
            return makeError(ErrorCode::BadFormat, "too short: " + std::to_string(m_in) + " frame(s) at " +
                             std::to_string(m_inRate) + " Hz is less than one sample at 16 kHz", path);
        m_out.resize(length - std::min(length, m_taken));  // zero-filled if libsoxr gave a sample less
    }
    return std::move(m_out);
}

Status MonoAt16k::process(const float* in, std::size_t n, std::size_t* used, const std::string& path)
{
    std::size_t done = 0;
    const std::size_t room = std::size_t(double(n) * kModelSampleRate / m_inRate) + 1024;
    const std::size_t at = m_out.size();
    m_out.resize(at + room);
    const soxr_error_t err = soxr_process(m_soxr, in, n, used, m_out.data() + at, room, &done);
    m_out.resize(at + done);
    if (err)
        return makeError(ErrorCode::Internal, std::string("resampling to 16 kHz failed (libsoxr: ") + err + ")", path);
    return {};
}

} // namespace ts::audio
