// `timbrescope render`: makes an NSynth-format dataset from General MIDI SoundFonts and/or the
// Synthesis ToolKit, or the default dataset (`--default`, every installed generator) that the GUI
// and the quick-start script rely on.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/Cli.h"
#include "dataset/Labels.h"
#include "synth/DatasetRenderer.h"
#include "synth/RenderManifest.h"
#include "util/AppPaths.h"

namespace ts::cli {

namespace {

// Ctrl-C / SIGTERM: the handler only stores to lock-free atomics (async-signal-safe); the
// workers see the token between notes and the renderer removes its temporary folder.
static_assert(std::atomic<bool>::is_always_lock_free, "the cancel flag must be lock-free for a signal handler");
const CancellationToken* g_cancelToken = nullptr;
std::atomic<int> g_signal{0};

extern "C" void onCancelSignal(int signal)
{
    g_signal.store(signal);
    if (g_cancelToken)
        g_cancelToken->cancel();
}

class SignalCancellation {
public:
    explicit SignalCancellation(const CancellationToken& token)
    {
        g_cancelToken = &token;
        struct sigaction action {};
        action.sa_handler = onCancelSignal;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &m_oldInt);
        sigaction(SIGTERM, &action, &m_oldTerm);
    }
    ~SignalCancellation()
    {
        sigaction(SIGINT, &m_oldInt, nullptr);
        sigaction(SIGTERM, &m_oldTerm, nullptr);
        g_cancelToken = nullptr;
    }

private:
    struct sigaction m_oldInt {};
    struct sigaction m_oldTerm {};
};

// Progress on stderr: one line rewritten in place on a terminal, otherwise a line per ~10 %
// (logs and CI output stay short).
class ProgressPrinter {
public:
    ProgressPrinter() : m_tty(::isatty(STDERR_FILENO) != 0) {}

    void operator()(const Progress& p)
    {
        if (p.notice) {
            finish();
            std::fprintf(stderr, "timbrescope: %s\n", p.status.c_str());
            std::fflush(stderr);
            return;
        }
        // The rate counts from the first report, i.e. once the SoundFont is loaded and notes flow.
        const auto now = std::chrono::steady_clock::now();
        if (!m_started) {
            m_started = true;
            m_start = now;
            m_firstDone = p.done;
        }
        const double seconds = std::chrono::duration<double>(now - m_start).count();
        const double rate = seconds > 0.0 ? double(p.done - m_firstDone) / seconds : 0.0;
        char line[160];
        if (rate > 0.0 && p.done < p.total)
            std::snprintf(line, sizeof line, "rendering: %zu / %zu notes, %.0f notes/s, ETA %.0f s", p.done, p.total, rate,
                          double(p.total - p.done) / rate);
        else
            std::snprintf(line, sizeof line, "rendering: %zu / %zu notes, %.0f notes/s", p.done, p.total, rate);
        if (m_tty) {
            std::fprintf(stderr, "\r%-78s", line);
            m_open = true;
        } else {
            const std::size_t tenth = p.total == 0 ? 10 : p.done * 10 / p.total;
            if (tenth > m_lastTenth || (p.done == p.total && !m_printedEnd)) {
                std::fprintf(stderr, "%s\n", line);
                m_lastTenth = tenth;
                m_printedEnd = p.done == p.total;
            }
        }
        std::fflush(stderr);
    }

