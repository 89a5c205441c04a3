#include "dsp/FftwPlannerLock.h"

#include <fftw3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "util/AppPaths.h"
#include "util/AtomicFile.h"
#include "util/StaleTemporaries.h"

namespace ts::dsp {

namespace {

// Which FFTW and which layout of ours the wisdom belongs to: another FFTW version ignores it anyway,
// but a file per version keeps two installed versions from overwriting each other's.
std::string wisdomPath()
{
    return appCacheFolder() + "/fftw-wisdom-" + fftwf_version + ".txt";
}

std::string currentWisdom()
{
    std::unique_ptr<char, decltype(&fftwf_free)> text(fftwf_export_wisdom_to_string(), &fftwf_free);
    return text ? std::string(text.get()) : std::string();
}

std::string& knownWisdom()
{
    static std::string wisdom;
    return wisdom;
}

} // namespace

std::mutex& fftwPlannerMutex()
{
    static std::mutex mutex;
    return mutex;
}

void importFftwWisdomOnce()
{
    static bool imported = false;
    if (imported)
        return;
    imported = true;
    // A process killed while saving wisdom leaves its temporary: the file is rarely written again,
    // so its folder is cleaned here.
    removeStaleTemporaries(appCacheFolder());
    auto text = readWholeFile(wisdomPath(), 1 << 20);
    // A damaged or foreign file is ignored (FFTW then measures afresh and the file is rewritten).
    if (text && fftwf_import_wisdom_from_string(text->c_str()) != 0)
        knownWisdom() = currentWisdom();
}

void saveFftwWisdomIfNew()
{
    const std::string wisdom = currentWisdom();
    if (wisdom.empty() || wisdom == knownWisdom())
        return;
    std::error_code ec;
    std::filesystem::create_directories(appCacheFolder(), ec);
    // Best effort: without the file the features are still right, only not byte-identical across runs.
    if (writeFileAtomically(wisdomPath(), wisdom))
        knownWisdom() = wisdom;
}

} // namespace ts::dsp
