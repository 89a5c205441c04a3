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
    // Starting a voice bumps a plain reference count on the shared samples; starts are
    // serialised so concurrent renderers never race on it there.
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
