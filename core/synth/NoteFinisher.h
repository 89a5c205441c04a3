#pragma once
// Turns a note rendered at 48 kHz into the RenderedNote every generator delivers: libsoxr's
// very-high-quality linear-phase low-pass down to 16 kHz with its delay compensated (output sample
// n is time n/16000), 4 s exactly, a clip guard at 0.99 FS and the silence test. Shared by the
// SoundFont and the STK renderers so that their notes differ only in how they were synthesised.
// One NoteFinisher per renderer (it holds a libsoxr state); not for use from two threads at once.
#include <memory>
#include <vector>

#include "util/Result.h"

namespace ts::synth {

struct RenderedNote;

class NoteFinisher {
public:
    // Rendered past 4 s so that libsoxr's low-pass, which looks ahead ~2,000 input samples, sees
    // the real signal (not zeros) when it computes the last output samples.
    static constexpr int kTailFrames = 4096;
    // What a generator renders at 48 kHz: 4 s, then the tail above.
    static constexpr int kRenderFrames = 64000 * 3 + kTailFrames;

    // Errors: Internal when libsoxr cannot be set up.
    static Result<NoteFinisher> create();
    NoteFinisher(NoteFinisher&&) noexcept;
    NoteFinisher& operator=(NoteFinisher&&) noexcept;
    ~NoteFinisher();

    // mono48k holds kRenderFrames samples, note-on at sample 0. Errors: InvalidArgument for another
    // length, Internal if libsoxr fails.
    Result<RenderedNote> finish(const std::vector<float>& mono48k);

private:
    struct Impl;
    explicit NoteFinisher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::synth
