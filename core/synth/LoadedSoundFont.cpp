#include "synth/LoadedSoundFont.h"

#include <filesystem>
#include <mutex>
#include <string>

#include "synth/detail/LoadedSoundFontImpl.h"

namespace ts::synth {

namespace {

thread_local std::string t_firstError;

void captureLog(int level, const char* message, void*)
{
    // The first error of a failed load names the cause; later ones only say that loading failed.
    if (level <= FLUID_ERR && message && t_firstError.empty())
        t_firstError = message;
}

void installLogHandlers()
{
    static std::once_flag once;
    std::call_once(once, [] {
        fluid_set_log_function(FLUID_PANIC, captureLog, nullptr);
        fluid_set_log_function(FLUID_ERR, captureLog, nullptr);
        fluid_set_log_function(FLUID_WARN, nullptr, nullptr);
        fluid_set_log_function(FLUID_INFO, nullptr, nullptr);
        fluid_set_log_function(FLUID_DBG, nullptr, nullptr);
    });
}

} // namespace

std::string firstFluidSynthError() { return t_firstError; }
void clearFluidSynthError() { t_firstError.clear(); }

LoadedSoundFont::LoadedSoundFont() : m_impl(std::make_unique<Impl>()) {}

LoadedSoundFont::~LoadedSoundFont()
{
    if (m_impl->owner)
        delete_fluid_synth(m_impl->owner);  // also frees the font it loaded
    if (m_impl->settings)
        delete_fluid_settings(m_impl->settings);
}

bool LoadedSoundFont::hasPreset(int bank, int program) const
{
    return m_impl->preset(bank, program) != nullptr;
}

Result<std::shared_ptr<const LoadedSoundFont>> LoadedSoundFont::load(const std::string& path)
{
    installLogHandlers();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return makeError(ErrorCode::NotFound, "no such SoundFont file", path);

    std::shared_ptr<LoadedSoundFont> font(new LoadedSoundFont());
    font->m_path = path;
    Impl& impl = *font->m_impl;
    impl.settings = new_fluid_settings();
    if (!impl.settings)
        return makeError(ErrorCode::Internal, "FluidSynth could not create its settings", path);
    // Samples are all read at load time: dynamic loading would make note synths touch shared
    // state on every preset selection.
    fluid_settings_setint(impl.settings, "synth.dynamic-sample-loading", 0);
    fluid_settings_setint(impl.settings, "synth.reverb.active", 0);
    fluid_settings_setint(impl.settings, "synth.chorus.active", 0);
    fluid_settings_setint(impl.settings, "synth.polyphony", 16);
    impl.owner = new_fluid_synth(impl.settings);
    if (!impl.owner)
        return makeError(ErrorCode::Internal, "FluidSynth could not create a synthesizer", path);

    clearFluidSynthError();
    const int id = fluid_synth_sfload(impl.owner, path.c_str(), 0);
    if (id == FLUID_FAILED) {
        std::string why = firstFluidSynthError();
        return makeError(ErrorCode::BadFormat,
                         "FluidSynth cannot load it as a SoundFont" + (why.empty() ? std::string() : " (" + why + ")"),
                         path);
    }
    impl.font = fluid_synth_get_sfont_by_id(impl.owner, id);
    if (!impl.font)
        return makeError(ErrorCode::Internal, "FluidSynth lost the SoundFont it loaded", path);
    fluid_sfont_iteration_start(impl.font);
    while (fluid_preset_t* preset = fluid_sfont_iteration_next(impl.font))
        impl.presets[{fluid_preset_get_banknum(preset), fluid_preset_get_num(preset)}] = preset;
    if (impl.presets.empty())
        return makeError(ErrorCode::BadFormat, "the SoundFont holds no presets", path);
    return std::shared_ptr<const LoadedSoundFont>(std::move(font));
}

} // namespace ts::synth
