#include "dsp/OnsetDetector.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "dsp/detail/FftwFloats.h"
#include "dsp/FftwPlannerLock.h"
#include "dsp/HannWindow.h"

namespace ts::dsp {

namespace {

constexpr float kTinyPower = 1e-20f;
constexpr float kSilentDb = -200.0f;
// Below this (dB, full-scale sine ≈ 0 dB) the loudest frame is digital silence, dither or a
// denormal tail: no note.
constexpr float kAudibleDb = -100.0f;
constexpr int kFlatFrame = 2048;  // flatness frames: 128 ms, one every 32 ms
constexpr int kFlatHop = 512;

OnsetSettings sanitised(OnsetSettings s)
{
    s.sampleRate = std::max(s.sampleRate, 1000);
    s.fftSize = std::max(64, s.fftSize + (s.fftSize % 2));
    s.hop = std::clamp(s.hop, 1, s.fftSize);
    s.blockSize = std::max(s.blockSize, 1);
    s.rangeDb = std::max(s.rangeDb, 10.0);
    s.medianSeconds = std::max(s.medianSeconds, 0.0);
    s.minGapSeconds = std::max(s.minGapSeconds, 0.0);
    return s;
}

// out[i] = samples[start + i] * window[i] for the part of the frame inside the signal, 0 outside;
// the inside part as one plain loop the compiler vectorises (a bounds test per sample kept it
// scalar, and framing was a third of the detector's time).
void windowedFrame(const float* samples, std::size_t count, long long start, const float* window, int n, float* out)
{
    const long long first = std::clamp<long long>(-start, 0, n);
    const long long last = std::clamp<long long>((long long)count - start, first, n);
    std::fill(out, out + first, 0.0f);
    if (last > first) {
        const float* x = samples + (start + first);
        for (long long i = first; i < last; ++i)
            out[i] = x[i - first] * window[i];
    }
    std::fill(out + last, out + n, 0.0f);
}

float levelDb(double power)
{
    return power > double(kTinyPower) ? float(10.0 * std::log10(power)) : kSilentDb;
}

} // namespace

struct OnsetDetector::Impl {
    OnsetSettings settings;
    fftwf_plan plan = nullptr;
    std::vector<float> window;     // periodic Hann scaled by 2 / sum: a sine of amplitude 1 reads ~0 dB
    std::vector<int> bandEdges;    // flux bands: bins [bandEdges[b], bandEdges[b + 1])
    fftwf_plan flatPlan = nullptr;
    std::vector<float> flatWindow;
    std::vector<int> flatEdges;    // flatness groups (about an octave each): bins [e[g], e[g + 1])

    explicit Impl(const OnsetSettings& requested) : settings(sanitised(requested))
    {
        const int n = settings.fftSize;
        const int bins = n / 2 + 1;
        window = scaledPeriodicHann(n);

        // Flux bands evenly spaced on a mel-like scale from 40 Hz to Nyquist, at least one bin wide:
        // a sum over bands (not bins) keeps the many high bins from outvoting the fundamental.
        const double binHz = double(settings.sampleRate) / n;
        auto mel = [](double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); };
        auto hz = [](double m) { return 700.0 * (std::pow(10.0, m / 2595.0) - 1.0); };
        constexpr int kBands = 80;
        const double lo = mel(40.0), hi = mel(0.5 * settings.sampleRate);
        bandEdges.push_back(std::max(1, int(std::lround(40.0 / binHz))));
        for (int b = 1; b <= kBands; ++b) {
            const int edge = std::min(bins, int(std::lround(hz(lo + (hi - lo) * b / kBands) / binHz)));
            if (edge > bandEdges.back())
                bandEdges.push_back(edge);
        }
        // Flatness from 90 Hz to 7.5 kHz in octave groups: per group, so that coloured noise (pink,
        // brown) reads as flat as white noise, while a harmonic note has peaks in every group it
        // fills. Its own 2048-point frames (7.8 Hz bins): with 512 points the partials of a C2
        // (65 Hz apart) merge into one lobe and the note reads as flat as noise.
        flatWindow.resize(kFlatFrame);
        for (int i = 0; i < kFlatFrame; ++i)
            flatWindow[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * i / kFlatFrame));
        const double flatBinHz = double(settings.sampleRate) / kFlatFrame;
        for (double f = 90.0; f < 7500.0; f *= 2.0)
            flatEdges.push_back(std::min(kFlatFrame / 2, int(std::lround(f / flatBinHz))));
        flatEdges.push_back(std::min(kFlatFrame / 2, int(std::lround(7500.0 / flatBinHz))));

        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        FftwFloats in{std::size_t(n)};
        FftwFloats out{std::size_t(2 * bins)};
        plan = fftwf_plan_dft_r2c_1d(n, in.data, reinterpret_cast<fftwf_complex*>(out.data), FFTW_ESTIMATE);
        FftwFloats flatIn{std::size_t(kFlatFrame)};
        FftwFloats flatOut{std::size_t(kFlatFrame + 2)};
        flatPlan = fftwf_plan_dft_r2c_1d(kFlatFrame, flatIn.data, reinterpret_cast<fftwf_complex*>(flatOut.data), FFTW_ESTIMATE);
    }

    ~Impl()
    {
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        fftwf_destroy_plan(plan);
        fftwf_destroy_plan(flatPlan);
    }
};