    void finish()
    {
        if (m_open)
            std::fprintf(stderr, "\n");
        m_open = false;
    }

private:
    bool m_tty;
    bool m_open = false;
    bool m_printedEnd = false;
    bool m_started = false;
    std::size_t m_lastTenth = 0;
    std::size_t m_firstDone = 0;
    std::chrono::steady_clock::time_point m_start;
};

std::string describeSummary(const synth::RenderSummary& s)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << "Rendered " << s.notesWritten << " notes of " << s.instruments << " instruments into " << s.folder << " in "
        << s.seconds << " s (" << (s.seconds > 0 ? double(s.notesWritten) / s.seconds : 0.0) << " notes/s)";
    if (s.silentSkipped > 0)
        out << "; " << s.silentSkipped << " silent notes skipped";
    if (s.notesWritten < s.notesRequested)
        out << "; " << s.notesRequested - s.notesWritten << " fewer than asked, as some instruments ran out of keys that sound";
    if (s.duplicatesLeftOut > 0)
        out << "; " << s.duplicatesLeftOut << " duplicate presets left out";
    out << ".\n";
    if (s.generatorNotes.size() > 1) {
        out << "Generators:\n";
        for (const auto& [generator, notes] : s.generatorNotes)
            out << "  " << generator << ": " << notes << " notes\n";
    }
    out << "Families:\n";
    for (std::size_t f = 0; f < s.cellCounts.size(); ++f) {
        std::string cells;
        for (std::size_t src = 0; src < s.cellCounts[f].size(); ++src)
            if (s.cellCounts[f][src] > 0)
                cells += " " + std::string(dataset::kSourceNames[src]) + "=" + std::to_string(s.cellCounts[f][src]);
        if (!cells.empty())
            out << "  " << dataset::kFamilyNames[f] << ":" << cells << "\n";
    }
    return out.str();
}

int runRender(const Args& args)
{
    const std::string name = "render";
    const bool isDefault = args.has("--default");
    auto seed = args.integer("--seed", static_cast<long long>(synth::DatasetRenderer::kDefaultSeed));
    auto jobs = args.integer("--jobs", 0);
    auto count = args.integer("--count", static_cast<long long>(synth::DatasetRenderer::kDefaultCount));
    for (const auto* r : {&seed, &jobs, &count})
        if (!r->ok())
            return usageError(name, r->error().message);
    if (args.has("--jobs") && *jobs < 1)
        return usageError(name, "--jobs must be at least 1");
    if (*seed < 0)
        return usageError(name, "--seed must be 0 or more");
    if (args.has("--count") && args.has("--grid"))
        return usageError(name, "give either --count or --grid, not both");
    if (args.has("--force") && !isDefault)
        return usageError(name, "--force only applies to --default");
    if (!args.positionals().empty())
        return usageError(name, "unexpected argument '" + args.positionals().front() + "'");

    synth::RenderRequest request;
    if (isDefault) {
        for (const char* option : {"--soundfont", "--stk", "--all-generators", "--out", "--count", "--grid", "--seed",
                                   "--include-ambiguous"})
            if (args.has(option))
                return usageError(name, std::string("--default renders the fixed default set; it takes no ") + option);
        request = synth::DatasetRenderer::defaultRequest();
        auto recipe = synth::RenderManifest::recipe(request.generators, request.options);
        if (!recipe.ok())
            return fail(recipe.error());
        std::size_t notes = 0;
        if (!args.has("--force") && synth::RenderManifest::isComplete(request.outFolder, *recipe, &notes)) {
            std::cout << "The default dataset is already in place: " << request.outFolder << " (" << notes << " notes).\n";
            return kSuccess;
        }
    } else {
        const bool all = args.has("--all-generators");
        if ((!args.has("--soundfont") && !args.has("--stk") && !all) || !args.has("--out"))
            return usageError(name, "--out DIR and --soundfont SF, --stk or --all-generators are required (or use --default)");
        if (all && (args.has("--soundfont") || args.has("--stk")))
            return usageError(name, "--all-generators already includes every SoundFont and STK");
        if (args.has("--count") && *count < 1)
            return fail(makeError(ErrorCode::InvalidArgument, "--count must be at least 1"));
        if (all)
            request.generators = synth::installedGenerators();
        for (const std::string& font : args.values("--soundfont"))
            request.generators.push_back(synth::soundFontGenerator(font));
        if (args.has("--stk"))
            request.generators.push_back(synth::stkGenerator());
        request.outFolder = *args.value("--out");
        request.options.grid = args.has("--grid");
        request.options.count = std::size_t(*count);
        request.options.seed = std::uint64_t(*seed);
        request.options.includeAmbiguous = args.has("--include-ambiguous");
    }
    request.jobs = unsigned(*jobs);
    request.reuseFinished = !args.has("--force");

    CancellationToken cancel;
    SignalCancellation signals(cancel);
    ProgressPrinter printer;
    auto summary = synth::DatasetRenderer::render(request, cancel, [&](const Progress& p) { printer(p); });
    printer.finish();
    if (!summary.ok()) {
        if (summary.error().code == ErrorCode::Cancelled) {
            std::cerr << "timbrescope: render cancelled; nothing was written" << std::endl;
            // The shell convention for a process stopped by a signal: 128 + its number.
            return g_signal.load() != 0 ? 128 + g_signal.load() : kFailure;
        }
        return fail(summary.error());
    }
    if (summary->reused)
        std::cout << (isDefault ? "The default dataset" : "The dataset") << " is already in place: " << summary->folder << " ("
                  << summary->notesWritten << " notes).\n";
    else
        std::cout << describeSummary(*summary);
    return kSuccess;
}

