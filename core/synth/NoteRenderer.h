#pragma once
// Renders one note of one preset the way that proved reliable: a fresh
// FluidSynth synth per note (a reused one carries the previous note's gain into the next), 48 kHz
// internally with 7th-order interpolation, reverb and chorus off, gain 1.0, note-off at exactly
// 3.000 s, mono (L+R)/2, then libsoxr's very-high-quality linear-phase low-pass down to 16 kHz
// with its delay compensated (output sample n is time n/16000), and a clip guard at 0.99 FS.
// One NoteRenderer per worker thread; they share one LoadedSoundFont.
#include <cstdint>
#include <memory>
#include <vector>

#include "synth/LoadedSoundFont.h"
#include "util/Result.h"

namespace ts::synth {

struct RenderedNote {
    std::vector<float> samples;  // kOutputFrames at kOutputRate, within ±kClipCeiling
    double rmsDb = -200.0;       // over the whole 4 s, after the clip guard
    double peakBeforeGuard = 0.0;
    bool clipGuardApplied = false;
    bool silent = true;          // rmsDb below kSilenceFloorDb: the preset does not play this key
};

class NoteRenderer {
public:
    static constexpr int kInternalRate = 48000;
    static constexpr int kOutputRate = 16000;
    static constexpr int kOutputFrames = 64000;        // 4 s
    static constexpr int kNoteOffFrame = 3 * kInternalRate;  // note-off at exactly 3.000 s
    static constexpr double kClipCeiling = 0.99;
    static constexpr double kSilenceFloorDb = -80.0;

    // Errors: Internal when FluidSynth or libsoxr cannot be set up.
    static Result<NoteRenderer> create(std::shared_ptr<const LoadedSoundFont> font);
    NoteRenderer(NoteRenderer&&) noexcept;
    NoteRenderer& operator=(NoteRenderer&&) noexcept;
    ~NoteRenderer();

    // Errors: InvalidArgument for a preset the SoundFont lacks or a pitch/velocity out of MIDI
    // range; Internal if FluidSynth or libsoxr fail.
    Result<RenderedNote> render(int bank, int program, int pitch, int velocity);

private:
    struct Impl;
    explicit NoteRenderer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::synth
