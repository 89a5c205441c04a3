#include "synth/DatasetRenderer.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <chrono>
#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <functional>
#include <optional>
#include <thread>

#include "audio/AudioFile.h"
#include "synth/LoadedSoundFont.h"
#include "synth/NoteRenderer.h"
#include "synth/RenderManifest.h"
#include "synth/SoundFontIndex.h"
#include "synth/StkNoteRenderer.h"
#include "synth/StkVoiceTable.h"
#include "util/AppPaths.h"
#include "util/AtomicFile.h"
#include "util/FileLock.h"
#include "util/FolderSwap.h"
#include "util/StaleTemporaries.h"

namespace ts::synth {

namespace fs = std::filesystem;

namespace {

struct Outcome {
    bool silent = false;
    bool clipGuarded = false;
};

// Whether the output folder already holds what this request would make: a finished render of
// the same recipe, kept as it is unless the request asks for a new render.
bool holdsThisRender(const fs::path& out, const RenderRequest& request, const std::string& recipe, std::size_t* notes)
{
    return request.reuseFinished && RenderManifest::isComplete(out.string(), recipe, notes);
}

// Checks the output folder: it may be missing or an empty folder; a non-empty one only when
// replacing is allowed; never a file.
Status checkOutFolder(const fs::path& out, bool replaceExisting)
{
    std::error_code ec;
    const auto status = fs::status(out, ec);
    if (!fs::exists(status))
        return {};
    if (!fs::is_directory(status))
        return makeError(ErrorCode::WriteFailed, "exists and is not a folder", out.string());
    if (!replaceExisting && !fs::is_empty(out, ec))
        return makeError(ErrorCode::WriteFailed, "already exists and is not empty; choose a new folder", out.string());
    return {};
}

// What a render that found its folder already made reports (no note rendered now).
RenderSummary finishedRenderSummary(const fs::path& out, std::size_t notes, std::chrono::steady_clock::time_point started)
{
    RenderSummary summary;
    summary.folder = out.string();
    summary.reused = true;
    summary.notesWritten = notes;
    summary.notesRequested = notes;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

// An error about a file in the temporary folder (a full disk) names the file where the user
// asked for it: the temporary folder is gone by the time the message is read.
Error namedInPlace(Error error, const fs::path& temp, const fs::path& out)
{
    const std::string prefix = temp.string() + "/";
    if (error.path.rfind(prefix, 0) == 0)
        error.path = (out / error.path.substr(prefix.size())).string();
    return error;
}

std::string waitingMessage(long pid, const fs::path& out)
{
    return "waiting for another Timbrescope" + (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string())
        + " rendering " + out.string();
}

// One worker's instrument player for the generator being rendered: a FluidSynth renderer sharing
// the loaded SoundFont, or an STK renderer.
class NotePlayer {
public:
    virtual ~NotePlayer() = default;
    virtual Result<RenderedNote> render(const PlannedInstrument& instrument, int pitch, int velocity) = 0;
};

class SoundFontPlayer : public NotePlayer {
public:
    explicit SoundFontPlayer(NoteRenderer renderer) : m_renderer(std::move(renderer)) {}
    Result<RenderedNote> render(const PlannedInstrument& instrument, int pitch, int velocity) override
    {
        return m_renderer.render(instrument.bank, instrument.program, pitch, velocity);
    }

private:
    NoteRenderer m_renderer;
};

class StkPlayer : public NotePlayer {
public:
    explicit StkPlayer(StkNoteRenderer renderer) : m_renderer(std::move(renderer)) {}
    Result<RenderedNote> render(const PlannedInstrument& instrument, int pitch, int velocity) override
    {
        return m_renderer.render(stkVoices()[std::size_t(instrument.voice)], pitch, velocity);
    }

private:
    StkNoteRenderer m_renderer;
};

using PlayerFactory = std::function<Result<std::unique_ptr<NotePlayer>>()>;

class NoteBatch {
public:
    NoteBatch(const RenderPlan& plan, const std::vector<PlannedNote>& notes, const fs::path& audioFolder)
        : m_plan(plan), m_notes(notes), m_audio(audioFolder), m_outcomes(notes.size())
    {
    }

    // Renders every note on `jobs` threads. Each note is independent (own synth), so which
    // thread renders which note never changes the bytes.
    Status run(const PlayerFactory& makePlayer, unsigned jobs, const CancellationToken& cancel,
               const std::function<void(std::size_t)>& onProgress)
    {
        std::vector<std::thread> workers;
        const unsigned threads = unsigned(std::min<std::size_t>(jobs, std::max<std::size_t>(m_notes.size(), 1)));
        for (unsigned t = 0; t < threads; ++t)
            workers.emplace_back([this, &makePlayer, &cancel] { work(makePlayer, cancel); });
        for (;;) {
            bool finished = false;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                finished = m_wake.wait_for(lock, std::chrono::milliseconds(100), [&] { return m_finished == threads; });
            }
            onProgress(m_done.load());
            if (finished)
                break;
        }
        for (auto& w : workers)
            w.join();
        onProgress(m_done.load());
        if (m_error)
            return *m_error;
        if (cancel.isCancelled())
            return makeError(ErrorCode::Cancelled, "render cancelled");
        return {};
    }

    const std::vector<Outcome>& outcomes() const { return m_outcomes; }

private:
    void work(const PlayerFactory& makePlayer, const CancellationToken& cancel)
    {
        auto renderer = makePlayer();
        if (!renderer.ok())
            fail(renderer.error());
        while (renderer.ok() && !cancel.isCancelled() && !m_failed.load()) {
            const std::size_t i = m_next.fetch_add(1);
            if (i >= m_notes.size())
                break;
            const PlannedNote& note = m_notes[i];
            const PlannedInstrument& inst = m_plan.instruments()[note.instrumentIndex];
            auto rendered = (*renderer)->render(inst, note.pitch, note.velocity);
            if (!rendered.ok()) {
                fail(rendered.error());
                break;
            }
            m_outcomes[i].silent = rendered->silent;
            m_outcomes[i].clipGuarded = rendered->clipGuardApplied;
            if (!rendered->silent) {
                const fs::path wav = m_audio / (RenderPlan::noteStr(inst, note.pitch, note.velocity) + ".wav");
                if (auto st = audio::writeWav16(wav.string(), rendered->samples, NoteRenderer::kOutputRate); !st.ok()) {
                    fail(st.error());
                    break;
                }
            }
            m_done.fetch_add(1);
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_finished;
        m_wake.notify_all();
    }

    void fail(const Error& error)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_error)
            m_error = error;
        m_failed.store(true);
    }