Command makeRenderCommand()
{
    Command c;
    c.name = "render";
    c.synopsis = "--soundfont SF [--soundfont SF2 ...] [--stk] --out DIR [--count N | --grid] [--seed S] [--jobs J]\n"
                 "       [--include-ambiguous]\n"
                 "       timbrescope render --all-generators --out DIR [--count N] ...\n"
                 "       timbrescope render --default [--force] [--jobs J]";
    c.summary = "render an NSynth-format dataset from General MIDI SoundFonts and STK's instrument models";
    c.description =
        "Renders 4-second notes (note-off at 3 s) of the General MIDI presets of each SoundFont, and of the\n"
        "Synthesis ToolKit's physical and FM models with --stk, that map to an NSynth instrument family, as\n"
        "16-bit mono 16 kHz WAVs in audio/, with examples.json (NSynth's schema) and instruments.json (which\n"
        "generator and preset each instrument is, and why it has its labels). A preset of a later SoundFont that\n"
        "mostly plays an earlier one's sample data is left out. --count (default 4096) balances notes across\n"
        "families, instruments, pitches and NSynth's five velocities; --grid renders every instrument x pitch x\n"
        "velocity. The same generators and options give byte-identical files whatever --jobs is. The set is\n"
        "written to a temporary folder and renamed at the end: Ctrl-C, kill -9 or a full disk leave nothing\n"
        "behind. A folder that already holds this render (the same generators and options) is kept as it is.\n"
        "While another Timbrescope renders the same folder, render waits for it (saying so on stderr) and\n"
        "then keeps the set it made.\n"
        "--all-generators uses every generator installed: FluidR3_GM, MuseScore_General_Full, TimGM6mb,\n"
        "sf_GMbank, OPL-3 FM (synthetic) and STK (synthetic).\n"
        "--default renders the built-in default dataset (" + std::to_string(synth::DatasetRenderer::kDefaultCorpusCount)
        + " notes from every installed generator, fixed seed) into the\n"
        "application's data folder, and returns at once when it is already there (a set of an older recipe\n"
        "is rendered again).";
    c.options = {
        {"--soundfont", "SF", "a SoundFont (.sf2/.sf3) to render; repeat for several", true},
        {"--stk", "", "also render the Synthesis ToolKit's instrument models"},
        {"--all-generators", "", "every installed SoundFont and STK"},
        {"--out", "DIR", "the dataset folder to create (missing, empty, or holding this render already)"},
        {"--count", "N", "number of notes (default 4096)"},
        {"--grid", "", "every instrument x pitch x velocity instead of --count"},
        {"--seed", "S", "seed of the note choice (default 0)"},
        {"--jobs", "J", "worker threads (default: all cores)"},
        {"--include-ambiguous", "", "also use presets whose family is debatable (celesta, harp, sitar, ...)"},
        {"--default", "", "render the default dataset into " + defaultDatasetFolder()},
        {"--force", "", "with --default: render again even if it is already in place"},
    };
    c.order = 10;
    c.run = runRender;
    return c;
}

TS_REGISTER_COMMAND(makeRenderCommand);

} // namespace

} // namespace ts::cli
