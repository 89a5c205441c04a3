#include "synth/StkNoteRenderer.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include <fluidsynth.h>
#include <stk/BeeThree.h>
#include <stk/BlowBotl.h>
#include <stk/BlowHole.h>
#include <stk/Bowed.h>
#include <stk/Brass.h>
#include <stk/Clarinet.h>
#include <stk/FMVoices.h>
#include <stk/Flute.h>
#include <stk/HevyMetl.h>
#include <stk/Mandolin.h>
#include <stk/ModalBar.h>
#include <stk/Moog.h>
#include <stk/PercFlut.h>
#include <stk/Plucked.h>
#include <stk/Recorder.h>
#include <stk/Rhodey.h>
#include <stk/Saxofony.h>
#include <stk/Sitar.h>
#include <stk/StifKarp.h>
#include <stk/Stk.h>
#include <stk/TubeBell.h>
#include <stk/Wurley.h>

#include "synth/NoteFinisher.h"
#include "util/Fnv1a.h"

namespace ts::synth {

namespace {

constexpr int kRenderFrames = NoteFinisher::kRenderFrames;
// Delay lines are sized for this lowest frequency; below every voice's pitchLow (MIDI 16 = 20.6 Hz).
constexpr double kLowestFrequency = 20.0;

// STK keeps process-wide state that its instruments touch without any locking:
//  - Noise (in Clarinet, Saxofony, BlowHole, Flute, BlowBotl, Plucked and StifKarp) draws from
//    the C library's single rand() stream, and constructing one reseeds that stream with time().
//    Two notes rendered at once would interleave their draws, so a note's noise would depend on
//    timing and thread count.
//  - Every ADSR, Envelope, BiQuad, SineWave, FileLoop... registers itself in the static vector
//    Stk::alertList_ when constructed and removes itself when destroyed: unsynchronised push_back
//    and erase on one vector from two threads corrupt it.
// So instruments are constructed, set up and destroyed under this one lock, with rand() reseeded
// from (voice, pitch, velocity) after the constructor's time() reseed and before noteOn (where
// Plucked and StifKarp draw their pluck noise). Models that keep drawing noise while they play
// hold the lock for the whole note; the rest play in parallel. Measured: the locked models spend
// ~15 of a note's ~17 ms there (libsoxr finishing is ~2 ms), so their notes render one at a time,
// about 60 a second; other models and SoundFont notes keep the other cores busy meanwhile.
// Nothing else in the process calls rand() while a note renders: FluidSynth does so once per
// process, filling its dither table in its first new_fluid_synth(), and stkSetup() makes that
// happen before any STK note.
std::mutex& stkLock()
{
    static std::mutex lock;
    return lock;
}

std::once_flag setupOnce;
std::optional<Error> setupError;

// STK's sample rate and rawwave folder are statics read by every instrument: set once, before the
// first instrument exists, and never changed (changing the rate would also retune live objects).
void stkSetup()
{
    stk::Stk::setSampleRate(NoteRenderer::kInternalRate);
    stk::Stk::setRawwavePath(StkNoteRenderer::kRawwavePath);
    // Warnings go to std::cerr and errors are thrown as StkError, which render() turns into an
    // Error; nothing is printed, so the CLI's --json stdout and its stderr stay ours.
    stk::Stk::showWarnings(false);
    stk::Stk::printErrors(false);
    const std::string sine = std::string(StkNoteRenderer::kRawwavePath) + "sinewave.raw";
    std::error_code ec;
    if (!std::filesystem::exists(sine, ec))
        setupError = makeError(ErrorCode::NotFound, "STK's rawwaves are missing (install the Debian package stk)", sine);
    // See the comment on stkLock(): FluidSynth's one-time rand() use happens here, not mid-note.
    if (fluid_settings_t* settings = new_fluid_settings()) {
        if (fluid_synth_t* synth = new_fluid_synth(settings))
            delete_fluid_synth(synth);
        delete_fluid_settings(settings);
    }
}

// The models whose tick() calls rand() (found with objdump on libstk 4.6.2: the functions that
// call rand@plt): the breath noise of the winds. Plucked and StifKarp draw only when plucked, in
// noteOn.
bool drawsNoiseWhilePlaying(const std::string& model)
{
    static const std::set<std::string> models = {"BlowBotl", "BlowHole", "Clarinet", "Flute", "Saxofony"};
    return models.count(model) > 0;
}

// Destroying an STK instrument removes its parts from Stk::alertList_: only under the lock.
struct DeleteUnderStkLock {
    void operator()(stk::Instrmnt* instrument) const
    {
        std::lock_guard<std::mutex> lock(stkLock());
        delete instrument;
    }
};
using Instrument = std::unique_ptr<stk::Instrmnt, DeleteUnderStkLock>;

using Factory = std::function<std::unique_ptr<stk::Instrmnt>()>;

const std::map<std::string, Factory>& factories()
{
    static const std::map<std::string, Factory> table = {
        {"BeeThree", [] { return std::make_unique<stk::BeeThree>(); }},
        {"BlowBotl", [] { return std::make_unique<stk::BlowBotl>(); }},
        {"BlowHole", [] { return std::make_unique<stk::BlowHole>(kLowestFrequency); }},
        {"Bowed", [] { return std::make_unique<stk::Bowed>(kLowestFrequency); }},
        {"Brass", [] { return std::make_unique<stk::Brass>(kLowestFrequency); }},
        {"Clarinet", [] { return std::make_unique<stk::Clarinet>(kLowestFrequency); }},
        {"FMVoices", [] { return std::make_unique<stk::FMVoices>(); }},
        {"Flute", [] { return std::make_unique<stk::Flute>(kLowestFrequency); }},
        {"HevyMetl", [] { return std::make_unique<stk::HevyMetl>(); }},
        {"Mandolin", [] { return std::make_unique<stk::Mandolin>(kLowestFrequency); }},
        {"ModalBar", [] { return std::make_unique<stk::ModalBar>(); }},
        {"Moog", [] { return std::make_unique<stk::Moog>(); }},
        {"PercFlut", [] { return std::make_unique<stk::PercFlut>(); }},
        {"Plucked", [] { return std::make_unique<stk::Plucked>(kLowestFrequency); }},
        {"Recorder", [] { return std::make_unique<stk::Recorder>(); }},
        {"Rhodey", [] { return std::make_unique<stk::Rhodey>(); }},
        {"Saxofony", [] { return std::make_unique<stk::Saxofony>(kLowestFrequency); }},
        {"Sitar", [] { return std::make_unique<stk::Sitar>(kLowestFrequency); }},
        {"StifKarp", [] { return std::make_unique<stk::StifKarp>(kLowestFrequency); }},
        {"TubeBell", [] { return std::make_unique<stk::TubeBell>(); }},
        {"Wurley", [] { return std::make_unique<stk::Wurley>(); }},
    };
    return table;
}

// A nonzero seed (Noise treats 0 as "seed from the clock") fixed by the note alone.
unsigned int noteSeed(const StkVoice& voice, int pitch, int velocity)
{
    Fnv1a hash;
    hash.addString(voice.id);
    hash.addValue(std::int32_t(pitch));
    hash.addValue(std::int32_t(velocity));
    const auto seed = unsigned(hash.value() ^ (hash.value() >> 32));
    return seed == 0 ? 1u : seed;
}

double midiHz(int pitch) { return 440.0 * std::pow(2.0, (pitch - 69) / 12.0); }

} // namespace

struct StkNoteRenderer::Impl {
    std::optional<NoteFinisher> finisher;
    std::vector<float> mono = std::vector<float>(kRenderFrames);
};

StkNoteRenderer::StkNoteRenderer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
StkNoteRenderer::StkNoteRenderer(StkNoteRenderer&&) noexcept = default;
StkNoteRenderer& StkNoteRenderer::operator=(StkNoteRenderer&&) noexcept = default;
StkNoteRenderer::~StkNoteRenderer() = default;

Result<StkNoteRenderer> StkNoteRenderer::create()
{
    std::call_once(setupOnce, stkSetup);
    if (setupError)
        return *setupError;
    auto impl = std::make_unique<Impl>();
    auto finisher = NoteFinisher::create();
    if (!finisher)
        return finisher.error();
    impl->finisher.emplace(std::move(*finisher));
    return StkNoteRenderer(std::move(impl));
}

Result<RenderedNote> StkNoteRenderer::render(const StkVoice& voice, int pitch, int velocity)
{
    if (pitch < 0 || pitch > 127 || velocity < 1 || velocity > 127)
        return makeError(ErrorCode::InvalidArgument, "pitch must be 0-127 and velocity 1-127");
    const auto factory = factories().find(voice.model);
    if (factory == factories().end())
        return makeError(ErrorCode::InvalidArgument, "no STK model named " + voice.model + " (voice " + voice.id + ")");
    Impl& d = *m_impl;

    // The model is excited with an amplitude between the voice's two excitation levels, so a soft
    // note is also a darker, breathier one; the output then scales with velocity/127 divided by
    // that excitation, so loudness follows velocity even where a blown or bowed model saturates.
    const double v = velocity / 127.0;
    const double excitation = voice.excitationSoft + (voice.excitationLoud - voice.excitationSoft) * v;
    const double gain = std::pow(10.0, voice.gainDb / 20.0) * v / excitation;
    try {
        // Declared before the lock, so it is destroyed (taking the lock itself) after the lock is
        // released, on every path.
        Instrument instrument;
        std::unique_lock<std::mutex> lock(stkLock());
        instrument.reset(factory->second().release());
        for (const auto& [number, value] : voice.controls)
            instrument->controlChange(number, value);
        std::srand(noteSeed(voice, pitch, velocity));
        instrument->noteOn(midiHz(pitch) * voice.frequencyScale, excitation);
        for (const auto& [number, value] : voice.controlsAfterNoteOn)
            instrument->controlChange(number, value);
        if (!drawsNoiseWhilePlaying(voice.model))
            lock.unlock();
        for (int i = 0; i < kRenderFrames; ++i) {
            if (i == NoteRenderer::kNoteOffFrame)
                instrument->noteOff(voice.releaseVelocity);
            d.mono[std::size_t(i)] = float(gain * instrument->tick());
        }
    } catch (stk::StkError& error) {  // not const: StkError::getMessage() is not a const member
        return makeError(ErrorCode::Internal, "STK failed on voice " + voice.id + ": " + error.getMessage());
    }
    return d.finisher->finish(d.mono);
}

} // namespace ts::synth