OnsetDetector::OnsetDetector(OnsetSettings settings) : m_impl(std::make_unique<Impl>(settings)) {}
OnsetDetector::~OnsetDetector() = default;

const OnsetSettings& OnsetDetector::settings() const { return m_impl->settings; }

std::vector<std::size_t> OnsetDetector::detect(const float* samples, std::size_t count) const
{
    return analyse(samples, count).onsets;
}

OnsetAnalysis OnsetDetector::analyse(const float* samples, std::size_t count) const
{
    const OnsetSettings& st = m_impl->settings;
    const int n = st.fftSize;
    const int bins = n / 2 + 1;
    const int hop = st.hop;
    const int frames = 1 + int(count / std::size_t(hop));
    const auto& bandEdges = m_impl->bandEdges;
    const int bands = int(bandEdges.size()) - 1;

    OnsetAnalysis out;
    out.hop = hop;
    out.frameSize = n;
    out.frameLevelDb.resize(std::size_t(frames));
    std::vector<float> bandDb(std::size_t(frames) * std::size_t(bands));

    // 1. Frames: band levels, broadband level and flatness.
    FftwFloats in{std::size_t(n)};
    FftwFloats spectrum{std::size_t(2 * bins)};
    std::vector<float> power(static_cast<std::size_t>(bins));
    const float* window = m_impl->window.data();
    for (int t = 0; t < frames; ++t) {
        const long long start = (long long)t * hop - n / 2;  // centred frames, zeros outside
        windowedFrame(samples, count, start, window, n, in.data);
        fftwf_execute_dft_r2c(m_impl->plan, in.data, reinterpret_cast<fftwf_complex*>(spectrum.data));
        double total = 0.0;
        for (int k = 0; k < bins; ++k) {
            const float re = spectrum.data[2 * k], im = spectrum.data[2 * k + 1];
            power[std::size_t(k)] = re * re + im * im;
            total += power[std::size_t(k)];
        }
        // A Hann-windowed sine spreads over three bins (1 + 1/4 + 1/4 of its peak bin's power).
        out.frameLevelDb[std::size_t(t)] = levelDb(total / 1.5);
        float* row = bandDb.data() + std::size_t(t) * std::size_t(bands);
        for (int b = 0; b < bands; ++b) {
            double sum = 0.0;
            for (int k = bandEdges[std::size_t(b)]; k < bandEdges[std::size_t(b) + 1]; ++k)
                sum += power[std::size_t(k)];
            row[b] = levelDb(sum / (bandEdges[std::size_t(b) + 1] - bandEdges[std::size_t(b)]));
        }
    }

    // 2. Flatness frames.
    const int flatFrames = 1 + int(count / std::size_t(kFlatHop));
    out.flatnessHop = kFlatHop;
    out.flatnessFrameSize = kFlatFrame;
    out.frameFlatness.resize(std::size_t(flatFrames));
    out.flatnessPower.resize(std::size_t(flatFrames));
    {
        FftwFloats flatIn{std::size_t(kFlatFrame)};
        FftwFloats flatSpectrum{std::size_t(kFlatFrame + 2)};
        const float* w = m_impl->flatWindow.data();
        const auto& edges = m_impl->flatEdges;
        for (int t = 0; t < flatFrames; ++t) {
            const long long start = (long long)t * kFlatHop - kFlatFrame / 2;
            windowedFrame(samples, count, start, w, kFlatFrame, flatIn.data);
            fftwf_execute_dft_r2c(m_impl->flatPlan, flatIn.data, reinterpret_cast<fftwf_complex*>(flatSpectrum.data));
            double flatSum = 0.0, weightSum = 0.0;
            for (std::size_t g = 0; g + 1 < edges.size(); ++g) {
                const int first = edges[g], last = edges[g + 1];
                if (last <= first)
                    continue;
                double sum = 0.0;
                // The sum of the bins' logs as the logs of products of four: a product of four
                // powers in [1e-20, 3.4e38] stays inside a double's range, and a log per bin was most
                // of the detector's time after its FFTs.
                double logSum = 0.0, product = 1.0;
                int inProduct = 0;
                for (int k = first; k < last; ++k) {
                    const float re = flatSpectrum.data[2 * k], im = flatSpectrum.data[2 * k + 1];
                    const float p = re * re + im * im + kTinyPower;
                    sum += p;
                    product *= double(p);
                    if (++inProduct == 4) {
                        logSum += std::log(product);
                        product = 1.0;
                        inProduct = 0;
                    }
                }
                logSum += std::log(product);
                const int width = last - first;
                flatSum += sum * (std::exp(logSum / width) / (sum / width));
                weightSum += sum;
            }
            out.frameFlatness[std::size_t(t)] = weightSum > 1e-12 ? float(flatSum / weightSum) : 1.0f;
            out.flatnessPower[std::size_t(t)] = float(weightSum);
        }
    }

    const float loudest = *std::max_element(out.frameLevelDb.begin(), out.frameLevelDb.end());
    if (count == 0 || loudest < kAudibleDb)
        return out;

    // 3. Spectral flux of band levels clamped to rangeDb below the loudest band; the frame before
    // the signal is that floor, so a signal that starts loud has an onset at its start. Each band
    // is compared with the loudest of its neighbours in the previous frame, so that vibrato
    // (energy moving to the next band) is no rise.
    const float bandTop = *std::max_element(bandDb.begin(), bandDb.end());
    const float bandFloor = bandTop - float(st.rangeDb);
    for (float& v : bandDb)
        v = std::max(v, bandFloor);
    std::vector<float> flux(std::size_t(frames), 0.0f);
    for (int t = 0; t < frames; ++t) {
        const float* row = bandDb.data() + std::size_t(t) * std::size_t(bands);
        const float* prev = t > 0 ? row - bands : nullptr;
        double sum = 0.0;
        for (int b = 0; b < bands; ++b) {
            float before = bandFloor;
            if (prev)
                for (int d = std::max(0, b - 1); d <= std::min(bands - 1, b + 1); ++d)
                    before = std::max(before, prev[d]);
            sum += std::max(0.0f, row[b] - before);
        }
        flux[std::size_t(t)] = float(sum / bands);
    }
    if (st.continuesEarlier)
        std::fill(flux.begin(), flux.begin() + std::min(frames, n / (2 * hop) + 1), 0.0f);

    // 4. Peaks of the flux over an adaptive threshold, with a broadband level rise.
    const float maxFlux = *std::max_element(flux.begin(), flux.end());
    const float delta = std::max(float(st.minFluxDb), float(st.relativeThreshold) * maxFlux);
    const int medianHalf = int(std::lround(st.medianSeconds * st.sampleRate / hop));
    const int peakHalf = std::max(1, int(std::lround(0.024 * st.sampleRate / hop)));
    const float levelFloor = loudest - float(st.rangeDb);
    const int riseBefore = std::max(2, int(std::lround(0.100 * st.sampleRate / hop)));
    const int riseGap = std::max(1, int(std::lround(0.016 * st.sampleRate / hop)));
    const int riseAfter = std::max(1, int(std::lround(0.048 * st.sampleRate / hop)));
    std::vector<float> neighbourhood;
    std::vector<int> peaks;
    for (int t = 0; t < frames; ++t) {
        const float f = flux[std::size_t(t)];
        if (f < delta)
            continue;
        bool isPeak = true;
        for (int d = std::max(0, t - peakHalf); d <= std::min(frames - 1, t + peakHalf) && isPeak; ++d)
            isPeak = flux[std::size_t(d)] < f || (flux[std::size_t(d)] == f && d >= t);
        if (!isPeak)
            continue;
        neighbourhood.assign(flux.begin() + std::max(0, t - medianHalf), flux.begin() + std::min(frames, t + medianHalf + 1));
        auto middle = neighbourhood.begin() + std::ptrdiff_t(neighbourhood.size() / 2);
        std::nth_element(neighbourhood.begin(), middle, neighbourhood.end());
        if (f < *middle + delta)
            continue;
        // Each band just after against its loudest in the stretch before (since the previous
        // onset): a new note brings bands up; a tremolo's recovery only returns to where it was.
        const int pastFirst = std::max(t - riseBefore, peaks.empty() ? -1 : peaks.back());
        double rise = 0.0;
        for (int b = 0; b < bands; ++b) {
            float past = bandFloor;
            for (int d = std::max(0, pastFirst); d <= t - riseGap; ++d)
                past = std::max(past, bandDb[std::size_t(d) * std::size_t(bands) + std::size_t(b)]);
            float post = bandFloor;
            for (int d = t; d <= std::min(frames - 1, t + riseAfter); ++d)
                post = std::max(post, bandDb[std::size_t(d) * std::size_t(bands) + std::size_t(b)]);
            rise += std::max(0.0f, post - past);
        }
        rise /= bands;
        if (rise < st.minRiseDb)
            continue;
        peaks.push_back(t);
    }

    // 5. Refinement on 4 ms blocks of the envelope: the onset is the first block, between the end
    // of the previous frame's reach and the end of this frame, that stands well above the level
    // just before it.
    const std::size_t block = std::size_t(st.blockSize);
    const std::size_t blocks = (count + block - 1) / block;
    std::vector<float> blockDb(blocks);
    for (std::size_t i = 0; i < blocks; ++i) {
        double sum = 0.0;
        const std::size_t last = std::min(count, (i + 1) * block);
        for (std::size_t j = i * block; j < last; ++j)
            sum += double(samples[j]) * samples[j];
        blockDb[i] = std::max(levelFloor, levelDb(2.0 * sum / double(last - i * block)));  // sine of amplitude 1: 0 dB
    }
    auto blockAt = [&](long long i) { return i < 0 || i >= (long long)blocks ? levelFloor : blockDb[std::size_t(i)]; };
    const long long preBlocks = std::max<long long>(2, std::lround(0.048 * st.sampleRate / double(block)));
    const long long postBlocks = std::max<long long>(2, std::lround(0.060 * st.sampleRate / double(block)));
    std::vector<std::size_t> refined;
    for (int t : peaks) {
        const long long centre = (long long)t * hop;
        const long long firstBlock = std::max<long long>(0, (centre - n / 2 - hop) / (long long)block);
        const long long lastBlock = std::min<long long>((long long)blocks - 1, (centre + n / 2) / (long long)block);
        std::vector<float> pre;
        for (long long i = firstBlock - preBlocks; i < firstBlock; ++i)
            pre.push_back(blockAt(i));
        std::nth_element(pre.begin(), pre.begin() + std::ptrdiff_t(pre.size() / 2), pre.end());
        const float preDb = pre[pre.size() / 2];
        float postDb = preDb;
        for (long long i = firstBlock; i <= lastBlock + postBlocks; ++i)
            postDb = std::max(postDb, blockAt(i));
        const float threshold = preDb + std::max(6.0f, 0.25f * (postDb - preDb));
        long long onsetBlock = std::max<long long>(0, centre / (long long)block);
        for (long long i = firstBlock; i <= lastBlock; ++i)
            if (blockAt(i) >= threshold) {
                onsetBlock = i;
                break;
            }
        const std::size_t onset = std::size_t(onsetBlock) * block;
        const std::size_t minGap = std::size_t(std::lround(st.minGapSeconds * st.sampleRate));
        if (!refined.empty() && onset < refined.back() + std::max<std::size_t>(minGap, 1))
            continue;
        refined.push_back(onset);
    }

    // 6. A sound that swells in from silence (a pad, a bowed string) may have no flux peak at its
    // start: where it first stands above the floor is an onset too, if it comes before the first.
    for (std::size_t i = 0; i < blocks; ++i)
        if (blockDb[i] >= levelFloor + 6.0f) {
            const std::size_t start = i * block;
            const std::size_t minGap = std::size_t(std::lround(st.minGapSeconds * st.sampleRate));
            if (refined.empty() || start + minGap < refined.front())
                refined.insert(refined.begin(), start);
            break;
        }

    // 7. Notes far quieter than the loudest, quiet noise and sounds that stop at once are not
    // notes: a dropped onset's stretch joins the note before it.
    const auto openingLength = std::size_t(0.1 * st.sampleRate);
    for (std::size_t i = 0; i < refined.size(); ++i) {
        const std::size_t end = i + 1 < refined.size() ? refined[i + 1] : count;
        std::size_t onset = refined[i];
        // A stretch that opens with quiet noise and swells out of it (a pad over room tone) starts
        // where it stands 10 dB above that noise.
        const std::size_t opening = std::min(end, onset + openingLength);
        const double openingDb = out.peakLevelDb(onset, opening);
        if (openingDb < loudest - st.quietNoiseDb && out.flatness(onset, opening) > st.noiseFlatness)
            for (std::size_t b = opening / block; b < blocks && b * block < end; ++b)
                if (blockDb[b] >= openingDb + 10.0) {
                    onset = b * block;
                    break;
                }
        const double peak = out.peakLevelDb(onset, end);
        const bool quiet = peak < loudest - st.minNoteLevelDb;
        const bool quietNoise = peak < loudest - st.quietNoiseDb && out.flatness(onset, end) > st.noiseFlatness;
        // A note goes on sounding: within 20 dB of its attack 40-80 ms later. A note-off that cuts a
        // sound (FluidR3's clarinet stops in 20 ms, splattering over every band) or a click does not.
        auto levelOver = [&](double from, double to) {
            float level = kSilentDb;
            const auto first = std::size_t(std::max(0.0, std::ceil((double(onset) + from * st.sampleRate) / hop)));
            const auto last = std::size_t(std::max(0.0, std::ceil((double(onset) + to * st.sampleRate) / hop)));
            for (std::size_t t = first; t < last && t < out.frameLevelDb.size(); ++t)
                level = std::max(level, out.frameLevelDb[t]);
            return level;
        };
        const bool lasts = levelOver(0.040, 0.080) >= levelOver(0.0, 0.040) - 20.0f;
        if (!quiet && !quietNoise && lasts)
            out.onsets.push_back(onset);
    }
    return out;
}

