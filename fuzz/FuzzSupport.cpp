#include "FuzzSupport.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "audio/AudioFile.h"

namespace ts::fuzz {

namespace fs = std::filesystem;

void require(bool condition, const char* what)
{
    if (condition)
        return;
    std::fprintf(stderr, "fuzz harness check failed: %s\n", what);
    std::abort();
}

namespace {

[[noreturn]] void setupFailed(const std::string& what)
{
    std::fprintf(stderr, "fuzz harness setup failed: %s (%s)\n", what.c_str(), std::strerror(errno));
    std::abort();
}

void writeAll(int fd, const char* data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            setupFailed("write");
        data += n;
        size -= std::size_t(n);
    }
}

} // namespace

MemoryFile::MemoryFile()
{
    m_fd = ::memfd_create("timbrescope-fuzz", MFD_CLOEXEC);
    if (m_fd < 0)
        setupFailed("memfd_create");
    m_path = "/proc/self/fd/" + std::to_string(m_fd);
}

MemoryFile::~MemoryFile()
{
    ::close(m_fd);
}

void MemoryFile::assign(const std::uint8_t* data, std::size_t size)
{
    if (::ftruncate(m_fd, 0) != 0 || ::lseek(m_fd, 0, SEEK_SET) != 0)
        setupFailed("truncating the memory file");
    writeAll(m_fd, reinterpret_cast<const char*>(data), size);
}

namespace {

// $TMPDIR, else /dev/shm where it is writable: the harnesses rewrite a file per input, thousands a
// second, and a disk file system flushes a file rewritten after truncation (ext4's auto_da_alloc).
std::string temporaryRoot()
{
    const char* tmp = std::getenv("TMPDIR");
    if (tmp && *tmp)
        return tmp;
    if (::access("/dev/shm", W_OK) == 0)
        return "/dev/shm";
    return "/tmp";
}

} // namespace

ScratchFolder::ScratchFolder()
{
    std::string pattern = temporaryRoot() + "/timbrescope-fuzz-XXXXXX";
    if (!::mkdtemp(pattern.data()))
        setupFailed("mkdtemp " + pattern);
    m_path = pattern;
}

ScratchFolder::~ScratchFolder()
{
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

void writeFile(const std::string& path, const void* data, std::size_t size)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        setupFailed("open " + path);
    writeAll(fd, static_cast<const char*>(data), size);
    ::close(fd);
}

void writeFile(const std::string& path, const std::string& bytes)
{
    writeFile(path, bytes.data(), bytes.size());
}

void writeTwoNoteDataset(const std::string& folder)
{
    const char* const examples = R"({
 "keyboard_acoustic_000-060-100": {"note": 0, "note_str": "keyboard_acoustic_000-060-100", "instrument": 0,
  "instrument_str": "keyboard_acoustic_000", "pitch": 60, "velocity": 100, "sample_rate": 16000,
  "qualities": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "qualities_str": [], "instrument_family": 4,
  "instrument_family_str": "keyboard", "instrument_source": 0, "instrument_source_str": "acoustic"},
 "flute_synthetic_001-072-050": {"note": 1, "note_str": "flute_synthetic_001-072-050", "instrument": 1,
  "instrument_str": "flute_synthetic_001", "pitch": 72, "velocity": 50, "sample_rate": 16000,
  "qualities": [0, 1, 0, 0, 0, 0, 0, 0, 0, 0], "qualities_str": ["dark"], "instrument_family": 2,
  "instrument_family_str": "flute", "instrument_source": 2, "instrument_source_str": "synthetic"}
}
)";
    fs::create_directories(folder + "/audio");
    writeFile(folder + "/examples.json", std::string(examples));
    const double pi = 3.14159265358979323846;
    const struct { const char* name; double hz; } notes[] = {
        {"keyboard_acoustic_000-060-100", 261.63}, {"flute_synthetic_001-072-050", 523.25}};
    for (const auto& note : notes) {
        std::vector<float> tone(1600);
        for (std::size_t i = 0; i < tone.size(); ++i)
            tone[i] = float(0.5 * std::sin(2.0 * pi * note.hz * double(i) / 16000.0));
        const std::string wav = folder + "/audio/" + note.name + ".wav";
        if (!audio::writeWav16(wav, tone, 16000))
            setupFailed("writing " + wav);
        const timespec times[2] = {{1700000000, 0}, {1700000000, 0}};
        if (::utimensat(AT_FDCWD, wav.c_str(), times, 0) != 0)
            setupFailed("utimensat " + wav);
    }
}

dataset::FeatureSettings smallFeatureSettings()
{
    dataset::FeatureSettings settings;
    settings.kind = dataset::FeatureKind::LogMel;
    settings.logMel.hop = 16000;  // 1 + 64,000 / 16,000 = 5 frames
    settings.logMel.bands = 4;
    return settings;
}

} // namespace ts::fuzz
