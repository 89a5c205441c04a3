// fuzz_seeds: writes the seed corpora of fuzz/corpus/NAME/ with the program's own writers (and
// libsndfile for the audio formats the program reads but never writes), so each seed is a file the
// program makes or meets, and the fuzzer starts from every format path. Deterministic: running it
// again writes the same bytes.
// Usage: fuzz_seeds CORPUS_DIR   (the source tree's fuzz/corpus; existing seeds are overwritten)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <sndfile.h>

#include "FuzzSupport.h"
#include "audio/AudioFile.h"
#include "common/TinySoundFont.h"
#include "dataset/Dataset.h"
#include "dataset/FeatureCache.h"
#include "ml/ModelFile.h"
#include "synth/GeneratorCatalogue.h"
#include "synth/RenderManifest.h"
#include "synth/RenderPlan.h"
#include "synth/SoundFontIndex.h"

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what)
{
    std::fprintf(stderr, "fuzz_seeds: %s\n", what.c_str());
    std::exit(1);
}

void put(const fs::path& path, const std::string& bytes)
{
    fs::create_directories(path.parent_path());
    ts::fuzz::writeFile(path.string(), bytes);
    std::printf("%s (%zu bytes)\n", path.c_str(), bytes.size());
}

std::string readAll(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Interleaved frames of a decaying tone, a different pitch per channel.
std::vector<float> tone(int channels, int frames, int rate)
{
    const double pi = 3.14159265358979323846;
    std::vector<float> samples(std::size_t(channels) * std::size_t(frames));
    for (int i = 0; i < frames; ++i)
        for (int c = 0; c < channels; ++c)
            samples[std::size_t(i) * std::size_t(channels) + std::size_t(c)] =
                float(0.6 * std::exp(-3.0 * i / frames) * std::sin(2.0 * pi * 440.0 * (c + 1) * i / rate));
    return samples;
}

void writeSound(const fs::path& path, int format, int channels, int rate, const std::vector<float>& frames)
{
    fs::create_directories(path.parent_path());
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!file)
        fail(path.string() + ": " + sf_strerror(nullptr));
    const sf_count_t count = sf_count_t(frames.size() / std::size_t(channels));
    if (sf_writef_float(file, frames.data(), count) != count)
        fail(path.string() + ": " + sf_strerror(file));
    sf_close(file);
    std::printf("%s (%ju bytes)\n", path.c_str(), std::uintmax_t(fs::file_size(path)));
}

