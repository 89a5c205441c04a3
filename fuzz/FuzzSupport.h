#pragma once
// What the harnesses share: the libFuzzer entry point every fuzz_NAME.cpp defines, a file in memory
// with a path (for the readers that take a path), a scratch folder, and the fixtures that a harness
// and the seed generator must agree on.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dataset/Dataset.h"
#include "dataset/FeatureCache.h"

// The harness of a target. In the fuzzing build libFuzzer calls it; in the regression test
// (ReplayMain.cpp) each harness is compiled with this name defined to fuzz_target_NAME, so one
// program holds them all.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace ts::fuzz {

// Aborts with a message when a harness's check fails: libFuzzer reports the abort as a crash and
// keeps the input.
void require(bool condition, const char* what);

// A file that lives in memory (memfd_create): path() is /proc/self/fd/N, which open(), stat() and
// every library that takes a path see as a regular file, so the path-taking readers run exactly
// as they do on a user's file, without a write to disk per input.
class MemoryFile {
public:
    MemoryFile();
    ~MemoryFile();
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    void assign(const std::uint8_t* data, std::size_t size);  // replaces the whole content
    const std::string& path() const { return m_path; }

private:
    int m_fd = -1;
    std::string m_path;
};

// A new folder in $TMPDIR (else /dev/shm, else /tmp), removed with its content when destroyed.
class ScratchFolder {
public:
    ScratchFolder();
    ~ScratchFolder();
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;

    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

// Writes (replaces) a file with plain write(2): no fsync, the harnesses write one per input.
void writeFile(const std::string& path, const void* data, std::size_t size);
void writeFile(const std::string& path, const std::string& bytes);

// A two-note NSynth folder (examples.json, audio/ with both 16 kHz WAVs) whose WAVs carry a fixed
// modification time, so its Dataset::fingerprint() is the same on every machine and run: the
// feature cache seeds are made for it and stay valid.
void writeTwoNoteDataset(const std::string& folder);
// Feature settings with small rows (5 frames × 4 bands), so a whole cache file is a few hundred bytes.
dataset::FeatureSettings smallFeatureSettings();

// The recipe the render_manifest seeds were written with and its harness asks isComplete about.
inline const std::string kSeedRecipe = "timbrescope fuzz seed recipe 1";
// The number of WAVs in the render_manifest harness's audio/ folder (the seeds' note_count).
constexpr int kSeedRenderNotes = 4;

} // namespace ts::fuzz
