#include "synth/NoteFinisher.h"

#include <algorithm>
#include <cmath>
#include <soxr.h>
#include <string>

#include "synth/NoteRenderer.h"

namespace ts::synth {

static_assert(NoteFinisher::kRenderFrames == NoteRenderer::kOutputFrames * 3 + NoteFinisher::kTailFrames,
              "the render covers the 4 s output at 48 kHz plus the resampler's look-ahead");

struct NoteFinisher::Impl {
    soxr_t resampler = nullptr;
    std::vector<float> output = std::vector<float>(std::size_t(NoteRenderer::kOutputFrames) + 4096);

    ~Impl()
    {
        if (resampler)
            soxr_delete(resampler);
    }
};

NoteFinisher::NoteFinisher(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
NoteFinisher::NoteFinisher(NoteFinisher&&) noexcept = default;
NoteFinisher& NoteFinisher::operator=(NoteFinisher&&) noexcept = default;
NoteFinisher::~NoteFinisher() = default;

Result<NoteFinisher> NoteFinisher::create()
{
    auto impl = std::make_unique<Impl>();
    soxr_error_t error = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_VHQ | SOXR_LINEAR_PHASE, 0);
    const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);  // the worker pool is the parallelism
    impl->resampler = soxr_create(NoteRenderer::kInternalRate, NoteRenderer::kOutputRate, 1, &error, &io, &quality, &runtime);
    if (!impl->resampler || error)
        return makeError(ErrorCode::Internal, std::string("libsoxr could not be set up: ") + (error ? error : "unknown error"));
    return NoteFinisher(std::move(impl));
}

Result<RenderedNote> NoteFinisher::finish(const std::vector<float>& mono48k)
{
    constexpr int kOutputFrames = NoteRenderer::kOutputFrames;
    if (mono48k.size() != std::size_t(kRenderFrames))
        return makeError(ErrorCode::InvalidArgument, "a note to finish must hold " + std::to_string(kRenderFrames) + " samples at 48 kHz");
    Impl& d = *m_impl;

    // libsoxr removes its own filter delay: fed the whole signal and flushed, output sample n
    // is input time 3n (checked with an impulse in tst_NoteRenderer).
    soxr_clear(d.resampler);
    std::size_t used = 0, produced = 0, flushed = 0;
    soxr_error_t error = soxr_process(d.resampler, mono48k.data(), mono48k.size(), &used, d.output.data(), d.output.size(), &produced);
    if (!error && produced < d.output.size())
        error = soxr_process(d.resampler, nullptr, 0, nullptr, d.output.data() + produced, d.output.size() - produced, &flushed);
    if (error || produced + flushed < std::size_t(kOutputFrames))
        return makeError(ErrorCode::Internal, std::string("libsoxr failed: ") + (error ? error : "short output"));

    RenderedNote note;
    note.samples.assign(d.output.begin(), d.output.begin() + kOutputFrames);
    float peak = 0.0f;
    for (float x : note.samples)
        peak = std::max(peak, std::fabs(x));
    note.peakBeforeGuard = peak;
    if (peak > NoteRenderer::kClipCeiling) {
        // Only this note is scaled: loudness differences between notes stay as the generator made them.
        const float scale = float(NoteRenderer::kClipCeiling / peak);
        for (float& x : note.samples)
            x *= scale;
        note.clipGuardApplied = true;
    }
    double sumSquares = 0.0;
    for (float x : note.samples)
        sumSquares += double(x) * double(x);
    const double rms = std::sqrt(sumSquares / double(kOutputFrames));
    note.rmsDb = rms > 0.0 ? 20.0 * std::log10(rms) : -200.0;
    note.silent = note.rmsDb < NoteRenderer::kSilenceFloorDb;
    return note;
}

} // namespace ts::synth
