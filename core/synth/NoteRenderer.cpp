#include "synth/NoteRenderer.h"

#include <algorithm>
#include <optional>

#include "synth/detail/LoadedSoundFontImpl.h"
#include "synth/NoteFinisher.h"

namespace ts::synth {

namespace {

constexpr int kRenderFrames = NoteFinisher::kRenderFrames;
// FluidSynth renders in 64-frame blocks internally; bigger calls only save call overhead.
constexpr int kBlockFrames = 4096;
static_assert(NoteRenderer::kNoteOffFrame % 64 == 0, "note-off must fall on a FluidSynth block boundary");

struct SynthDeleter {
    void operator()(fluid_synth_t* synth) const { delete_fluid_synth(synth); }
};

} // namespace

struct NoteRenderer::Impl {
    std::shared_ptr<const LoadedSoundFont> font;
    fluid_settings_t* settings = nullptr;
    std::optional<NoteFinisher> finisher;
    std::vector<float> left = std::vector<float>(kRenderFrames);
    std::vector<float> right = std::vector<float>(kRenderFrames);
    std::vector<float> mono = std::vector<float>(kRenderFrames);

    ~Impl()
    {
        if (settings)
            delete_fluid_settings(settings);
    }
};

NoteRenderer::NoteRenderer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
NoteRenderer::NoteRenderer(NoteRenderer&&) noexcept = default;
NoteRenderer& NoteRenderer::operator=(NoteRenderer&&) noexcept = default;
NoteRenderer::~NoteRenderer() = default;

Result<NoteRenderer> NoteRenderer::create(std::shared_ptr<const LoadedSoundFont> font)
{
    auto impl = std::make_unique<Impl>();
    impl->font = std::move(font);
    // Each renderer has its own settings: new_fluid_synth registers callbacks in the settings
    // object, which must not be shared between threads creating synths at the same time.
    impl->settings = new_fluid_settings();
    if (!impl->settings)
        return makeError(ErrorCode::Internal, "FluidSynth could not create its settings");
    fluid_settings_setnum(impl->settings, "synth.sample-rate", double(kInternalRate));
    fluid_settings_setint(impl->settings, "synth.reverb.active", 0);
    fluid_settings_setint(impl->settings, "synth.chorus.active", 0);
    fluid_settings_setnum(impl->settings, "synth.gain", 1.0);
    fluid_settings_setint(impl->settings, "synth.dynamic-sample-loading", 0);
    fluid_settings_setint(impl->settings, "synth.cpu-cores", 1);
    // A note starts a handful of voices (stereo pairs, velocity layers); 64 is far above that
    // and makes each fresh synth cheaper to create than the default 256.
    fluid_settings_setint(impl->settings, "synth.polyphony", 64);
    fluid_settings_setint(impl->settings, "synth.threadsafe-api", 0);

    auto finisher = NoteFinisher::create();
    if (!finisher)
        return finisher.error();
    impl->finisher.emplace(std::move(*finisher));
    return NoteRenderer(std::move(impl));
}

Result<RenderedNote> NoteRenderer::render(int bank, int program, int pitch, int velocity)
{
    Impl& d = *m_impl;
    const LoadedSoundFont::Impl& font = d.font->impl();
    fluid_preset_t* preset = font.preset(bank, program);
    if (!preset)
        return makeError(ErrorCode::InvalidArgument,
                         "the SoundFont has no preset " + std::to_string(bank) + ":" + std::to_string(program),
                         d.font->path());
    if (pitch < 0 || pitch > 127 || velocity < 1 || velocity > 127)
        return makeError(ErrorCode::InvalidArgument, "pitch must be 0-127 and velocity 1-127");

    std::unique_ptr<fluid_synth_t, SynthDeleter> synth(new_fluid_synth(d.settings));
    if (!synth)
        return makeError(ErrorCode::Internal, "FluidSynth could not create a synthesizer");
    fluid_synth_set_interp_method(synth.get(), -1, FLUID_INTERP_7THORDER);
    // fluid_synth_start plays the shared preset on channel 0 without selecting it on the
    // channel, so no note synth ever adds, selects or removes the shared font (which would
    // change its reference counts from several threads). Channel 0 keeps the GM defaults
    // (CC7 = 100, CC11 = 127, default modulators).
    {
        std::lock_guard<std::mutex> lock(font.startMutex);
        if (fluid_synth_start(synth.get(), 1, preset, 0, 0, pitch, velocity) != FLUID_OK)
            return makeError(ErrorCode::Internal, "FluidSynth could not start the note");
    }

    int pos = 0;
    while (pos < kRenderFrames) {
        if (pos == kNoteOffFrame)
            fluid_synth_noteoff(synth.get(), 0, pitch);
        // Once every voice has ended the synth only outputs zeros (no reverb/chorus tails):
        // fill them in instead of computing them. Same bytes, far fewer cycles for short notes.
        if (fluid_synth_get_active_voice_count(synth.get()) == 0) {
            std::fill(d.left.begin() + pos, d.left.end(), 0.0f);
            std::fill(d.right.begin() + pos, d.right.end(), 0.0f);
            break;
        }
        int n = std::min(kBlockFrames, kRenderFrames - pos);
        if (pos < kNoteOffFrame)
            n = std::min(n, kNoteOffFrame - pos);
        if (fluid_synth_write_float(synth.get(), n, d.left.data(), pos, 1, d.right.data(), pos, 1) != FLUID_OK)
            return makeError(ErrorCode::Internal, "FluidSynth failed while rendering");
        pos += n;
    }
    if (pos == 0) {
        // No voice at all: the preset maps nothing to this key and velocity.
        RenderedNote note;
        note.samples.assign(std::size_t(kOutputFrames), 0.0f);
        return note;
    }
    synth.reset();

    for (int i = 0; i < kRenderFrames; ++i)
        d.mono[std::size_t(i)] = 0.5f * (d.left[std::size_t(i)] + d.right[std::size_t(i)]);

    return d.finisher->finish(d.mono);
}

} // namespace ts::synth
