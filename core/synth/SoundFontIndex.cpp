#include "synth/SoundFontIndex.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "util/AtomicFile.h"
#include "util/Fnv1a.h"

namespace ts::synth {

namespace {

// SoundFont 2.04 record sizes (bytes) of the pdta sub-chunks used here.
constexpr std::size_t kPhdrSize = 38;
constexpr std::size_t kBagSize = 4;
constexpr std::size_t kGenSize = 4;
constexpr std::size_t kInstSize = 22;
constexpr std::size_t kShdrSize = 46;
// Generator operators that link a zone to what it plays.
constexpr std::uint16_t kGenInstrument = 41;
constexpr std::uint16_t kGenSampleId = 53;
// The pdta chunk of a real SoundFont is well under a few MB; refuse absurd sizes before allocating.
constexpr std::uint32_t kMaxPdtaBytes = 64u << 20;

std::uint16_t u16(const char* p)
{
    return std::uint16_t(std::uint8_t(p[0]) | (std::uint8_t(p[1]) << 8));
}

std::uint32_t u32(const char* p)
{
    return std::uint32_t(std::uint8_t(p[0])) | (std::uint32_t(std::uint8_t(p[1])) << 8)
        | (std::uint32_t(std::uint8_t(p[2])) << 16) | (std::uint32_t(std::uint8_t(p[3])) << 24);
}

std::string fixedName(const char* p)
{
    std::size_t n = 0;
    while (n < 20 && p[n] != '\0')
        ++n;
    std::string name(p, n);
    while (!name.empty() && name.back() == ' ')
        name.pop_back();
    return name;
}

struct Records {
    const char* data = nullptr;
    std::size_t count = 0;
    const char* at(std::size_t i) const { return data + i * stride; }
    std::size_t stride = 0;
};

Error notSoundFont(const std::string& path, const std::string& why)
{
    return makeError(ErrorCode::BadFormat, "not a SoundFont (" + why + ")", path);
}

// The 16-bit index at `offset` of each record must never decrease (SoundFont 2.04, 7.2-7.7): record
// i's zones (or generators) are [index(i), index(i + 1)). Backwards indices make those ranges
// overlap, and the nested loops below would then visit every bag and generator once per preset:
// hours and gigabytes for a 4 KB file.
bool indicesIncrease(const Records& records, std::size_t offset)
{
    for (std::size_t i = 1; i < records.count; ++i)
        if (u16(records.at(i) + offset) < u16(records.at(i - 1) + offset))
            return false;
    return true;
}

} // namespace

Result<SoundFontIndex> SoundFontIndex::read(const std::string& path, bool hashSampleData)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return makeError(ErrorCode::NotFound, "no such SoundFont file", path);
    if (std::filesystem::is_directory(path, ec))
        return makeError(ErrorCode::BadFormat, "is a folder, expected a SoundFont file (.sf2)", path);
    if (auto s = checkRegularFile(path); !s)
        return s.error();
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Unreadable, "cannot open the SoundFont for reading", path);
    SoundFontIndex index;
    index.m_fileBytes = std::filesystem::file_size(path, ec);

    char header[12];
    if (!in.read(header, 12) || std::memcmp(header, "RIFF", 4) != 0 || std::memcmp(header + 8, "sfbk", 4) != 0)
        return notSoundFont(path, "no RIFF 'sfbk' header");

    std::string pdta;
    std::uint64_t smplOffset = 0, smplBytes = 0;  // the 16-bit sample data, inside LIST 'sdta'
    std::uint64_t pos = 12;
    const std::uint64_t riffEnd = std::min<std::uint64_t>(8 + std::uint64_t(u32(header + 4)), index.m_fileBytes);
    while (pos + 12 <= riffEnd) {
        char chunk[12];
        in.seekg(std::streamoff(pos));
        if (!in.read(chunk, 12))
            return notSoundFont(path, "truncated chunk header");
        const std::uint32_t size = u32(chunk + 4);
        if (std::memcmp(chunk, "LIST", 4) == 0 && std::memcmp(chunk + 8, "pdta", 4) == 0) {
            if (size < 4 || size > kMaxPdtaBytes || pos + 8 + size > index.m_fileBytes)
                return notSoundFont(path, "damaged 'pdta' chunk");
            pdta.resize(size - 4);
            if (!in.read(pdta.data(), std::streamsize(pdta.size())))
                return notSoundFont(path, "truncated 'pdta' chunk");
        } else if (std::memcmp(chunk, "LIST", 4) == 0 && std::memcmp(chunk + 8, "sdta", 4) == 0) {
            const std::uint64_t end = std::min<std::uint64_t>(pos + 8 + size, index.m_fileBytes);
            for (std::uint64_t sub = pos + 12; sub + 8 <= end;) {
                char subHeader[8];
                in.seekg(std::streamoff(sub));
                if (!in.read(subHeader, 8))
                    break;
                const std::uint32_t subSize = u32(subHeader + 4);
                if (std::memcmp(subHeader, "smpl", 4) == 0) {
                    smplOffset = sub + 8;
                    smplBytes = std::min<std::uint64_t>(subSize, end - smplOffset);
                    break;
                }
                sub += 8 + std::uint64_t(subSize) + (subSize & 1u);
            }
        }
        pos += 8 + std::uint64_t(size) + (size & 1u);
    }
    if (pdta.empty())
        return notSoundFont(path, "no preset data ('pdta' chunk)");

    std::map<std::string, Records> sub;
    const std::map<std::string, std::size_t> strides = {
        {"phdr", kPhdrSize}, {"pbag", kBagSize}, {"pgen", kGenSize},
        {"inst", kInstSize}, {"ibag", kBagSize}, {"igen", kGenSize}, {"shdr", kShdrSize}};
    for (std::size_t p = 0; p + 8 <= pdta.size();) {
        const std::string id(pdta.data() + p, 4);
        const std::uint32_t size = u32(pdta.data() + p + 4);
        if (p + 8 + std::uint64_t(size) > pdta.size())
            return notSoundFont(path, "sub-chunk '" + id + "' runs past 'pdta'");
        if (auto s = strides.find(id); s != strides.end())
            sub[id] = Records{pdta.data() + p + 8, size / s->second, s->second};
        p += 8 + size + (size & 1u);
    }
    for (const auto& [id, stride] : strides) {
        (void)stride;
        if (sub[id].count < 1)
            return notSoundFont(path, "missing or empty '" + id + "' sub-chunk");
    }
    const Records& phdr = sub["phdr"];
    const Records& pbag = sub["pbag"];
    const Records& pgen = sub["pgen"];
    const Records& inst = sub["inst"];
    const Records& ibag = sub["ibag"];
    const Records& igen = sub["igen"];
    const Records& shdr = sub["shdr"];
    if (!indicesIncrease(phdr, 24) || !indicesIncrease(pbag, 0) || !indicesIncrease(inst, 20) || !indicesIncrease(ibag, 0))
        return notSoundFont(path, "damaged preset directory: its bag or generator indices go backwards");

    // Every index below comes from the file: each is range-checked so a damaged file is an
    // error, never an out-of-bounds read. The last record of each list is a terminator.
    auto instrumentSamples = [&](std::size_t instIndex, std::vector<std::size_t>& out) {
        if (instIndex + 1 >= inst.count)
            return;
        const std::size_t bagBegin = u16(inst.at(instIndex) + 20);
        const std::size_t bagEnd = u16(inst.at(instIndex + 1) + 20);
        for (std::size_t b = bagBegin; b < bagEnd && b + 1 < ibag.count; ++b) {
            const std::size_t genBegin = u16(ibag.at(b));
            const std::size_t genEnd = u16(ibag.at(b + 1));
            for (std::size_t g = genBegin; g < genEnd && g < igen.count; ++g) {
                if (u16(igen.at(g)) != kGenSampleId)
                    continue;
                const std::size_t s = u16(igen.at(g) + 2);
                if (s + 1 < shdr.count)
                    out.push_back(s);
            }
        }
    };

    // Sample data hashes, computed once per sample: 16-bit words from the smpl chunk, bounds-checked
    // against it (a damaged header gives a hash of what is there, never a read past the chunk).
    std::map<std::size_t, std::uint64_t> hashOf;
    std::vector<char> buffer;
    auto sampleHash = [&](std::size_t s) -> std::uint64_t {
        if (auto it = hashOf.find(s); it != hashOf.end())
            return it->second;
        const std::uint64_t start = std::min<std::uint64_t>(2ull * u32(shdr.at(s) + 20), smplBytes);
        const std::uint64_t end = std::min<std::uint64_t>(std::max<std::uint64_t>(2ull * u32(shdr.at(s) + 24), start), smplBytes);
        buffer.resize(std::size_t(end - start));
        in.clear();
        in.seekg(std::streamoff(smplOffset + start));
        in.read(buffer.data(), std::streamsize(buffer.size()));
        Fnv1a hash;
        hash.addValue(std::uint64_t(buffer.size()));
        hash.add(buffer.data(), std::size_t(in.gcount()));
        return hashOf[s] = hash.value();
    };

    for (std::size_t i = 0; i + 1 < phdr.count; ++i) {
        SoundFontPreset preset;
        std::vector<std::size_t> sampleIndices;
        preset.name = fixedName(phdr.at(i));
        preset.program = u16(phdr.at(i) + 20);
        preset.bank = u16(phdr.at(i) + 22);
        const std::size_t bagBegin = u16(phdr.at(i) + 24);
        const std::size_t bagEnd = u16(phdr.at(i + 1) + 24);
        for (std::size_t b = bagBegin; b < bagEnd && b + 1 < pbag.count; ++b) {
            const std::size_t genBegin = u16(pbag.at(b));
            const std::size_t genEnd = u16(pbag.at(b + 1));
            for (std::size_t g = genBegin; g < genEnd && g < pgen.count; ++g)
                if (u16(pgen.at(g)) == kGenInstrument)
                    instrumentSamples(u16(pgen.at(g) + 2), sampleIndices);
        }
        for (std::size_t s : sampleIndices) {
            preset.samples.emplace_back(u32(shdr.at(s) + 20), u32(shdr.at(s) + 24));
            if (hashSampleData && smplBytes > 0)
                preset.sampleHashes.push_back(sampleHash(s));
        }
        std::sort(preset.sampleHashes.begin(), preset.sampleHashes.end());
        preset.sampleHashes.erase(std::unique(preset.sampleHashes.begin(), preset.sampleHashes.end()), preset.sampleHashes.end());
        std::sort(preset.samples.begin(), preset.samples.end());
        preset.samples.erase(std::unique(preset.samples.begin(), preset.samples.end()), preset.samples.end());
        index.m_presets.push_back(std::move(preset));
    }
    if (index.m_presets.empty())
        return notSoundFont(path, "it holds no presets");
    std::stable_sort(index.m_presets.begin(), index.m_presets.end(), [](const auto& a, const auto& b) {
        return std::make_pair(a.bank, a.program) < std::make_pair(b.bank, b.program);
    });
    return index;
}

} // namespace ts::synth