// Every format path loadAudio takes: 16-bit mono at 16 kHz (the fast path, no resampling), other
// integer widths, float (with a NaN and an infinity to replace), lossless and lossy compression,
// AIFF, several channels to mix down, and rates to resample.
void audioSeeds(const fs::path& dir)
{
    fs::create_directories(dir);
    std::vector<float> mono16k = tone(1, 800, 16000);
    if (auto s = ts::audio::writeWav16((dir / "wav-pcm16-mono-16k.wav").string(), mono16k, 16000); !s)
        fail(s.error().describe());
    std::printf("%s (%ju bytes)\n", (dir / "wav-pcm16-mono-16k.wav").c_str(),
                std::uintmax_t(fs::file_size(dir / "wav-pcm16-mono-16k.wav")));
    writeSound(dir / "wav-pcm24-stereo-44k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 2, 44100, tone(2, 500, 44100));
    writeSound(dir / "wav-pcm32-mono-22k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 1, 22050, tone(1, 500, 22050));
    writeSound(dir / "wav-u8-mono-8k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 1, 8000, tone(1, 800, 8000));
    std::vector<float> withNonFinite = tone(2, 400, 48000);
    withNonFinite[10] = std::numeric_limits<float>::quiet_NaN();
    withNonFinite[21] = std::numeric_limits<float>::infinity();
    writeSound(dir / "wav-float-stereo-48k-nan.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 48000, withNonFinite);
    writeSound(dir / "wav-float-mono-16k.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, tone(1, 400, 16000));
    writeSound(dir / "wavex-pcm16-4ch-32k.wav", SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, 4, 32000, tone(4, 200, 32000));
    writeSound(dir / "flac-16-mono-16k.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 16000, tone(1, 1600, 16000));
    writeSound(dir / "flac-24-stereo-96k.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 2, 96000, tone(2, 1000, 96000));
    writeSound(dir / "ogg-vorbis-mono-16k.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, 16000, tone(1, 1600, 16000));
    writeSound(dir / "aiff-pcm16-stereo-11k.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 2, 11025, tone(2, 500, 11025));
}

// A plan of kSeedRenderNotes notes from the tiny SoundFont of the tests and the STK voices, named
// as if the font were installed (the manifests name generators and files, not scratch paths).
ts::synth::RenderPlan seedPlan(const std::string& scratch)
{
    const std::string font = scratch + "/TinyFont.sf2";
    ts::fuzz::writeFile(font, ts::test::tinySoundFontBytes());
    auto index = ts::synth::SoundFontIndex::read(font);
    if (!index)
        fail(index.error().describe());
    auto stk = ts::synth::readCatalogue(ts::synth::stkGenerator(), false);
    if (!stk)
        fail(stk.error().describe());
    const auto generator = ts::synth::soundFontGenerator("/usr/share/sounds/sf2/TinyFont.sf2");
    ts::synth::RenderOptions options;
    options.count = ts::fuzz::kSeedRenderNotes;
    options.seed = 7;
    auto plan = ts::synth::RenderPlan::make({ts::synth::catalogueOf(generator, *index), *stk}, options);
    if (!plan)
        fail(plan.error().describe());
    return std::move(plan).value();
}

std::vector<ts::synth::RenderedEntry> writtenEntries(const ts::synth::RenderPlan& plan)
{
    std::vector<ts::synth::RenderedEntry> entries;
    for (const auto& note : plan.notes())
        entries.push_back({note, true, false});
    return entries;
}

ts::ml::ModelFile seedModel(bool calibrated)
{
    ts::ml::ModelFile file;
    ts::ml::ModelMetadata& m = file.metadata;
    m.architecture = "timbre-net";
    m.targets = {"family", "source"};
    m.labels = {{"family", {"bass", "brass", "flute"}}, {"source", {"acoustic", "electronic", "synthetic"}}};
    m.featureKind = "logmel";
    m.featureKey = ts::fuzz::smallFeatureSettings().key();
    m.dataPath = "/home/user/.local/share/timbrescope/datasets/default";
    m.dataFingerprint = "0123456789abcdef";
    m.split = "seed";
    m.seed = 42;
    m.epochs = 2;
    m.bestEpoch = 2;
    for (int e = 1; e <= 2; ++e) {
        ts::ml::EpochRecord r;
        r.epoch = e;
        r.loss = 1.5 / e;
        r.accuracy = {{"family", 0.4 * e}, {"source", 0.45 * e}};
        r.validationLoss = 1.7 / e;
        r.validationAccuracy = {{"family", 0.35 * e}, {"source", 0.4 * e}};
        r.seconds = 3.25;
        r.samplesPerSecond = 812.5;
        m.history.push_back(r);
    }
    m.finalMetrics = {{"test_family_accuracy", 0.71}, {"test_family_ece", 0.04}};
    m.libraryVersions = {{"libtorch", "1.13.1"}, {"timbrescope", "0.1.0"}};
    if (calibrated) {
        m.dataNotesFingerprint = "fedcba9876543210";
        m.calibration = {{"family", {1.3, 0.08, 0.02, 120}}, {"source", {0.9, 0.05, 0.03, 120}}};
        file.weights = std::string("\x50\x4b\x03\x04 weights", 12);
        file.resumeState = "adam state";
    }
    return file;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const fs::path corpus = argv[1];
    const ts::fuzz::ScratchFolder scratch;
    // The feature computation keeps FFTW wisdom in the cache folder: keep it in the scratch one.
    ::setenv("XDG_CACHE_HOME", (scratch.path() + "/xdg-cache").c_str(), 1);

    audioSeeds(corpus / "audio");

    const std::string data = scratch.path() + "/data";
    ts::fuzz::writeTwoNoteDataset(data);
    put(corpus / "examples_json" / "two-notes.json", readAll(data + "/examples.json"));
    const ts::synth::RenderPlan plan = seedPlan(scratch.path());
    const auto entries = writtenEntries(plan);
    put(corpus / "examples_json" / "rendered.json", ts::synth::RenderManifest::examplesJson(plan, entries));
    put(corpus / "render_manifest" / "instruments.json",
        ts::synth::RenderManifest::instrumentsJson(plan, entries, ts::fuzz::kSeedRecipe));

    put(corpus / "model_file" / "calibrated.tsmodel", ts::ml::encodeModelFile(seedModel(true)));
    put(corpus / "model_file" / "calibrated-metadata.json", ts::ml::metadataToJson(seedModel(true).metadata));
    put(corpus / "model_file" / "uncalibrated-metadata.json", ts::ml::metadataToJson(seedModel(false).metadata));

    auto dataset = ts::dataset::Dataset::load(data);
    if (!dataset)
        fail(dataset.error().describe());
    const ts::dataset::FeatureCache cache(scratch.path() + "/cache");
    const auto settings = ts::fuzz::smallFeatureSettings();
    if (auto features = cache.load(*dataset, settings, {}, {}, 1); !features)
        fail(features.error().describe());
    put(corpus / "feature_cache" / "two-notes-logmel.bin", readAll(cache.cachePath(*dataset, settings)));

    put(corpus / "soundfont_index" / "tiny.sf2", ts::test::tinySoundFontBytes());
    return 0;
}
