#include "audio/AudioFile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "audio/MonoAt16k.h"
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

// libsndfile reports why sf_open failed through a process-wide error slot, so opening is
// serialised to keep the message of one thread's failure from being another thread's.
std::mutex& openMutex()
{
    static std::mutex m;
    return m;
}

std::string withoutTrailingDot(std::string s)
{
    while (!s.empty() && (s.back() == '.' || s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

std::string libsndfileName(int format)
{
    SF_FORMAT_INFO info{};
    info.format = format;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name)
        return info.name;
    return "unknown";
}

std::string containerName(int format)
{
    switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: return "WAV";
    case SF_FORMAT_WAVEX: return "WAV (extensible)";
    case SF_FORMAT_AIFF: return "AIFF";
    case SF_FORMAT_AU: return "AU";
    case SF_FORMAT_FLAC: return "FLAC";
    case SF_FORMAT_OGG: return "OGG";
    case SF_FORMAT_W64: return "W64";
    case SF_FORMAT_RF64: return "RF64";
    case SF_FORMAT_CAF: return "CAF";
    case SF_FORMAT_MPEG: return "MPEG";
    default: return libsndfileName(format & SF_FORMAT_TYPEMASK);
    }
}

std::string encodingName(int format)
{
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: return "PCM 8-bit";
    case SF_FORMAT_PCM_U8: return "PCM 8-bit unsigned";
    case SF_FORMAT_PCM_16: return "PCM 16-bit";
    case SF_FORMAT_PCM_24: return "PCM 24-bit";
    case SF_FORMAT_PCM_32: return "PCM 32-bit";
    case SF_FORMAT_FLOAT: return "float 32-bit";
    case SF_FORMAT_DOUBLE: return "float 64-bit";
    case SF_FORMAT_ULAW: return "u-law";
    case SF_FORMAT_ALAW: return "A-law";
    case SF_FORMAT_VORBIS: return "Vorbis";
    case SF_FORMAT_OPUS: return "Opus";
    case SF_FORMAT_MPEG_LAYER_III: return "MPEG layer III";
    default: return libsndfileName(format & SF_FORMAT_SUBMASK);
    }
}

bool isFloatEncoding(int format)
{
    const int sub = format & SF_FORMAT_SUBMASK;
    return sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
}

// NaN, Inf, or a magnitude no recording has: what a damaged float sample holds.
bool isDamagedFloatSample(float s)
{
    return !(std::fabs(s) <= kMaxFloatSample);
}

struct SndFileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndFilePtr = std::unique_ptr<SNDFILE, SndFileCloser>;

// Whether a file holds MPEG audio, from its first bytes: an ID3 tag, an MPEG frame sync, or a
// RIFF/WAVE whose fmt chunk gives format 0x50 or 0x55 (MPEG, MPEG layer 3).
bool looksLikeMpeg(const std::string& path)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        return false;
    unsigned char head[512] = {};
    const std::size_t n = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    if (n >= 3 && std::memcmp(head, "ID3", 3) == 0)
        return true;
    if (n >= 2 && head[0] == 0xff && (head[1] & 0xe0) == 0xe0)
        return true;
    if (n < 12 || std::memcmp(head, "RIFF", 4) != 0 || std::memcmp(head + 8, "WAVE", 4) != 0)
        return false;
    for (std::size_t at = 12; at + 10 <= n;) {
        const std::uint32_t size = std::uint32_t(head[at + 4]) | std::uint32_t(head[at + 5]) << 8 |
                                   std::uint32_t(head[at + 6]) << 16 | std::uint32_t(head[at + 7]) << 24;
        if (std::memcmp(head + at, "fmt ", 4) == 0) {
            const unsigned tag = unsigned(head[at + 8]) | unsigned(head[at + 9]) << 8;
            return tag == 0x50 || tag == 0x55;
        }
        at += 8 + std::size_t(size) + (size & 1);
    }
    return false;
}

