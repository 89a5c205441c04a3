#pragma once
// Private to core/synth: the FluidSynth objects behind LoadedSoundFont.
#include <fluidsynth.h>

#include <map>
#include <mutex>
#include <utility>

#include "synth/LoadedSoundFont.h"

namespace ts::synth {

struct LoadedSoundFont::Impl {
    fluid_settings_t* settings = nullptr;
    // The synth that loaded the font owns it; it never renders. Note synths borrow its presets.
    fluid_synth_t* owner = nullptr;
    fluid_sfont_t* font = nullptr;
    std::map<std::pair<int, int>, fluid_preset_t*> presets;  // (bank, program)
    // FluidSynth keeps a plain (non-atomic) reference count in each shared sample: a voice
    // increments it when it starts and decrements it when it ends. Starts are serialised here;
    // ends happen inside fluid_synth_write_float and cannot be, so two threads ending voices
    // of the same sample at the same instant can lose an update. With dynamic sample loading
    // off the count is only read when the font is freed: a wrong count makes FluidSynth keep
    // the font's memory instead of freeing it. It never changes the audio.
    mutable std::mutex startMutex;

    fluid_preset_t* preset(int bank, int program) const
    {
        auto it = presets.find({bank, program});
        return it == presets.end() ? nullptr : it->second;
    }
};

// FluidSynth prints its errors on stderr by default; Timbrescope reports errors itself. The
// first error message FluidSynth logged on this thread since the last clear (empty if none).
std::string firstFluidSynthError();
void clearFluidSynthError();

} // namespace ts::synth