namespace {

// Frames (centred on t * hop, `size` long) centred in [first, last) whose window ends by `last`; a
// stretch shorter than a window keeps its centred frames.
std::pair<std::size_t, std::size_t> framesWithin(std::size_t first, std::size_t last, int hop, int size, std::size_t frames)
{
    const std::size_t h = std::size_t(std::max(hop, 1));
    const std::size_t half = std::size_t(std::max(size, 0)) / 2;
    const std::size_t begin = (first + h - 1) / h;
    std::size_t end = last >= half ? (last - half) / h + 1 : 0;
    if (end <= begin)
        end = (last + h - 1) / h;
    return {begin, std::min(end, frames)};
}

} // namespace

double OnsetAnalysis::flatness(std::size_t first, std::size_t last) const
{
    double weighted = 0.0, weights = 0.0;
    const auto [begin, end] = framesWithin(first, last, flatnessHop, flatnessFrameSize, frameFlatness.size());
    for (std::size_t t = begin; t < end; ++t) {
        weighted += double(flatnessPower[t]) * frameFlatness[t];
        weights += flatnessPower[t];
    }
    return weights > 1e-12 ? weighted / weights : 1.0;
}

double OnsetAnalysis::peakLevelDb(std::size_t first, std::size_t last) const
{
    float peak = kSilentDb;
    const auto [begin, end] = framesWithin(first, last, hop, frameSize, frameLevelDb.size());
    for (std::size_t t = begin; t < end; ++t)
        peak = std::max(peak, frameLevelDb[t]);
    return peak;
}

} // namespace ts::dsp
