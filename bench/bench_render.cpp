// Rendering throughput of ts::synth (notes per second on 2 cores; the goal was >= 150).
// Our Python peer (bench/peer/) has no render counterpart, so the figure names are our own:
//   render.note_ms.t1        one note rendered in memory (fresh synth, 48 kHz, soxr), one thread
//   render.notes_per_s.tT    whole pipeline (plan, render, WAVs, JSON, rename) with T worker threads
//   render.load_s            loading the SoundFont
//   render.peak_rss          peak resident memory of this process
//   bench_render [--soundfont SF] [--notes N] [--threads 2,1] [--reps R]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "BenchArgs.h"
#include "synth/DatasetRenderer.h"
#include "synth/LoadedSoundFont.h"
#include "synth/NoteRenderer.h"
#include "synth/RenderPlan.h"
#include "synth/SoundFontIndex.h"

namespace fs = std::filesystem;

namespace {

struct Options {
    std::string soundFont = ts::synth::DatasetRenderer::kDefaultSoundFont;
    int notes = 400;
    std::vector<int> threads = {2, 1};
    int reps = 3;
};

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void result(const char* figure, double value, const char* unit, const std::string& extra = {})
{
    std::printf("RESULT impl=app figure=%s value=%.6g unit=%s%s\n", figure, value, unit, extra.c_str());
    std::fflush(stdout);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

std::string spread(const std::vector<double>& v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, " spread=%.4g..%.4g", *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
    return buf;
}

bool parse(int argc, char** argv, Options& o)
{
    const bool parsed = bench::Args()
                            .add("--soundfont", o.soundFont)
                            .add("--notes", o.notes)
                            .add("--reps", o.reps)
                            .add("--threads", o.threads)
                            .parse(argc, argv);
    if (!parsed || o.notes <= 0 || o.reps <= 0 || o.threads.empty() ||
        *std::min_element(o.threads.begin(), o.threads.end()) < 1) {
        std::fprintf(stderr, "usage: bench_render [--soundfont SF] [--notes N] [--threads 2,1] [--reps R]\n");
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    if (!parse(argc, argv, o))
        return 2;

    // One note at a time in memory: the cost of the recipe itself.
    const double t0 = now();
    auto font = ts::synth::LoadedSoundFont::load(o.soundFont);
    if (!font.ok()) {
        std::fprintf(stderr, "bench_render: %s\n", font.error().describe().c_str());
        return 1;
    }
    result("render.load_s", now() - t0, "s");
    auto index = ts::synth::SoundFontIndex::read(o.soundFont);
    ts::synth::RenderOptions planOptions;
    planOptions.count = o.notes;
    auto plan = index.ok() ? ts::synth::RenderPlan::make(*index, planOptions) : ts::Result<ts::synth::RenderPlan>(index.error());
    auto renderer = ts::synth::NoteRenderer::create(*font);
    if (!plan.ok() || !renderer.ok()) {
        std::fprintf(stderr, "bench_render: cannot plan or set up the renderer\n");
        return 1;
    }
    const std::size_t single = std::min<std::size_t>(plan->notes().size(), 100);
    std::vector<double> perNote;
    for (int rep = 0; rep < o.reps; ++rep) {
        const double start = now();
        for (std::size_t i = 0; i < single; ++i) {
            const auto& n = plan->notes()[i * plan->notes().size() / single];
            const auto& inst = plan->instruments()[n.instrumentIndex];
            if (!renderer->render(inst.bank, inst.program, n.pitch, n.velocity).ok())
                return 1;
        }
        perNote.push_back((now() - start) * 1000.0 / double(single));
    }
    result("render.note_ms.t1", median(perNote), "ms", spread(perNote) + " n=" + std::to_string(single));

    // The whole pipeline as `timbrescope render --count N --jobs T` runs it.
    const fs::path scratch = fs::temp_directory_path() / ("bench_render-" + std::to_string(::getpid()));
    for (unsigned threads : o.threads) {
        std::vector<double> rates;
        for (int rep = 0; rep < o.reps; ++rep) {
            std::error_code ec;
            fs::remove_all(scratch, ec);
            ts::synth::RenderRequest request;
            request.soundFont = o.soundFont;
            request.outFolder = (scratch / "set").string();
            request.options.count = o.notes;
            request.jobs = threads;
            const double start = now();
            auto summary = ts::synth::DatasetRenderer::render(request, {}, {});
            const double elapsed = now() - start;
            if (!summary.ok()) {
                std::fprintf(stderr, "bench_render: %s\n", summary.error().describe().c_str());
                fs::remove_all(scratch, ec);
                return 1;
            }
            rates.push_back(double(summary->notesWritten) / elapsed);
        }
        const std::string figure = "render.notes_per_s.t" + std::to_string(threads);
        result(figure.c_str(), median(rates), "notes/s", spread(rates) + " n=" + std::to_string(o.notes));
    }
    std::error_code ec;
    fs::remove_all(scratch, ec);

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    result("render.peak_rss", double(usage.ru_maxrss) / 1024.0, "MiB");
    return 0;
}
