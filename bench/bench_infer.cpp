// Single-file inference latency through the app's own path, ml::Predictor (as `timbrescope predict`
// and the prediction panel use it), next to our peer's bench/peer/infer_peer.py:
//   infer.<m>.total_ms.tT     family_cnn, timbre_net, seed_pair: decoded signal -> features -> forward -> scores
//                             (Predictor::predictSignal; the peer's total is torch.stft + forward)
//   infer.<m>.forward_ms.tT   source_cnn: the same call (raw-audio features are a copy; the peer
//                             times its forward alone)
//   infer.<m>.file_ms.tT      file path -> predictions (Predictor::predictFile: WAV decode included),
//   infer.<m>.file_mean_ms.tT  p50 and mean; no peer counterpart (the peer never decodes)
//   infer.<m>.phrase60_ms.tT  a 60 s phrase (120 notes, one every 0.5 s) -> its notes found and
//                             each classified, plus the file's answer (Predictor::predictSignal with
//                             segments); no peer counterpart
// The model (untrained weights from ml::TrainingStep) is written to a model file and loaded with
// Predictor::load; the input is a 4 s 16 kHz 16-bit WAV written to a temporary folder. Median of
// --n timed calls after --warmup untimed ones, spread min..max.
// seed_pair loads the seed's family CNN and source CNN into one Predictor (both targets per file).
//   bench_infer --model family_cnn|source_cnn|timbre_net|seed_pair [--n 50] [--warmup 5] [--threads 2]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <stdlib.h>

#include "BenchArgs.h"
#include "BenchReport.h"
#include "audio/AudioFile.h"
#include "ml/Device.h"
#include "ml/Predictor.h"
#include "ml/TrainingStep.h"

using namespace ts;

namespace {

int usage()
{
    std::fprintf(stderr, "usage: bench_infer --model family_cnn|source_cnn|timbre_net|seed_pair [--n 50] [--warmup 5] [--threads 2]\n");
    return 2;
}

// A note-like 4 s clip (harmonic tone, decay, a little noise), as the peer's test_clip (bench/peer/peer_common.py).
std::vector<float> testClip()
{
    std::vector<float> x(audio::kModelFrames);
    std::mt19937 rng(1234);
    std::normal_distribution<double> noise(0.0, 0.02);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / 16000.0;
        double s = 0.0;
        for (int h = 1; h < 8; ++h)
            s += 0.5 / h * std::sin(2.0 * M_PI * 261.63 * h * t + h);
        x[i] = float(std::exp(-1.5 * t) * s + noise(rng));
    }
    return x;
}

// A 60 s phrase: a note-like tone every 0.5 s (pitch walking a scale, levels varying by 6 dB), each
// decaying into the next, over a -60 dB noise floor.
std::vector<float> phraseClip(std::size_t& notes)
{
    const std::size_t total = 60 * 16000;
    std::vector<float> x(total, 0.0f);
    std::mt19937 rng(99);
    std::normal_distribution<double> noise(0.0, 0.001);
    const int scale[] = {0, 2, 4, 5, 7, 9, 11, 12};
    notes = 0;
    for (std::size_t at = 0; at < total; at += 8000, ++notes) {
        const double hz = 220.0 * std::pow(2.0, scale[notes % 8] / 12.0);
        const double amplitude = notes % 3 == 0 ? 0.4 : 0.2;
        for (std::size_t i = 0; i < 16000 && at + i < total; ++i) {
            const double t = double(i) / 16000.0;
            double s = 0.0;
            for (int h = 1; h < 6; ++h)
                s += std::sin(2.0 * M_PI * hz * h * t) / h;
            x[at + i] += float(amplitude * std::min(1.0, t / 0.005) * std::exp(-4.0 * t) * s);
        }
    }
    for (float& v : x)
        v += float(noise(rng));
    return x;
}

