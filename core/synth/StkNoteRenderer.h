#pragma once
// Renders one note of one StkVoice (a Synthesis ToolKit physical or FM model with its settings) into
// the same RenderedNote a SoundFont note becomes: a fresh instrument per note, 48 kHz internally,
// note-on at sample 0, note-off at exactly 3.000 s, then NoteFinisher's 16 kHz low-pass, clip guard
// and silence test. Each note's samples depend only on (voice, pitch, velocity), whichever thread
// renders it and whatever else runs: see the comment on the STK lock in StkNoteRenderer.cpp.
// One StkNoteRenderer per worker thread.
#include <memory>

#include "synth/NoteRenderer.h"
#include "synth/StkVoiceTable.h"
#include "util/Result.h"

namespace ts::synth {

class StkNoteRenderer {
public:
    static constexpr const char* kRawwavePath = "/usr/share/stk/rawwaves/";

    // Errors: NotFound when STK's rawwaves (Debian package stk) are missing; Internal when libsoxr
    // cannot be set up.
    static Result<StkNoteRenderer> create();
    StkNoteRenderer(StkNoteRenderer&&) noexcept;
    StkNoteRenderer& operator=(StkNoteRenderer&&) noexcept;
    ~StkNoteRenderer();

    // Errors: InvalidArgument for an unknown model or a pitch/velocity out of MIDI range; Internal
    // when STK or libsoxr fail.
    Result<RenderedNote> render(const StkVoice& voice, int pitch, int velocity);

private:
    struct Impl;
    explicit StkNoteRenderer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::synth
