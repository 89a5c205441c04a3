#include "synth/GmInstrumentTable.h"

#include <array>

namespace ts::synth {

namespace {

// Indices of dataset::kFamilyNames and kSourceNames, spelled out so the table reads like the
// reference document.
enum Family { Bass, Brass, Flute, Guitar, Keyboard, Mallet, Organ, Reed, String, SynthLead, Vocal };
enum Source { Acoustic, Electronic, Synthetic };

struct Row {
    PresetTier tier;
    int family;
    int source;
    int low;
    int high;
    const char* note;
};

constexpr PresetTier C = PresetTier::Core;
constexpr PresetTier A = PresetTier::Ambiguous;
constexpr PresetTier S = PresetTier::Skip;

constexpr Row skip(const char* why) { return Row{S, -1, -1, 0, -1, why}; }

// GM programs 0-127 (bank 0). Ranges are sounding MIDI pitches from gm-to-nsynth.md; where the
// reference gives none (ambiguous presets only), the instrument's usual compass is used.
constexpr std::array<Row, 128> kPrograms = {{
    {C, Keyboard, Acoustic, 21, 108, "acoustic grand piano"},
    {C, Keyboard, Acoustic, 21, 108, "bright acoustic piano"},
    {C, Keyboard, Electronic, 28, 100, "electric grand"},
    {C, Keyboard, Acoustic, 21, 108, "honky-tonk piano"},
    {C, Keyboard, Electronic, 28, 100, "electric piano 1 (Rhodes)"},
    {C, Keyboard, Synthetic, 28, 100, "electric piano 2 (FM): a synthesised timbre"},
    {C, Keyboard, Acoustic, 29, 89, "harpsichord"},
    {C, Keyboard, Electronic, 29, 88, "clavinet"},
    {A, Mallet, Acoustic, 60, 108, "celesta: keyboard-played mallet instrument"},
    {C, Mallet, Acoustic, 79, 108, "glockenspiel"},
    skip("music box: a plucked comb, no family fits"),
    {C, Mallet, Acoustic, 53, 89, "vibraphone"},
    {C, Mallet, Acoustic, 36, 96, "marimba"},
    {C, Mallet, Acoustic, 65, 108, "xylophone"},
    {C, Mallet, Acoustic, 60, 77, "tubular bells"},
    skip("dulcimer: a hammered zither, no family fits"),
    {C, Organ, Electronic, 36, 96, "drawbar (tonewheel) organ"},
    {C, Organ, Electronic, 36, 96, "percussive organ"},
    {C, Organ, Electronic, 36, 96, "rock organ"},
    {C, Organ, Acoustic, 24, 96, "church (pipe) organ"},
    {C, Organ, Acoustic, 36, 89, "reed organ (harmonium)"},
    {A, Organ, Acoustic, 41, 89, "accordion: free reed, organ or reed"},
    {A, Reed, Acoustic, 60, 96, "harmonica: free reed"},
    {A, Organ, Acoustic, 41, 89, "bandoneon: free reed, organ or reed"},
    {C, Guitar, Acoustic, 40, 84, "nylon-string guitar"},
    {C, Guitar, Acoustic, 40, 84, "steel-string guitar"},
    {C, Guitar, Electronic, 40, 86, "jazz guitar"},
    {C, Guitar, Electronic, 40, 86, "clean electric guitar"},
    {C, Guitar, Electronic, 40, 86, "muted electric guitar"},
    {C, Guitar, Electronic, 40, 86, "overdriven guitar"},
    {C, Guitar, Electronic, 40, 86, "distortion guitar"},
    {A, Guitar, Electronic, 40, 84, "guitar harmonics: sounds two octaves above the key"},
    {C, Bass, Acoustic, 28, 67, "acoustic (upright) bass"},
    {C, Bass, Electronic, 28, 67, "electric bass (finger)"},
    {C, Bass, Electronic, 28, 67, "electric bass (pick)"},
    {C, Bass, Electronic, 28, 67, "fretless bass"},
    {C, Bass, Electronic, 28, 67, "slap bass 1"},
    {C, Bass, Electronic, 28, 67, "slap bass 2"},
    {C, Bass, Synthetic, 24, 72, "synth bass 1"},
    {C, Bass, Synthetic, 24, 72, "synth bass 2"},
    {C, String, Acoustic, 55, 100, "violin"},
    {C, String, Acoustic, 48, 88, "viola"},
    {C, String, Acoustic, 36, 79, "cello"},
    {C, String, Acoustic, 28, 67, "contrabass"},
    {C, String, Acoustic, 28, 96, "tremolo strings"},
    {C, String, Acoustic, 28, 96, "pizzicato strings"},
    {A, String, Acoustic, 24, 103, "harp: plucked, string or guitar"},
    skip("timpani: percussion"),
    {C, String, Acoustic, 28, 96, "string ensemble 1"},
    {C, String, Acoustic, 28, 96, "string ensemble 2"},
    {C, String, Synthetic, 36, 96, "synth strings 1"},
    {C, String, Synthetic, 36, 96, "synth strings 2"},
    {C, Vocal, Acoustic, 40, 84, "choir aahs"},
    {C, Vocal, Acoustic, 40, 84, "voice oohs"},
    {C, Vocal, Synthetic, 40, 84, "synth voice"},
    skip("orchestra hit: an ensemble stab mixing families"),
    {C, Brass, Acoustic, 52, 84, "trumpet"},
    {C, Brass, Acoustic, 40, 72, "trombone"},
    {C, Brass, Acoustic, 28, 65, "tuba"},
    {C, Brass, Acoustic, 52, 82, "muted trumpet"},
    {C, Brass, Acoustic, 35, 77, "french horn"},
    {C, Brass, Acoustic, 36, 84, "brass section"},
    {C, Brass, Synthetic, 36, 96, "synth brass 1"},
    {C, Brass, Synthetic, 36, 96, "synth brass 2"},
    {C, Reed, Acoustic, 56, 87, "soprano sax"},
    {C, Reed, Acoustic, 49, 80, "alto sax"},
    {C, Reed, Acoustic, 44, 75, "tenor sax"},
    {C, Reed, Acoustic, 36, 69, "baritone sax"},
    {C, Reed, Acoustic, 58, 91, "oboe"},
    {C, Reed, Acoustic, 52, 81, "english horn"},
    {C, Reed, Acoustic, 34, 75, "bassoon"},
    {C, Reed, Acoustic, 50, 91, "clarinet"},
    {C, Flute, Acoustic, 74, 108, "piccolo"},
    {C, Flute, Acoustic, 60, 96, "flute"},
    {C, Flute, Acoustic, 65, 96, "recorder"},
    {C, Flute, Acoustic, 60, 96, "pan flute"},
    {C, Flute, Acoustic, 60, 84, "blown bottle"},
    {C, Flute, Acoustic, 62, 86, "shakuhachi"},
    {A, Flute, Acoustic, 60, 96, "whistle: possibly human whistling"},
    {C, Flute, Acoustic, 60, 89, "ocarina"},
    {C, SynthLead, Synthetic, 36, 96, "lead 1 (square)"},
    {C, SynthLead, Synthetic, 36, 96, "lead 2 (sawtooth)"},
    {C, SynthLead, Synthetic, 36, 96, "lead 3 (calliope)"},
    {C, SynthLead, Synthetic, 36, 96, "lead 4 (chiff)"},
    {C, SynthLead, Synthetic, 36, 96, "lead 5 (charang)"},
    {A, Vocal, Synthetic, 40, 84, "lead 6 (voice): synth lead or vocal"},
    {C, SynthLead, Synthetic, 36, 96, "lead 7 (fifths)"},
    {C, SynthLead, Synthetic, 36, 96, "lead 8 (bass + lead)"},
    skip("pad: layered texture, NSynth has no pad family"),
    skip("pad: layered texture, NSynth has no pad family"),
    skip("pad: layered texture, NSynth has no pad family"),
    skip("pad: layered texture, NSynth has no pad family"),
    skip("pad: layered texture, NSynth has no pad family"),
    skip("pad: layered texture, NSynth has no pad family"),
    skip("pad: layered texture, NSynth has no pad family"),
    skip("pad: layered texture, NSynth has no pad family"),
    skip("synth effect"),
    skip("synth effect"),
    skip("synth effect"),
    skip("synth effect"),
    skip("synth effect"),
    skip("synth effect"),
    skip("synth effect"),
    skip("synth effect"),
    {A, Guitar, Acoustic, 48, 84, "sitar: plucked lute"},
    {C, Guitar, Acoustic, 48, 84, "banjo"},
    {A, Guitar, Acoustic, 48, 84, "shamisen: plucked lute"},
    {A, Guitar, Acoustic, 48, 84, "koto: plucked zither"},
    {A, Mallet, Acoustic, 60, 88, "kalimba: plucked lamellophone"},
    {A, Reed, Acoustic, 60, 84, "bagpipe: chanter plus drones"},
    {C, String, Acoustic, 55, 100, "fiddle"},
    {C, Reed, Acoustic, 60, 88, "shanai"},
    skip("percussion"),
    skip("percussion"),
    {A, Mallet, Acoustic, 60, 84, "steel drums"},
    skip("percussion"),
    skip("percussion"),
    skip("percussion"),
    skip("percussion"),
    skip("percussion"),
    skip("sound effect"),
    skip("sound effect"),
    skip("sound effect"),
    skip("sound effect"),
    skip("sound effect"),
    skip("sound effect"),
    skip("sound effect"),
    skip("sound effect"),
}};

GmMapping toMapping(const Row& row)
{
    return GmMapping{row.tier, row.family, row.source, row.low, row.high, row.note};
}

GmMapping asAmbiguous(GmMapping mapping, const char* why)
{
    if (mapping.tier == PresetTier::Core) {
        mapping.tier = PresetTier::Ambiguous;
        mapping.note += why;
    }
    return mapping;
}

// Variation banks (8 and 16) inherit their program's mapping except for these presets.
bool variationOverride(int bank, int program, GmMapping& out)
{
    if (bank == 8) {
        switch (program) {
        case 14: out = toMapping({A, Mallet, Acoustic, 60, 84, "church bell"}); return true;
        case 24: out = toMapping({C, Guitar, Acoustic, 60, 84, "ukulele"}); return true;
        case 30:
        case 31: out = toMapping(skip("feedback guitar: sound effect")); return true;
        case 48: out = toMapping(skip("orchestral pad: mixes families")); return true;
        case 115:
        case 116:
        case 117:
        case 118: out = toMapping(skip("percussion")); return true;
        default: return false;
        }
    }
    if (bank == 16 && program == 25) {
        out = toMapping({C, Guitar, Acoustic, 55, 88, "mandolin"});
        return true;
    }
    return false;
}

// MuseScore General's extra banks: CC2-controlled "Expr." duplicates, and VSCO2 string sections.
bool museScoreBank(int bank, int program, GmMapping& out)
{
    switch (bank) {
    case 17: case 18: case 21: case 26: case 31: case 41: case 51:
        out = toMapping(skip("expression-controlled duplicate whose loudness ignores velocity"));
        return true;
    default: break;
    }
    if (bank < 20 || bank > 50)
        return false;
    if (program == 81) {
        out = toMapping({C, SynthLead, Synthetic, 36, 96, "detuned saw lead"});
        return true;
    }
    if (program >= 40 && program <= 49 && program != 46 && program != 47) {
        // Section presets: violins, violas, celli, basses or full sections, by program.
        out = toMapping(kPrograms[std::size_t(program)]);
        return true;
    }
    return false;
}

} // namespace

const char* presetTierName(PresetTier tier)
{
    switch (tier) {
    case PresetTier::Core: return "core";
    case PresetTier::Ambiguous: return "ambiguous";
    case PresetTier::Skip: return "skip";
    }
    return "skip";
}

GmMapping GmInstrumentTable::lookup(int bank, int program)
{
    if (program < 0 || program > 127 || bank < 0)
        return toMapping(skip("not a General MIDI program number"));
    if (bank >= 120)
        return toMapping(skip("percussion kit bank"));
    GmMapping mapping;
    if (variationOverride(bank, program, mapping) || museScoreBank(bank, program, mapping))
        return mapping;
    mapping = toMapping(kPrograms[std::size_t(program)]);
    if (bank == 0 || bank == 8 || bank == 16)
        return mapping;
    return asAmbiguous(mapping, " (unknown bank, mapped by program)");
}

} // namespace ts::synth
