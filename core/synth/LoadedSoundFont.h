#pragma once
// A SoundFont loaded into memory once and shared, read-only, by every NoteRenderer (one per
// worker thread). Loading FluidR3_GM takes ~0.4 s and ~150 MB, so it must not happen per note
// or per thread. FluidSynth types stay out of this header (Impl is in LoadedSoundFontImpl.h,
// which only core/synth sources include).
#include <memory>
#include <string>

#include "util/Result.h"

namespace ts::synth {

class LoadedSoundFont {
public:
    struct Impl;

    // Errors name the file: NotFound, BadFormat (FluidSynth refused it) with FluidSynth's reason.
    static Result<std::shared_ptr<const LoadedSoundFont>> load(const std::string& path);
    ~LoadedSoundFont();
    LoadedSoundFont(const LoadedSoundFont&) = delete;
    LoadedSoundFont& operator=(const LoadedSoundFont&) = delete;

    const std::string& path() const { return m_path; }
    bool hasPreset(int bank, int program) const;
    const Impl& impl() const { return *m_impl; }

private:
    LoadedSoundFont();
    std::string m_path;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::synth