// libmpg123, which libsndfile decodes MPEG audio with, prints its own warnings on stderr
// ("Note: Trying to resync...", "[src/libmpg123/parse.c:...] warning: ...") next to the one line
// Timbrescope gives per problem. While an MPEG file is open, stderr goes to a temporary file;
// afterwards whatever else was written meanwhile is passed on and libmpg123's lines are dropped.
// MPEG files are decoded one at a time for it (they are rare; every other format runs in parallel).
class QuietMpg123 {
public:
    QuietMpg123() : m_lock(mutex())
    {
        m_capture = std::tmpfile();
        m_saved = m_capture ? ::dup(STDERR_FILENO) : -1;
        if (m_saved < 0)
            return;  // cannot capture: the warnings show, nothing else changes
        std::fflush(stderr);
        ::dup2(::fileno(m_capture), STDERR_FILENO);
    }
    ~QuietMpg123()
    {
        if (m_saved >= 0) {
            std::fflush(stderr);
            ::dup2(m_saved, STDERR_FILENO);
            ::close(m_saved);
            passOnOthers();
        }
        if (m_capture)
            std::fclose(m_capture);
    }
    QuietMpg123(const QuietMpg123&) = delete;
    QuietMpg123& operator=(const QuietMpg123&) = delete;

    static bool fromMpg123(const std::string& line)
    {
        for (const char* prefix : {"[src/libmpg123/", "Note: ", "Warning: "})
            if (line.rfind(prefix, 0) == 0)
                return true;
        return false;
    }

private:
    static std::mutex& mutex()
    {
        static std::mutex m;
        return m;
    }
    void passOnOthers()
    {
        std::rewind(m_capture);
        char buffer[4096];
        std::string line;
        while (std::fgets(buffer, sizeof buffer, m_capture)) {
            line += buffer;
            if (line.back() != '\n' && !std::feof(m_capture))
                continue;
            if (!fromMpg123(line))
                std::fputs(line.c_str(), stderr);
            line.clear();
        }
    }

    std::unique_lock<std::mutex> m_lock;
    std::FILE* m_capture = nullptr;
    int m_saved = -1;
};

struct OpenedFile {
    std::unique_ptr<QuietMpg123> quiet;  // first: released after the file is closed
    SndFilePtr file;
    SourceFormat format;
    int rawFormat = 0;
};

std::string minutesAndSeconds(double seconds)
{
    const long total = long(std::floor(seconds));
    return std::to_string(total / 60) + " min " + std::to_string(total % 60) + " s";
}

// Checks what can be checked without decoding (existence, size, header) and leaves the file open,
// so that loadAudio does not parse the header twice.
Result<OpenedFile> openSoundFile(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return makeError(ErrorCode::NotFound, "no such file", path);
    if (S_ISDIR(st.st_mode))
        return makeError(ErrorCode::BadFormat, "is a folder, not a sound file", path);
    // A FIFO or a device would block libsndfile's open, or read without end (/dev/zero).
    if (!S_ISREG(st.st_mode))
        return makeError(ErrorCode::Unsupported, "not a regular file", path);
    const std::uint64_t bytes = std::uint64_t(st.st_size);
    if (bytes == 0)
        return makeError(ErrorCode::BadFormat, "empty file (0 bytes), not a sound file", path);
    if (bytes > kMaxFileBytes)
        return makeError(ErrorCode::Unsupported,
                         "file too large (" + std::to_string(bytes >> 20) + " MiB; the limit is 1 GiB)", path);

    SF_INFO info{};
    OpenedFile opened;
    if (looksLikeMpeg(path))
        opened.quiet = std::make_unique<QuietMpg123>();
    {
        std::lock_guard<std::mutex> lock(openMutex());
        opened.file.reset(sf_open(path.c_str(), SFM_READ, &info));
        if (!opened.file) {
            const std::string why = withoutTrailingDot(sf_strerror(nullptr));
            // libsndfile says "File does not exist or is not a regular file (possibly a pipe?)" also
            // when a regular file's encoded data (an MPEG-in-WAV, say) cannot be decoded; existence
            // and regularity were checked above, so say what is true.
            if (why.find("possibly a pipe") != std::string::npos)
                return makeError(ErrorCode::BadFormat, "not a sound file (its audio data cannot be decoded)", path);
            return makeError(ErrorCode::BadFormat, "not a sound file (libsndfile: " + why + ")", path);
        }
    }
    opened.rawFormat = info.format;
    SourceFormat& f = opened.format;
    f.container = containerName(info.format);
    f.encoding = encodingName(info.format);
    f.sampleRate = info.samplerate;
    f.channels = info.channels;
    f.frames = info.frames;
    f.fileBytes = bytes;
    if (f.sampleRate <= 0 || f.channels <= 0)
        return makeError(ErrorCode::BadFormat, "header gives no sample rate or no channels", path);
    if (f.frames <= 0)
        return makeError(ErrorCode::BadFormat, "no audio in the file (0 frames)", path);
    return opened;
}

constexpr sf_count_t kBlockFrames = 65536;  // a whole 4 s note at 16 kHz in one read

