#pragma once
// The Synthesis ToolKit voices a dataset can render: one STK physical or FM model with the settings
// that make it one instrument (a soft-reed clarinet, a tuba-range brass, a marimba bar), the
// NSynth family it sounds like and why, and the range it plays in tune. Source is always
// synthetic: NSynth's word for "made by a synthesizer", whatever the model imitates.
#include <string>
#include <utility>
#include <vector>

#include "synth/GmInstrumentTable.h"

namespace ts::synth {

struct StkVoice {
    std::string id;     // stable: part of every note's name and of its noise seed
    std::string model;  // the STK class, e.g. "Clarinet"
    std::string name;   // for people, e.g. "STK Clarinet, soft reed, little breath"
    GmMapping mapping;  // tier Core, family, source synthetic, sounding range, why the family
    // STK controlChange(number, value 0..128), applied to the fresh instrument before its noteOn.
    std::vector<std::pair<int, double>> controls;
    // Applied right after noteOn, for settings noteOn's setFrequency() resets (Brass's lip tension
    // and slide length are recomputed from the frequency).
    std::vector<std::pair<int, double>> controlsAfterNoteOn;
    // The amplitude noteOn gets at velocity 0 and 127 (linear between): how hard the model is
    // blown, bowed or struck. Blown models stop speaking below a threshold, hence a floor.
    double excitationSoft = 0.6;
    double excitationLoud = 1.0;
    // noteOn gets the MIDI pitch's frequency times this: 1 except for models whose sounding pitch
    // is not their nominal one (PercFlut's lowest partial is 1.5 times its frequency).
    double frequencyScale = 1.0;
    double releaseVelocity = 0.5;  // noteOff's amplitude: how fast most STK models stop
    // Fixed output gain, measured so that a mid-range note at velocity 100 peaks near -10 dBFS
    // like a FluidR3 note; velocity still changes the level.
    double gainDb = 0.0;
};

// Every voice, in a fixed order (the order datasets list them).
const std::vector<StkVoice>& stkVoices();

} // namespace ts::synth