    const RenderPlan& m_plan;
    const std::vector<PlannedNote>& m_notes;
    fs::path m_audio;
    std::vector<Outcome> m_outcomes;
    std::atomic<std::size_t> m_next{0};
    std::atomic<std::size_t> m_done{0};
    std::atomic<bool> m_failed{false};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    unsigned m_finished = 0;
    std::optional<Error> m_error;
};

} // namespace

Result<RenderSummary> DatasetRenderer::render(const RenderRequest& request, const CancellationToken& cancel,
                                              const ProgressSink& progress)
{
    const auto started = std::chrono::steady_clock::now();
    if (request.outFolder.empty())
        return makeError(ErrorCode::InvalidArgument, "no output folder given");
    const fs::path out = fs::absolute(request.outFolder).lexically_normal();
    const fs::path outPath = out.filename().empty() ? out.parent_path() : out;
    std::vector<SoundGenerator> generators = request.generators;
    if (generators.empty())
        generators.push_back(soundFontGenerator(request.soundFont));
    auto recipe = RenderManifest::recipe(generators, request.options);
    if (!recipe.ok())
        return recipe.error();
    // A first look, to refuse a folder in the way before waiting for the lock; the answer that
    // counts comes once the folder is locked.
    if (!holdsThisRender(outPath, request, *recipe, nullptr))
        if (auto st = checkOutFolder(outPath, request.replaceExisting); !st.ok())
            return st.error();

    std::error_code ec;
    const fs::path parent = outPath.parent_path();
    // Parent folders this render creates are removed again if it does not finish.
    fs::path firstCreated;
    for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path())
        firstCreated = p;
    TemporaryFolder createdParents(firstCreated);
    fs::create_directories(parent, ec);
    if (ec)
        return makeError(ErrorCode::WriteFailed, "cannot create the output folder's parent (" + ec.message() + ")", parent.string());
    // One render of a folder at a time, across processes (the GUI's first start and `render
    // --default` make the same one): a second waits here, then finds the set the first has made.
    // The lock dies with its holder, so a killed render never blocks the next.
    auto lock = FileLock::acquire((parent / ("." + outPath.filename().string() + ".lock")).string(), cancel, [&](long pid) {
        if (progress)
            progress(Progress{0, 0, waitingMessage(pid, outPath), true});
    });
    if (!lock.ok())
        return lock.error().code == ErrorCode::Cancelled ? makeError(ErrorCode::Cancelled, "render cancelled") : lock.error();
    std::size_t finishedNotes = 0;
    if (holdsThisRender(outPath, request, *recipe, &finishedNotes)) {
        createdParents.release();
        return finishedRenderSummary(outPath, finishedNotes, started);
    }
    if (auto st = checkOutFolder(outPath, request.replaceExisting); !st.ok())
        return st.error();

    // Every generator is checked (and the plan made) before anything is written but the lock file
    // and the parent folders, which go again when this returns early.
    std::vector<GeneratorCatalogue> catalogues;
    for (const SoundGenerator& generator : generators) {
        // Sample data is hashed only when another SoundFont could share it.
        auto catalogue = readCatalogue(generator, generators.size() > 1);
        if (!catalogue.ok())
            return catalogue.error();
        catalogues.push_back(std::move(*catalogue));
    }
    auto plan = RenderPlan::make(catalogues, request.options);
    if (!plan.ok())
        return plan.error();

    removeStaleTemporaries(parent.string());  // a killed earlier render's folder
    TemporaryFolder temp(temporarySiblingOf(outPath));
    fs::remove_all(temp.path(), ec);
    fs::create_directories(temp.path() / "audio", ec);
    if (ec)
        return makeError(ErrorCode::WriteFailed, "cannot write in this folder (" + ec.message() + ")", parent.string());

    const unsigned jobs = request.jobs > 0 ? request.jobs : std::max(1u, std::thread::hardware_concurrency());
    const std::size_t wanted = request.options.grid ? plan->notes().size() : request.options.count;
    std::vector<RenderedEntry> entries;
    std::size_t written = 0;
    for (std::size_t g = 0; g < generators.size(); ++g) {
        std::vector<PlannedNote> pending;
        for (const PlannedNote& note : plan->notes())
            if (plan->instruments()[note.instrumentIndex].generator == g)
                pending.push_back(note);
        if (pending.empty())
            continue;
        // One SoundFont in memory at a time (MuseScore_General_Full alone is 0.5 GB).
        std::shared_ptr<const LoadedSoundFont> font;
        if (generators[g].kind == GeneratorKind::SoundFont) {
            if (progress)
                progress(Progress{std::min(written, wanted), wanted, "loading " + generators[g].name});
            auto loaded = LoadedSoundFont::load(generators[g].path);
            if (!loaded.ok())
                return loaded.error();
            font = *loaded;
            for (const auto& inst : plan->instruments())
                if (inst.generator == g && !font->hasPreset(inst.bank, inst.program))
                    return makeError(ErrorCode::BadFormat,
                                     "FluidSynth does not see preset " + std::to_string(inst.bank) + ":"
                                         + std::to_string(inst.program) + " listed in the file",
                                     generators[g].path);
        }
        const PlayerFactory makePlayer = [&font]() -> Result<std::unique_ptr<NotePlayer>> {
            if (font) {
                auto r = NoteRenderer::create(font);
                if (!r.ok())
                    return r.error();
                return std::unique_ptr<NotePlayer>(new SoundFontPlayer(std::move(*r)));
            }
            auto r = StkNoteRenderer::create();
            if (!r.ok())
                return r.error();
            return std::unique_ptr<NotePlayer>(new StkPlayer(std::move(*r)));
        };
        const std::string status = "rendering " + generators[g].name;
        // Silent notes (keys a preset does not map) are replaced by another combination of the
        // same instrument in count mode; replacements are decided in plan order after each round,
        // so the result does not depend on which thread finished first.
        while (!pending.empty()) {
            NoteBatch batch(*plan, pending, temp.path() / "audio");
            auto st = batch.run(makePlayer, jobs, cancel, [&](std::size_t done) {
                if (progress)
                    progress(Progress{std::min(written + done, wanted), wanted, status});
            });
            if (!st.ok())
                return namedInPlace(st.error(), temp.path(), outPath);
            std::vector<PlannedNote> next;
            for (std::size_t i = 0; i < pending.size(); ++i) {
                const Outcome& o = batch.outcomes()[i];
                entries.push_back({pending[i], !o.silent, o.clipGuarded});
                if (!o.silent) {
                    ++written;
                } else if (!request.options.grid) {
                    if (auto replacement = plan->takeReplacement(pending[i].instrumentIndex, pending[i].pitch))
                        next.push_back(*replacement);
                }
            }
            pending = std::move(next);
        }
    }
    const std::string firstSource = generators.front().path.empty() ? generators.front().name : generators.front().path;
    if (written == 0)
        return makeError(ErrorCode::BadFormat, "every note rendered silent; the presets play nothing", firstSource);
    if (cancel.isCancelled())
        return makeError(ErrorCode::Cancelled, "render cancelled");

    if (auto st = writeFileAtomically((temp.path() / "examples.json").string(), RenderManifest::examplesJson(*plan, entries)); !st.ok())
        return namedInPlace(st.error(), temp.path(), outPath);
    if (auto st = writeFileAtomically((temp.path() / "instruments.json").string(),
                                      RenderManifest::instrumentsJson(*plan, entries, *recipe));
        !st.ok())
        return namedInPlace(st.error(), temp.path(), outPath);

    // An existing folder (only allowed when replacing) ends up in the temporary folder's place,
    // which `temp` then removes.
    if (auto st = moveFolderIntoPlace(temp.path(), outPath, parent); !st.ok())
        return st.error();
    createdParents.release();

    RenderSummary summary;
    summary.folder = outPath.string();
    summary.notesWritten = written;
    summary.notesRequested = request.options.grid ? written : wanted;
    summary.duplicatesLeftOut = plan->duplicates().size();
    std::vector<bool> used(plan->instruments().size(), false);
    std::vector<std::size_t> perGenerator(generators.size(), 0);
    for (const RenderedEntry& e : entries) {
        if (e.written) {
            ++perGenerator[plan->instruments()[e.note.instrumentIndex].generator];
            const auto& m = plan->instruments()[e.note.instrumentIndex].mapping;
            ++summary.cellCounts[std::size_t(m.family)][std::size_t(m.source)];
            used[e.note.instrumentIndex] = true;
        } else {
            ++summary.silentSkipped;
        }
        summary.clipGuarded += e.clipGuarded ? 1 : 0;
    }
    summary.instruments = std::size_t(std::count(used.begin(), used.end(), true));
    for (std::size_t g = 0; g < generators.size(); ++g)
        summary.generatorNotes.emplace_back(generators[g].name, perGenerator[g]);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

RenderRequest DatasetRenderer::defaultRequest()
{
    RenderRequest request;
    request.generators = installedGenerators();
    request.outFolder = defaultDatasetFolder();
    request.options.count = kDefaultCorpusCount;
    request.options.seed = kDefaultSeed;
    request.replaceExisting = true;
    return request;
}

bool DatasetRenderer::defaultDatasetIsCurrent(std::size_t* noteCount)
{
    const RenderRequest request = defaultRequest();
    auto recipe = RenderManifest::recipe(request.generators, request.options);
    return recipe.ok() && RenderManifest::isComplete(request.outFolder, *recipe, noteCount);
}

} // namespace ts::synth