// Reads every frame as float in blocks, averaging the channels, into `out`; NaN/Inf and values
// beyond kMaxFloatSample (possible only in float files) become 0 before averaging so that one bad channel does not poison the mix.
// Stops with an error once more than kMaxDurationSeconds have been decoded, whatever the header said.
Status readMono(OpenedFile& opened, const std::string& path, std::size_t& nonFinite, MonoAt16k& out)
{
    const int channels = opened.format.channels;
    const bool mayHoldNonFinite = isFloatEncoding(opened.rawFormat);
    const bool pcm16Mono = channels == 1 && (opened.rawFormat & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
    const auto maxFrames = std::uint64_t(kMaxDurationSeconds * opened.format.sampleRate);
    // Per-thread buffers: decoding many notes reuses them.
    thread_local std::vector<short> pcm;
    thread_local std::vector<float> frames;
    thread_local std::vector<float> mono;
    pcm.resize(std::size_t(kBlockFrames));
    frames.resize(std::size_t(kBlockFrames) * std::size_t(channels));
    mono.resize(std::size_t(kBlockFrames));
    for (;;) {
        sf_count_t got = 0;
        if (pcm16Mono) {
            // NSynth notes: 16-bit samples read as they are and scaled by 1/32768 (libsndfile's own
            // float normalisation) in a loop the compiler vectorises; libsndfile's per-sample
            // conversion to float was a quarter of the decoding time.
            got = sf_read_short(opened.file.get(), pcm.data(), kBlockFrames);
            constexpr float kScale = 1.0f / 32768.0f;
            for (sf_count_t i = 0; i < got; ++i)
                mono[std::size_t(i)] = float(pcm[std::size_t(i)]) * kScale;
        } else {
            got = sf_readf_float(opened.file.get(), frames.data(), kBlockFrames);
            const float scale = 1.0f / float(channels);
            for (sf_count_t i = 0; i < got; ++i) {
                const float* frame = frames.data() + std::size_t(i) * std::size_t(channels);
                float sum = 0.0f;
                for (int c = 0; c < channels; ++c) {
                    float s = frame[c];
                    if (mayHoldNonFinite && isDamagedFloatSample(s)) {
                        s = 0.0f;
                        ++nonFinite;
                    }
                    sum += s;
                }
                mono[std::size_t(i)] = channels == 1 ? sum : sum * scale;
            }
        }
        if (got <= 0)
            break;
        if (auto s = out.push(mono.data(), std::size_t(got), path); !s)
            return s;
        if (out.inputFrames() > maxFrames)
            return makeError(ErrorCode::Unsupported, "too long (more than 10 minutes of audio)", path);
    }
    if (out.inputFrames() == 0)
        return makeError(ErrorCode::BadFormat, "no audio could be decoded (libsndfile: " +
                         withoutTrailingDot(sf_strerror(opened.file.get())) + ")", path);
    return {};
}

} // namespace

Result<SourceFormat> probeAudio(const std::string& path)
{
    Result<OpenedFile> opened = openSoundFile(path);
    if (!opened)
        return opened.error();
    return opened->format;
}

Result<DecodedAudio> loadAudio(const std::string& path)
{
    Result<OpenedFile> opened = openSoundFile(path);
    if (!opened)
        return opened.error();
    const SourceFormat& f = opened->format;
    if (f.durationSeconds() > kMaxDurationSeconds)
        return makeError(ErrorCode::Unsupported,
                         "too long (" + minutesAndSeconds(f.durationSeconds()) + "; the limit is 10 minutes)", path);

    if (f.sampleRate > kMaxSampleRate)
        return makeError(ErrorCode::Unsupported,
                         "sample rate " + std::to_string(f.sampleRate) + " Hz is beyond what is accepted (768 kHz)", path);

    DecodedAudio decoded;
    decoded.source = f;
    try {
        MonoAt16k mono(f.sampleRate);
        if (auto s = mono.start(f.frames, path); !s)
            return s.error();
        if (auto s = readMono(*opened, path, decoded.nonFiniteSamples, mono); !s)
            return s.error();
        decoded.decodedFrames = std::int64_t(mono.inputFrames());
        Result<std::vector<float>> samples = mono.finish(path);
        if (!samples)
            return samples.error();
        decoded.samples = std::move(samples).value();
    } catch (const std::bad_alloc&) {
        // Within the limits a file needs at most a few GiB; a machine short of that gets an error,
        // not a crash.
        return makeError(ErrorCode::Unsupported, "not enough memory to decode this file", path);
    }
    return decoded;
}

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
