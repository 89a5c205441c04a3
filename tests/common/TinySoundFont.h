#pragma once
// A minimal but valid SoundFont 2 file built in memory, so synth tests need no download and
// know exactly what the file holds:
//   sample 0 "Sine440": a looped sine of exactly 440 Hz (44 kHz, period 100), root key 69
//   sample 1 "Square220": a looped square wave of 220 Hz, root key 57
//   preset 0:0   "Tiny Piano"  -> instrument 0 (sample 0)
//   preset 0:73  "Tiny Flute"  -> instrument 0 (same samples as Tiny Piano: a duplicate)
//   preset 0:40  "Tiny Violin" -> instrument 1 (sample 1, keys 55-80 only)
//   preset 0:47  "Tiny Timpani"-> instrument 0 (GM percussion: skipped by the table)
//   preset 128:0 "Tiny Kit"    -> instrument 0 (drum bank: skipped)
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace ts::test {

namespace tinysf {

inline void le16(std::string& s, unsigned v)
{
    s += char(v & 0xff);
    s += char((v >> 8) & 0xff);
}
inline void le32(std::string& s, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        s += char((v >> (8 * i)) & 0xff);
}
inline void name20(std::string& s, const std::string& name)
{
    std::string n = name.substr(0, 19);
    n.resize(20, '\0');
    s += n;
}
inline std::string chunk(const std::string& id, const std::string& body)
{
    std::string s = id;
    le32(s, std::uint32_t(body.size()));
    s += body;
    if (body.size() % 2)
        s += '\0';
    return s;
}
inline std::string list(const std::string& type, const std::string& body) { return chunk("LIST", type + body); }

} // namespace tinysf

inline std::string tinySoundFontBytes()
{
    using namespace tinysf;
    constexpr int kLength = 2000;
    constexpr int kGap = 46;  // the SF2 spec wants 46 zero samples after each sample
    std::string smpl;
    auto addSample = [&](auto value) {
        for (int i = 0; i < kLength; ++i)
            le16(smpl, unsigned(std::uint16_t(std::int16_t(value(i)))));
        for (int i = 0; i < kGap; ++i)
            le16(smpl, 0);
    };
    const double pi = 3.14159265358979323846;
    addSample([&](int i) { return std::lround(12000.0 * std::sin(2.0 * pi * i / 100.0)); });
    addSample([](int i) { return (i / 100) % 2 ? -8000 : 8000; });

    struct Preset { const char* name; int program; int bank; int instrument; };
    const std::vector<Preset> presets = {
        {"Tiny Piano", 0, 0, 0}, {"Tiny Flute", 73, 0, 0}, {"Tiny Violin", 40, 0, 1},
        {"Tiny Timpani", 47, 0, 0}, {"Tiny Kit", 0, 128, 0}};
    std::string phdr, pbag, pgen;
    for (std::size_t i = 0; i < presets.size(); ++i) {
        name20(phdr, presets[i].name);
        le16(phdr, unsigned(presets[i].program));
        le16(phdr, unsigned(presets[i].bank));
        le16(phdr, unsigned(i));  // one bag per preset
        le32(phdr, 0); le32(phdr, 0); le32(phdr, 0);
        le16(pbag, unsigned(i));  // one generator per bag
        le16(pbag, 0);
        le16(pgen, 41);           // instrument
        le16(pgen, unsigned(presets[i].instrument));
    }
    name20(phdr, "EOP");
    le16(phdr, 0); le16(phdr, 0); le16(phdr, unsigned(presets.size()));
    le32(phdr, 0); le32(phdr, 0); le32(phdr, 0);
    le16(pbag, unsigned(presets.size())); le16(pbag, 0);
    le16(pgen, 0); le16(pgen, 0);
    std::string pmod(10, '\0');

    std::string inst, ibag, igen;
    unsigned genCount = 0;
    auto addInstrument = [&](const char* name, unsigned bag, int sample, int keyLow, int keyHigh) {
        name20(inst, name);
        le16(inst, bag);
        le16(ibag, genCount);
        le16(ibag, 0);
        le16(igen, 43);  // keyRange (must come first)
        igen += char(keyLow);
        igen += char(keyHigh);
        le16(igen, 54);  // sampleModes: loop continuously
        le16(igen, 1);
        le16(igen, 53);  // sampleID (must come last)
        le16(igen, unsigned(sample));
        genCount += 3;
    };
    addInstrument("Sine", 0, 0, 0, 127);
    addInstrument("Square", 1, 1, 55, 80);
    name20(inst, "EOI");
    le16(inst, 2);
    le16(ibag, genCount); le16(ibag, 0);
    le16(igen, 0); le16(igen, 0);
    std::string imod(10, '\0');

    std::string shdr;
    auto addHeader = [&](const char* name, std::uint32_t start, int rootKey) {
        name20(shdr, name);
        le32(shdr, start);
        le32(shdr, start + kLength);
        le32(shdr, start + 100);    // loop over whole periods
        le32(shdr, start + 1900);
        le32(shdr, 44000);
        shdr += char(rootKey);
        shdr += char(0);
        le16(shdr, 0);
        le16(shdr, 1);              // mono sample
    };
    addHeader("Sine440", 0, 69);
    addHeader("Square220", kLength + kGap, 57);
    name20(shdr, "EOS");
    shdr += std::string(26, '\0');

    std::string ifil;
    le16(ifil, 2); le16(ifil, 1);
    const std::string info = list("INFO", chunk("ifil", ifil) + chunk("isng", std::string("EMU8000\0", 8))
                                              + chunk("INAM", std::string("Tiny font\0", 10)));
    const std::string sdta = list("sdta", chunk("smpl", smpl));
    const std::string pdta = list("pdta", chunk("phdr", phdr) + chunk("pbag", pbag) + chunk("pmod", pmod)
                                              + chunk("pgen", pgen) + chunk("inst", inst) + chunk("ibag", ibag)
                                              + chunk("imod", imod) + chunk("igen", igen) + chunk("shdr", shdr));
    return chunk("RIFF", "sfbk" + info + sdta + pdta);
}

} // namespace ts::test
