// How long the spectrogram view takes to redraw a 4 s note (the goal: at most 30 ms), split into the
// analysis (display STFT, or log-mel) and the image render at a typical on-screen plot size, plus
// a zoomed-in render and a 10-minute file. Medians of --reps runs; prints
//   RESULT impl=app figure=ui.spectrogram.<what> value=<ms> unit=ms
// Run: build*/bin/bench_spectrogram_render [--reps 50] [--width 1200] [--height 420]
#include <QImage>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "ui/sound/SpectrogramRenderer.h"

using namespace ts::ui;

namespace {

// A plucked-string-like note: harmonics of 220 Hz decaying, with a little noise.
std::vector<float> note(std::size_t samples)
{
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.001f);
    std::vector<float> s(samples);
    for (std::size_t i = 0; i < samples; ++i) {
        const double t = double(i) / 16000.0;
        double v = 0.0;
        for (int h = 1; h <= 12; ++h)
            v += std::sin(2.0 * M_PI * 220.0 * h * std::fmod(t, 4.0)) / h;
        s[i] = float(0.4 * std::exp(-std::fmod(t, 4.0)) * v) + noise(rng);
    }
    return s;
}

double medianMs(int reps, const std::function<void()>& work)
{
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        const auto start = std::chrono::steady_clock::now();
        work();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

void report(const char* figure, double ms, const std::string& extra)
{
    std::printf("RESULT impl=app figure=ui.spectrogram.%s value=%.3f unit=ms %s\n", figure, ms, extra.c_str());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    int reps = 50;
    int width = 1200;
    int height = 420;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--reps"))
            reps = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--width"))
            width = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--height"))
            height = std::max(1, std::atoi(argv[i + 1]));
        else {
            std::fprintf(stderr, "usage: %s [--reps N] [--width W] [--height H]\n", argv[0]);
            return 2;
        }
    }
    const std::string size = "size=" + std::to_string(width) + "x" + std::to_string(height) + " reps=" + std::to_string(reps);
    const std::vector<float> samples = note(64000);
    const QSize image(width, height);
    SpectrogramRenderSettings settings;
    QImage sink;

    SpectrogramData data;
    report("stft_4s", medianMs(reps, [&] { data = SpectrogramData::fromStft(samples, 16000); }), size);
    SpectrogramRenderer renderer(data);
    for (FrequencyScale scale : {FrequencyScale::Linear, FrequencyScale::Logarithmic, FrequencyScale::Mel}) {
        settings.scale = scale;
        const std::string figure = "render_4s." + frequencyScaleName(scale).toLower().toStdString();
        report(figure.c_str(), medianMs(reps, [&] { sink = renderer.render(settings, image); }), size);
    }
    settings.scale = FrequencyScale::Linear;
    // The whole redraw when a note is selected: analysis and render.
    report("redraw_4s", medianMs(reps, [&] {
        SpectrogramRenderer r(SpectrogramData::fromStft(samples, 16000));
        sink = r.render(settings, image);
    }), size);
    report("redraw_4s_logmel", medianMs(reps, [&] {
        SpectrogramRenderer r(SpectrogramData::fromLogMel(samples, 16000));
        sink = r.render(settings, image);
    }), size);
    settings.startSeconds = 1.0;
    settings.endSeconds = 1.25;
    report("render_4s_zoomed", medianMs(reps, [&] { sink = renderer.render(settings, image); }), size);

    // A 10-minute file: the analysis uses a larger hop (8,192 frames at most); the render pools.
    const std::vector<float> longSamples = note(600 * 16000);
    SpectrogramData longData;
    const int longReps = std::max(1, reps / 10);
    const double longMs = medianMs(longReps, [&] { longData = SpectrogramData::fromStft(longSamples, 16000); });
    report("stft_600s", longMs, size + " frames=" + std::to_string(longData.levels.frames));
    settings = SpectrogramRenderSettings{};
    const SpectrogramRenderer longRenderer(std::move(longData));
    report("render_600s", medianMs(reps, [&] { sink = longRenderer.render(settings, image); }), size);
    return sink.isNull() ? 1 : 0;
}
