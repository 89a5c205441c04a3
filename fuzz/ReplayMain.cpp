// fuzz_regressions: runs every harness of fuzz/ over every file of its seed corpus (corpus/NAME/)
// and of the inputs that once failed (regressions/NAME/), without libFuzzer, so that each such
// input stays a test of the ordinary and the sanitizer builds. A harness that fails aborts the
// program; the line printed before it names the input.
// Usage: fuzz_regressions FUZZ_DIR [NAME...]   (FUZZ_DIR: the source tree's fuzz/ folder)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// Each harness is compiled with LLVMFuzzerTestOneInput defined to fuzz_target_NAME.
#define TIMBRESCOPE_FUZZ_TARGET(name) extern "C" int fuzz_target_##name(const std::uint8_t* data, std::size_t size);
#include "FuzzTargets.inc"
#undef TIMBRESCOPE_FUZZ_TARGET

namespace {

namespace fs = std::filesystem;

struct Target {
    const char* name;
    int (*run)(const std::uint8_t* data, std::size_t size);
};

const Target kTargets[] = {
#define TIMBRESCOPE_FUZZ_TARGET(name) {#name, &fuzz_target_##name},
#include "FuzzTargets.inc"
#undef TIMBRESCOPE_FUZZ_TARGET
};

// The files of a folder, sorted so the order (and the log) is the same on every run; none if it is absent.
std::vector<fs::path> filesIn(const fs::path& folder)
{
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file())
            files.push_back(it->path());
    std::sort(files.begin(), files.end());
    return files;
}

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs one target over its corpus and regressions; false when it has no seeds (the test would
// then check nothing).
bool replay(const Target& target, const fs::path& fuzzDir)
{
    const std::vector<fs::path> seeds = filesIn(fuzzDir / "corpus" / target.name);
    const std::vector<fs::path> regressions = filesIn(fuzzDir / "regressions" / target.name);
    if (seeds.empty()) {
        std::printf("%s: no seed inputs in %s\n", target.name, (fuzzDir / "corpus" / target.name).c_str());
        return false;
    }
    for (const auto* list : {&seeds, &regressions}) {
        for (const fs::path& file : *list) {
            std::printf("%s: %s\n", target.name, fs::relative(file, fuzzDir).c_str());
            std::fflush(stdout);
            const std::string bytes = readFile(file);
            target.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        }
    }
    std::printf("%s: %zu seeds and %zu regressions passed\n", target.name, seeds.size(), regressions.size());
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FUZZ_DIR [NAME...]\n", argv[0]);
        return 2;
    }
    const fs::path fuzzDir = argv[1];
    const std::vector<std::string> only(argv + 2, argv + argc);
    bool ok = true;
    int ran = 0;
    for (const Target& target : kTargets) {
        if (!only.empty() && std::find(only.begin(), only.end(), target.name) == only.end())
            continue;
        ok = replay(target, fuzzDir) && ok;
        ++ran;
    }
    if (ran == 0 || ran < int(only.size())) {
        std::fprintf(stderr, "fuzz_regressions: unknown target name\n");
        return 2;
    }
    return ok ? 0 : 1;
}
