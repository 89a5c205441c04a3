#include "audio/AudioFile.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "util/AtomicFile.h"

namespace ts::audio {

namespace {

void putLe16(std::string& out, std::uint16_t v)
{
    out.push_back(char(v & 0xff));
    out.push_back(char((v >> 8) & 0xff));
}

void putLe32(std::string& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(char((v >> (8 * i)) & 0xff));
}

double toDb(double linear)
{
    // -200 dB stands for digital silence so callers never see -inf.
    return linear > 0.0 ? std::max(-200.0, 20.0 * std::log10(linear)) : -200.0;
}

} // namespace

std::vector<float> modelView(const std::vector<float>& samples)
{
    std::vector<float> view(kModelFrames, 0.0f);
    std::copy_n(samples.begin(), std::min(samples.size(), kModelFrames), view.begin());
    return view;
}

Level measureLevel(const std::vector<float>& samples)
{
    Level level;
    if (samples.empty())
        return level;
    double peak = 0.0;
    double sumSquares = 0.0;
    for (float s : samples) {
        const double a = std::fabs(double(s));
        peak = std::max(peak, a);
        sumSquares += a * a;
    }
    level.peakDb = toDb(peak);
    level.rmsDb = toDb(std::sqrt(sumSquares / double(samples.size())));
    return level;
}

Status writeWav16(const std::string& path, const std::vector<float>& samples, int sampleRate)
{
    if (sampleRate <= 0)
        return makeError(ErrorCode::InvalidArgument, "sample rate must be positive", path);
    // The canonical 44-byte RIFF header NSynth's files carry (fmt chunk of 16 bytes, then data),
    // written by hand so the layout is exactly that and nothing (no PEAK/LIST chunk) is added.
    const std::uint64_t dataBytes = std::uint64_t(samples.size()) * 2;
    if (dataBytes + 36 > 0xffffffffull)
        return makeError(ErrorCode::Unsupported, "too many samples for a WAV file", path);
    std::string bytes;
    bytes.reserve(44 + std::size_t(dataBytes));
    bytes += "RIFF";
    putLe32(bytes, std::uint32_t(36 + dataBytes));
    bytes += "WAVEfmt ";
    putLe32(bytes, 16);                           // fmt chunk size
    putLe16(bytes, 1);                            // PCM
    putLe16(bytes, 1);                            // mono
    putLe32(bytes, std::uint32_t(sampleRate));
    putLe32(bytes, std::uint32_t(sampleRate) * 2); // byte rate
    putLe16(bytes, 2);                            // block align
    putLe16(bytes, 16);                           // bits per sample
    bytes += "data";
    putLe32(bytes, std::uint32_t(dataBytes));
    for (float s : samples) {
        // NaN would make lrint undefined; it is written as silence.
        const float clipped = std::isnan(s) ? 0.0f : std::clamp(s, -1.0f, 1.0f);
        const long v = std::clamp(std::lrint(double(clipped) * 32768.0), -32768L, 32767L);
        putLe16(bytes, std::uint16_t(std::int16_t(v)));
    }
    return writeFileAtomically(path, bytes);
}

} // namespace ts::audio
