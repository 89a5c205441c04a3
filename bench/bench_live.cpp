// Live listening (ml::LiveListener, what the Live tab runs) on a phrase built from a dataset's
// notes, next to our peer's bench/peer/live_peer.py:
//   live.first_answer_ms      from a note's true onset to its first answer (for an onset found within
//                             100 ms of it): the stream the listener had to hear before it found the
//                             onset, plus the time the feed call that answered took (p50; max, notes
//                             found and all onsets answered, true or not, in the extra fields)
//   live.answer_compute_ms    the time one answer takes (feed calls that answered, per answer; p50)
//   live.first_agrees         share of notes whose first answer's family is that of their last
//                             (held excerpt against the whole note; no peer counterpart)
// The phrase: --notes WAVs of the dataset (every k-th in name order, so all families come), 1.5 s
// of each with 0.5 s of silence between, fed in --block sample blocks as a sound card hands them.
//   bench_live --model MODEL --data DATASET [--notes 40] [--block 256] [--threads 1]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "BenchArgs.h"
#include "BenchReport.h"
#include "audio/AudioFile.h"
#include "ml/Device.h"
#include "ml/LiveListener.h"

using namespace ts;
namespace fs = std::filesystem;

namespace {

int usage()
{
    std::fprintf(stderr, "usage: bench_live --model MODEL --data DATASET [--notes 40] [--block 256] [--threads 1]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    std::string model, data;
    int notes = 40, block = 256, threads = 1;
    if (!bench::Args().add("--model", model).add("--data", data).add("--notes", notes).add("--block", block).add("--threads", threads).parse(argc, argv) ||
        model.empty() || data.empty() || notes < 1 || block < 1)
        return usage();
    std::vector<std::string> wavs;
    for (const auto& entry : fs::directory_iterator(fs::path(data) / "audio"))
        if (entry.path().extension() == ".wav")
            wavs.push_back(entry.path().string());
    std::sort(wavs.begin(), wavs.end());
    if (wavs.size() < std::size_t(notes)) {
        std::fprintf(stderr, "bench_live: %s has %zu notes, fewer than --notes %d\n", data.c_str(), wavs.size(), notes);
        return 1;
    }
    std::vector<float> phrase(8000, 0.0f);
    std::vector<double> onsets;
    std::vector<std::string> names;
    for (int i = 0; i < notes; ++i) {
        auto note = audio::loadAudio(wavs[std::size_t(i) * (wavs.size() / std::size_t(notes))]);
        if (!note) {
            std::fprintf(stderr, "bench_live: %s\n", note.error().describe().c_str());
            return 1;
        }
        note->samples.resize(24000);  // 1.5 s
        onsets.push_back(double(phrase.size()) / 16000.0);
        names.push_back(wavs[std::size_t(i) * (wavs.size() / std::size_t(notes))]);
        phrase.insert(phrase.end(), note->samples.begin(), note->samples.end());
        phrase.insert(phrase.end(), 8000, 0.0f);
    }

    auto predictor = ml::Predictor::load({model});
    if (!predictor) {
        std::fprintf(stderr, "bench_live: %s\n", predictor.error().describe().c_str());
        return 1;
    }
    ml::configureCpuRuntime(threads);
    (void)predictor->predictSignal(std::vector<float>(16000, 0.1f));  // the first forward pass warms LibTorch up
    ml::LiveListener listener(*predictor);
    std::vector<double> firstMs, computeMs;
    std::vector<std::string> firstFamily(onsets.size()), lastFamily(onsets.size());
    std::size_t onsetsAnswered = 0;
    auto noteOf = [&](double onset) {
        std::size_t best = 0;
        for (std::size_t k = 1; k < onsets.size(); ++k)
            if (std::abs(onsets[k] - onset) < std::abs(onsets[best] - onset))
                best = k;
        return best;
    };
    for (std::size_t at = 0; at < phrase.size(); at += std::size_t(block)) {
        const std::size_t n = std::min(std::size_t(block), phrase.size() - at);
        const double started = bench::now();
        auto step = listener.feed(phrase.data() + at, n);
        const double seconds = bench::now() - started;
        if (!step) {
            std::fprintf(stderr, "bench_live: %s\n", step.error().describe().c_str());
            return 1;
        }
        if (step->answers.empty())
            continue;
        computeMs.push_back(1000.0 * seconds / double(step->answers.size()));
        for (const auto& a : step->answers) {
            const std::size_t k = noteOf(a.onset);
            const std::string family = a.prediction.family ? a.prediction.family->label : std::string();
            onsetsAnswered += a.first ? 1 : 0;
            if (a.first && std::abs(a.onset - onsets[k]) < 0.1 && firstFamily[k].empty()) {
                firstMs.push_back(1000.0 * (double(at + n) / 16000.0 - onsets[k] + seconds));
                if (firstMs.back() > 150.0)
                    std::fprintf(stderr, "# %s: first answer %.0f ms after its start\n", fs::path(names[k]).filename().c_str(), firstMs.back());
                firstFamily[k] = family;
            }
            lastFamily[k] = family;
        }
    }
    int agree = 0;
    for (std::size_t k = 0; k < onsets.size(); ++k)
        agree += !firstFamily[k].empty() && firstFamily[k] == lastFamily[k] ? 1 : 0;
    const std::string impl = bench::implName();
    const std::string t = ".t" + std::to_string(threads);
    std::printf("RESULT impl=%s figure=live.first_answer_ms%s value=%s unit=ms max=%s notes=%d found=%zu onsets=%zu\n", impl.c_str(),
                t.c_str(), bench::format(bench::median(firstMs)).c_str(),
                bench::format(*std::max_element(firstMs.begin(), firstMs.end())).c_str(), notes, firstMs.size(), onsetsAnswered);
    std::printf("RESULT impl=%s figure=live.answer_compute_ms%s value=%s unit=ms answers=%zu\n", impl.c_str(), t.c_str(),
                bench::format(bench::median(computeMs)).c_str(), computeMs.size());
    std::printf("RESULT impl=%s figure=live.first_agrees%s value=%s unit=share notes=%d\n", impl.c_str(), t.c_str(),
                bench::format(double(agree) / double(notes)).c_str(), notes);
    return 0;
}
