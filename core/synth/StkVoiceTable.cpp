#include "synth/StkVoiceTable.h"

namespace ts::synth {

namespace {

// Indices of dataset::kFamilyNames, spelled out so the table reads like a list of instruments.
enum Family { Bass, Brass, Flute, Guitar, Keyboard, Mallet, Organ, Reed, String, SynthLead, Vocal };
constexpr int kSynthetic = 2;  // dataset::kSourceNames: NSynth's "made by a synthesizer"

StkVoice voice(const char* id, const char* model, const char* name, Family family, int low, int high,
               double gainDb, std::vector<std::pair<int, double>> controls, const char* why)
{
    StkVoice v;
    v.id = id;
    v.model = model;
    v.name = name;
    v.mapping = GmMapping{PresetTier::Core, family, kSynthetic, low, high, why};
    v.controls = std::move(controls);
    v.gainDb = gainDb;
    return v;
}

// PercFlut's operators sit at 1.5, 3 and 6 times its frequency, so it sounds a fifth above the
// note it is given (measured: +7.02 semitones).
StkVoice fifthDown(StkVoice v)
{
    v.frequencyScale = 2.0 / 3.0;
    return v;
}

} // namespace

// How the table was made: every candidate was rendered at every pitch of its intended compass
// (velocity 100, 48 kHz) and its fundamental measured by autocorrelation over 0.5-2.5 s. A range
// ends where the model slips an octave, overblows or drifts more than half a semitone, so some
// ranges are narrower than the instrument's (the reasons are in the notes). gainDb brings a
// mid-range velocity-100 note to a -10 dBFS peak.
// Left out, and why:
//  - Brass: at 48 kHz STK's lip model only speaks above MIDI 80 (below it, a weak unpitched
//    buzz), so no trumpet, trombone or tuba range is usable; the brass family has no STK voice.
//  - Recorder: its pitch wanders by up to an octave and a half from note to note at 48 kHz.
//  - Sitar: GM's own sitar is only an ambiguous guitar, and its buzz fools pitch measurement.
//  - ModalBar vibraphone, agogo, wood and reso presets: inharmonic or a fixed mode dominates;
//    the measured pitch jumps between notes, so a listener would not hear the key played.
//  - VoicForm: its SingWave constructor draws one rand() right after its Noise has reseeded rand()
//    from the clock, and that draw stays in its vibrato filter, so a note depends on the second
//    the instrument was made (measured: same note, different bytes a second later).
//  - Guitar (the multi-string model): its constructor reseeds rand() from the clock and draws its
//    pluck noise there, before a note's seed can be set, so its notes would not repeat.
//  - Tenor saxophone settings and vibrato on the Clarinet, on FMVoices and on a bowed cello:
//    each slipped an octave on several notes of the range.
// HevyMetl is kept as synth_lead: a bright, distorted FM tone that imitates no acoustic family,
// which is what NSynth's synth_lead holds.
const std::vector<StkVoice>& stkVoices()
{
    static const std::vector<StkVoice> voices = {
    voice("clarinet", "Clarinet", "STK Clarinet", Reed, 50, 91, -5.0, {},
          "a single-reed waveguide: the clarinet's hollow odd-harmonic tone"),
    voice("clarinet-soft-reed", "Clarinet", "STK Clarinet, soft reed, a little breath", Reed, 50, 91, -4.0, {{2, 35}, {4, 10}},
          "a single-reed waveguide with a soft reed: a rounder clarinet"),
    voice("clarinet-stiff-breathy", "Clarinet", "STK Clarinet, stiff reed, breathy", Reed, 50, 91, -5.0, {{2, 100}, {4, 45}},
          "a single-reed waveguide with a stiff reed and audible breath"),
    voice("bass-clarinet", "Clarinet", "STK Clarinet, bass clarinet range", Reed, 38, 77, -4.0, {{2, 50}, {4, 15}},
          "the single-reed waveguide played in the bass clarinet's compass"),
    voice("blowhole-clarinet", "BlowHole", "STK BlowHole clarinet, low register", Reed, 40, 52, -7.0, {{2, 64}},
          "a clarinet bore with tonehole and register vent; sharpens above MIDI 52"),
    voice("sax-soprano", "Saxofony", "STK Saxofony, soprano range", Reed, 62, 87, -14.0, {{2, 40}, {26, 60}},
          "a conical-bore reed waveguide: saxophone"),
    voice("sax-alto", "Saxofony", "STK Saxofony, alto range", Reed, 49, 76, -13.0, {{2, 40}},
          "a conical-bore reed waveguide: saxophone; overblows at MIDI 77"),
    voice("sax-baritone", "Saxofony", "STK Saxofony, baritone range", Reed, 36, 57, -13.0, {{2, 40}},
          "a conical-bore reed waveguide in the baritone compass; overblows at MIDI 58"),
    voice("flute", "Flute", "STK Flute", Flute, 60, 96, -2.0, {{2, 80}},
          "an air-jet waveguide: flute"),
    voice("flute-breathy", "Flute", "STK Flute, breathy", Flute, 60, 96, -2.0, {{2, 80}, {4, 50}},
          "an air-jet waveguide with breath noise: flute"),
    voice("flute-vibrato", "Flute", "STK Flute with vibrato", Flute, 60, 96, -2.0, {{2, 80}, {11, 45}, {1, 30}},
          "an air-jet waveguide with breath vibrato: flute"),
    voice("alto-flute", "Flute", "STK Flute, alto flute range", Flute, 55, 91, -2.0, {{2, 80}, {4, 20}},
          "an air-jet waveguide in the alto flute's compass"),
    voice("piccolo", "Flute", "STK Flute, piccolo range", Flute, 74, 102, -1.0, {{2, 75}},
          "an air-jet waveguide in the piccolo's compass"),
    fifthDown(voice("percflut", "PercFlut", "STK PercFlut (FM flute)", Flute, 60, 96, 4.0, {},
          "an FM flute patch; tuned down a fifth because its lowest partial is 1.5 times the note")),
    fifthDown(voice("percflut-vibrato", "PercFlut", "STK PercFlut (FM flute) with vibrato", Flute, 60, 96, 4.0, {{11, 50}, {1, 20}},
          "an FM flute patch with vibrato")),
    voice("blowbotl", "BlowBotl", "STK BlowBotl, blown bottle", Flute, 60, 96, -10.0, {},
          "an air jet over a Helmholtz resonator: a blown bottle, flute-like like a pan flute"),
    voice("blowbotl-breathy", "BlowBotl", "STK BlowBotl, blown bottle, breathy", Flute, 60, 96, -5.0, {{4, 50}},
          "an air jet over a Helmholtz resonator with breath noise"),
    voice("violin", "Bowed", "STK Bowed, violin range", String, 55, 100, 7.0, {{4, 30}},
          "a bowed-string waveguide in the violin's compass"),
    voice("violin-vibrato", "Bowed", "STK Bowed, violin range, vibrato", String, 55, 100, 6.0, {{4, 30}, {11, 40}, {1, 8}},
          "a bowed-string waveguide with vibrato"),
    voice("violin-pressed", "Bowed", "STK Bowed, violin range, heavy bow", String, 55, 90, -1.0, {{2, 80}, {4, 30}},
          "a bowed-string waveguide with high bow pressure; octave slips above MIDI 90"),
    voice("viola", "Bowed", "STK Bowed, viola range", String, 48, 77, 4.0, {{2, 70}, {4, 35}},
          "a bowed-string waveguide in the viola's compass"),
    voice("cello", "Bowed", "STK Bowed, cello range", String, 36, 76, 3.0, {{2, 64}, {4, 30}},
          "a bowed-string waveguide in the cello's compass"),
    voice("cello-pressed", "Bowed", "STK Bowed, cello range, heavy bow near the bridge", String, 41, 76, -2.0, {{2, 90}, {4, 20}},
          "a bowed-string waveguide, pressed near the bridge; below MIDI 41 it slips"),
    voice("contrabass-bowed", "Bowed", "STK Bowed, contrabass range", String, 28, 60, 1.0, {{2, 75}, {4, 30}},
          "a bowed-string waveguide in the double bass's compass, bowed like GM's contrabass (string)"),
    voice("plucked-guitar", "Plucked", "STK Plucked string, guitar range", Guitar, 40, 84, -2.0, {},
          "a Karplus-Strong plucked string in the guitar's compass"),
    voice("stifkarp-guitar", "StifKarp", "STK StifKarp plucked stiff string, guitar range", Guitar, 40, 76, -2.0, {},
          "a plucked stiff-string waveguide: steel-string guitar-like"),
    voice("mandolin", "Mandolin", "STK Mandolin", Guitar, 57, 87, 1.0, {},
          "two detuned plucked strings with a body impulse response: a mandolin, a small guitar-family lute"),
    voice("mandolin-big-body", "Mandolin", "STK Mandolin, big body, low strings", Guitar, 43, 60, 7.0, {{2, 100}, {4, 40}},
          "two plucked strings with a large body: mandola or small guitar; octave slips above MIDI 61"),
    voice("plucked-bass", "Plucked", "STK Plucked string, bass range", Bass, 28, 55, -4.0, {},
          "a Karplus-Strong plucked string in the bass guitar's compass"),
    voice("stifkarp-bass", "StifKarp", "STK StifKarp, bass range, long sustain", Bass, 28, 55, -2.0, {{4, 40}, {11, 110}},
          "a plucked stiff string in the bass guitar's compass"),
    voice("stifkarp-bass-dark", "StifKarp", "STK StifKarp, bass range, plucked mid-string", Bass, 28, 55, -3.0, {{4, 64}, {11, 90}},
          "a plucked stiff string in the bass compass, dark and short"),
    voice("moog-bass", "Moog", "STK Moog, synth bass", Bass, 28, 55, -12.0, {{2, 30}, {4, 20}},
          "a subtractive synth (swept resonant filter) played as synth bass"),
    voice("moog-bass-resonant", "Moog", "STK Moog, resonant synth bass", Bass, 28, 55, -12.0, {{2, 90}, {4, 50}},
          "a subtractive synth with a resonant filter sweep, as synth bass"),
    voice("moog-bass-soft", "Moog", "STK Moog, soft synth bass", Bass, 28, 55, -11.0, {{2, 10}, {4, 10}},
          "a subtractive synth with little resonance, as synth bass"),
    voice("rhodey", "Rhodey", "STK Rhodey (FM electric piano)", Keyboard, 28, 88, -1.0, {},
          "an FM Rhodes electric piano patch"),
    voice("rhodey-bright", "Rhodey", "STK Rhodey, bright", Keyboard, 28, 84, -1.0, {{2, 90}},
          "an FM Rhodes patch with a higher modulation index"),
    voice("rhodey-mellow", "Rhodey", "STK Rhodey, mellow", Keyboard, 28, 88, -2.0, {{2, 30}, {4, 40}},
          "an FM Rhodes patch with a low modulation index"),
    voice("rhodey-tremolo", "Rhodey", "STK Rhodey with tremolo", Keyboard, 28, 88, -3.0, {{11, 60}, {1, 40}},
          "an FM Rhodes patch with tremolo"),
    voice("wurley", "Wurley", "STK Wurley (FM electric piano)", Keyboard, 28, 88, 2.0, {},
          "an FM Wurlitzer electric piano patch"),
    voice("wurley-bright", "Wurley", "STK Wurley, bright", Keyboard, 28, 78, 2.0, {{2, 100}},
          "an FM Wurlitzer patch with a higher modulation index"),
    voice("wurley-mellow", "Wurley", "STK Wurley, mellow", Keyboard, 28, 88, 2.0, {{2, 30}},
          "an FM Wurlitzer patch with a low modulation index"),
    voice("beethree", "BeeThree", "STK BeeThree (FM Hammond organ)", Organ, 36, 84, -2.0, {},
          "an FM drawbar (Hammond) organ patch"),
    voice("beethree-full", "BeeThree", "STK BeeThree, full drawbars", Organ, 36, 84, -5.0, {{2, 100}, {4, 100}},
          "an FM Hammond patch with louder upper partials"),
    voice("beethree-mellow", "BeeThree", "STK BeeThree, mellow drawbars", Organ, 36, 88, 2.0, {{2, 20}, {4, 30}},
          "an FM Hammond patch with soft upper partials"),
    voice("beethree-leslie", "BeeThree", "STK BeeThree, fast Leslie", Organ, 36, 91, -2.0, {{11, 90}, {1, 50}},
          "an FM Hammond patch with a fast rotary-speaker wobble"),
    voice("beethree-slow-leslie", "BeeThree", "STK BeeThree, slow Leslie", Organ, 36, 91, -2.0, {{11, 25}, {1, 40}, {2, 80}},
          "an FM Hammond patch with a slow rotary-speaker wobble"),
    voice("marimba", "ModalBar", "STK ModalBar, marimba", Mallet, 64, 96, 7.0, {{16, 0}},
          "a modal bar struck by a mallet, marimba preset"),
    voice("marimba-hard", "ModalBar", "STK ModalBar, marimba, hard mallet", Mallet, 52, 96, 2.0, {{16, 0}, {2, 110}},
          "a modal bar struck by a hard mallet, marimba preset"),
    voice("tubebell", "TubeBell", "STK TubeBell (FM tubular bell)", Mallet, 55, 84, -1.0, {},
          "an FM tubular-bell patch: GM's tubular bells are mallet"),
    voice("tubebell-soft", "TubeBell", "STK TubeBell, soft strike", Mallet, 55, 84, 0.0, {{2, 40}},
          "an FM tubular-bell patch with a low modulation index"),
    voice("fmvoices-ahh", "FMVoices", "STK FMVoices, 'ahh'", Vocal, 52, 77, -4.0, {{2, 0}},
          "an FM singing-voice patch"),
    voice("fmvoices-eee", "FMVoices", "STK FMVoices, 'eee'", Vocal, 52, 77, -4.0, {{2, 40}},
          "an FM singing-voice patch, a brighter vowel"),
    voice("fmvoices-ooo", "FMVoices", "STK FMVoices, 'ooo'", Vocal, 40, 79, -5.0, {{2, 90}},
          "an FM singing-voice patch, a dark vowel"),
    voice("moog-lead", "Moog", "STK Moog, lead", SynthLead, 48, 96, -4.0, {{2, 60}, {4, 40}},
          "a subtractive (Moog-style) synth played as a lead"),
    voice("moog-lead-resonant", "Moog", "STK Moog, resonant lead with vibrato", SynthLead, 48, 96, 0.0, {{2, 110}, {4, 60}, {11, 50}, {1, 10}},
          "a subtractive synth with a resonant filter, as a lead"),
    voice("moog-lead-sweep", "Moog", "STK Moog, fast filter sweep lead", SynthLead, 48, 96, -3.0, {{2, 80}, {4, 100}},
          "a subtractive synth with a fast filter sweep, as a lead"),
    voice("hevymetl", "HevyMetl", "STK HevyMetl (FM lead)", SynthLead, 40, 91, 2.0, {},
          "a bright, distorted FM patch: no acoustic family, a synth lead"),
    voice("hevymetl-dark", "HevyMetl", "STK HevyMetl, darker", SynthLead, 40, 91, 2.0, {{2, 40}},
          "a distorted FM patch with a lower modulation index, a synth lead"),
    voice("hevymetl-vibrato", "HevyMetl", "STK HevyMetl with vibrato", SynthLead, 40, 91, 2.0, {{11, 60}, {1, 30}},
          "a distorted FM patch with vibrato, a synth lead"),
    };
    return voices;
}

} // namespace ts::synth