template <typename Call>
bool timeCalls(int warmup, int n, std::vector<double>& ms, Call call)
{
    for (int i = 0; i < warmup + n; ++i) {
        const double t0 = bench::now();
        auto prediction = call();
        const double dt = bench::now() - t0;
        if (!prediction) {
            std::fprintf(stderr, "%s\n", prediction.error().describe().c_str());
            return false;
        }
        if (!prediction->family && !prediction->source)
            return false;
        if (i >= warmup)
            ms.push_back(dt * 1e3);
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    std::string model;
    int n = 50, warmup = 5, threads = 2;
    if (!bench::Args().add("--model", model).add("--n", n).add("--warmup", warmup).add("--threads", threads).parse(argc, argv))
        return usage();
    // seed_pair: the seed's family CNN and source CNN together (Predictor with two model files),
    // the app's way to get both targets from the seed's models.
    const std::vector<std::string> architectures = model == "family_cnn" ? std::vector<std::string>{"seed-cnn2d"}
                                                 : model == "source_cnn" ? std::vector<std::string>{"seed-cnn1d"}
                                                 : model == "timbre_net" ? std::vector<std::string>{"timbre-net"}
                                                 : model == "seed_pair"  ? std::vector<std::string>{"seed-cnn2d", "seed-cnn1d"}
                                                                         : std::vector<std::string>{};
    if (architectures.empty() || n < 1 || warmup < 0 || threads < 1)
        return usage();

    char folderTemplate[] = "/tmp/timbrescope-bench-infer-XXXXXX";
    if (!mkdtemp(folderTemplate)) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string folder = folderTemplate;
    const std::string wavPath = folder + "/note.wav";
    std::vector<std::string> modelPaths;
    std::string architecture;  // for the RESULT lines
    int rc = 1;
    [&] {
        for (const auto& id : architectures) {
            ml::TrainingOptions options;
            options.architecture = id;
            options.seed = 0;
            options.threads = threads;
            auto step = ml::TrainingStep::create(options);
            if (!step) {
                std::fprintf(stderr, "%s\n", step.error().describe().c_str());
                return;
            }
            modelPaths.push_back(folder + "/" + id + ".tsm");
            if (auto s = ml::saveModelFile(modelPaths.back(), step->modelFile()); !s) {
                std::fprintf(stderr, "%s\n", s.error().describe().c_str());
                return;
            }
            architecture += (architecture.empty() ? "" : "+") + id;
        }
        const std::vector<float> clip = testClip();
        if (auto s = audio::writeWav16(wavPath, clip, 16000); !s) {
            std::fprintf(stderr, "%s\n", s.error().describe().c_str());
            return;
        }
        auto predictor = ml::Predictor::load(modelPaths);
        if (!predictor) {
            std::fprintf(stderr, "%s\n", predictor.error().describe().c_str());
            return;
        }
        ml::configureCpuRuntime(threads);  // after loading, which applies the default (all cores)
        auto decoded = audio::loadAudio(wavPath);
        if (!decoded) {
            std::fprintf(stderr, "%s\n", decoded.error().describe().c_str());
            return;
        }
        std::vector<double> signalMs, fileMs, phraseMs;
        if (!timeCalls(warmup, n, signalMs, [&] { return predictor->predictSignal(decoded->samples); }) ||
            !timeCalls(warmup, n, fileMs, [&] { return predictor->predictFile(wavPath); }))
            return;
        std::size_t notes = 0;
        const std::vector<float> phrase = phraseClip(notes);
        std::size_t segments = 0;
        const int phraseRuns = std::max(3, n / 10);
        if (!timeCalls(1, phraseRuns, phraseMs, [&] {
                auto p = predictor->predictSignal(phrase);
                if (p)
                    segments = p->segments.size();
                return p;
            }))
            return;
        const std::string tag = ".t" + std::to_string(threads);
        const std::string extra = " n=" + std::to_string(n) + " threads=" + std::to_string(threads) + " arch=" + architecture;
        const std::string signalFigure = model == "source_cnn" ? "forward_ms" : "total_ms";
        bench::result("infer." + model + "." + signalFigure + tag, bench::median(signalMs), "ms",
                      bench::spread(signalMs) + extra + " mean=" + bench::format(bench::mean(signalMs)) +
                          " path=Predictor::predictSignal");
        bench::result("infer." + model + ".file_ms" + tag, bench::median(fileMs), "ms",
                      bench::spread(fileMs) + extra + " mean=" + bench::format(bench::mean(fileMs)) +
                          " path=Predictor::predictFile_4s_16k_wav");
        bench::result("infer." + model + ".file_mean_ms" + tag, bench::mean(fileMs), "ms", extra.substr(1));
        bench::result("infer." + model + ".phrase60_ms" + tag, bench::median(phraseMs), "ms",
                      bench::spread(phraseMs) + " n=" + std::to_string(phraseRuns) + " threads=" + std::to_string(threads) +
                          " arch=" + architecture + " notes=" + std::to_string(notes) + " segments=" +
                          std::to_string(segments) + " path=Predictor::predictSignal_60s_phrase");
        rc = 0;
    }();
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
    return rc;
}
