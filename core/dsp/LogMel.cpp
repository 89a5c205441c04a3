#include "dsp/LogMel.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "dsp/detail/FftwFloats.h"
#include "dsp/FftwPlannerLock.h"
#include "dsp/HannWindow.h"

namespace ts::dsp {

namespace {

// Slaney's mel scale (as in librosa's default and the Auditory Toolbox): 3 mel per 200 Hz up to
// 1 kHz, then logarithmic with 27 mel per factor 6.4.
constexpr double kLinearHzPerMel = 200.0 / 3.0;
constexpr double kLogStartHz = 1000.0;
constexpr double kLogStartMel = kLogStartHz / kLinearHzPerMel;  // 15
const double kLogStep = std::log(6.4) / 27.0;

// Settings a caller got wrong are brought into a range that cannot crash or divide by zero.
LogMelSettings sanitised(LogMelSettings s)
{
    s.sampleRate = std::max(s.sampleRate, 1);
    s.fftSize = std::max(16, s.fftSize + (s.fftSize % 2));
    s.hop = std::max(s.hop, 1);
    s.bands = std::max(s.bands, 1);
    const float nyquist = 0.5f * float(s.sampleRate);
    s.maxHz = std::clamp(s.maxHz, 1.0f, nyquist);
    s.minHz = std::clamp(s.minHz, 0.0f, s.maxHz * 0.99f);
    return s;
}

struct Band {
    int firstBin = 0;
    std::vector<float> weights;  // for bins firstBin, firstBin + 1, ...
};

// Four independent sums: a single running sum is one long dependency chain the compiler may not
// reorder (float addition is not associative), which made the filterbank as slow as the FFT.
float dot(const float* a, const float* b, std::size_t n)
{
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; ++i)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

} // namespace

double hzToMel(double hz)
{
    if (hz < kLogStartHz)
        return hz / kLinearHzPerMel;
    return kLogStartMel + std::log(hz / kLogStartHz) / kLogStep;
}

double melToHz(double mel)
{
    if (mel < kLogStartMel)
        return mel * kLinearHzPerMel;
    return kLogStartHz * std::exp((mel - kLogStartMel) * kLogStep);
}

int LogMelSettings::frameCount(std::size_t samples) const
{
    return 1 + int(samples / std::size_t(std::max(hop, 1)));
}

std::string LogMelSettings::key() const
{
    char buf[160];
    std::snprintf(buf, sizeof buf, "logmel-v1 sr=%d n_fft=%d hop=%d bands=%d fmin=%.2f fmax=%.2f floor=%.2f",
                  sampleRate, fftSize, hop, bands, double(minHz), double(maxHz), double(floorDb));
    return buf;
}

struct LogMel::Impl {
    LogMelSettings settings;
    fftwf_plan plan = nullptr;
    std::vector<float> window;  // periodic Hann, scaled so a full-scale sine on a bin centre has magnitude 1
    std::vector<Band> bands;
    std::vector<double> centresHz;

    explicit Impl(const LogMelSettings& requested) : settings(sanitised(requested))
    {
        const int n = settings.fftSize;
        const int bins = n / 2 + 1;
        window = scaledPeriodicHann(n);

        // Triangles with peak 1 between neighbouring mel points, evaluated at the bins' frequencies.
        const double lowMel = hzToMel(settings.minHz);
        const double highMel = hzToMel(settings.maxHz);
        std::vector<double> edgesHz(std::size_t(settings.bands) + 2);
        for (std::size_t i = 0; i < edgesHz.size(); ++i)
            edgesHz[i] = melToHz(lowMel + (highMel - lowMel) * double(i) / double(settings.bands + 1));
        const double binHz = double(settings.sampleRate) / n;
        for (int b = 0; b < settings.bands; ++b) {
            const double lo = edgesHz[std::size_t(b)], centre = edgesHz[std::size_t(b) + 1], hi = edgesHz[std::size_t(b) + 2];
            centresHz.push_back(centre);
            Band band;
            band.firstBin = -1;
            for (int k = 0; k < bins; ++k) {
                const double f = k * binHz;
                const double w = std::max(0.0, std::min((f - lo) / (centre - lo), (hi - f) / (hi - centre)));
                if (w <= 0.0) {
                    if (band.firstBin >= 0)
                        break;
                    continue;
                }
                if (band.firstBin < 0)
                    band.firstBin = k;
                band.weights.push_back(float(w));
            }
            if (band.firstBin < 0)
                band.firstBin = 0;  // a band narrower than a bin: no weight, reads the floor
            bands.push_back(std::move(band));
        }

        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        FftwFloats in{std::size_t(n)};
        FftwFloats out{std::size_t(2 * bins)};
        importFftwWisdomOnce();
        plan = fftwf_plan_dft_r2c_1d(n, in.data, reinterpret_cast<fftwf_complex*>(out.data), FFTW_MEASURE);
        saveFftwWisdomIfNew();
    }

    ~Impl()
    {
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        fftwf_destroy_plan(plan);
    }
};

LogMel::LogMel(LogMelSettings settings) : m_impl(std::make_unique<Impl>(settings)) {}
LogMel::~LogMel() = default;

const LogMelSettings& LogMel::settings() const { return m_impl->settings; }

double LogMel::bandCentreHz(int band) const
{
    return m_impl->centresHz[std::size_t(std::clamp(band, 0, m_impl->settings.bands - 1))];
}

Spectrogram LogMel::compute(const float* samples, std::size_t count) const
{
    Spectrogram s;
    s.frames = m_impl->settings.frameCount(count);
    s.bins = m_impl->settings.bands;
    s.values.resize(std::size_t(s.frames) * std::size_t(s.bins));
    computeInto(samples, count, s.values.data());
    return s;
}

void LogMel::computeInto(const float* samples, std::size_t count, float* out) const
{
    const LogMelSettings& st = m_impl->settings;
    const int n = st.fftSize;
    const int bins = n / 2 + 1;
    const int frames = st.frameCount(count);
    // Per-call buffers from fftwf_malloc: same alignment as the planning buffers, so the one plan
    // can run on them from any thread.
    FftwFloats in{std::size_t(n)};
    FftwFloats spectrum{std::size_t(2 * bins)};
    std::vector<float> power(static_cast<std::size_t>(bins));
    const float floorDb = st.floorDb;
    const float floorPower = std::pow(10.0f, floorDb / 10.0f);
    const long long signalLength = static_cast<long long>(count);
    const float* window = m_impl->window.data();
    // 10·log10(e) as 10/ln(10)·ln(e): glibc's logf is several times faster than its log10f, and
    // 16,000 logarithms per note were a quarter of the time.
    constexpr float kDbPerLog = 4.3429448190325182f;

    for (int t = 0; t < frames; ++t) {
        // Centred frames: frame t is centred on sample t * hop; outside the signal is zero. The
        // inside part [first, last) is a plain loop the compiler vectorises.
        const long long start = static_cast<long long>(t) * st.hop - n / 2;
        const int first = int(std::clamp(-start, 0LL, static_cast<long long>(n)));
        const int last = int(std::clamp(signalLength - start, static_cast<long long>(first), static_cast<long long>(n)));
        std::fill(in.data, in.data + first, 0.0f);
        if (last > first) {
            const float* src = samples + (start + first);
            for (int i = first; i < last; ++i)
                in.data[i] = src[i - first] * window[i];
        }
        std::fill(in.data + last, in.data + n, 0.0f);
        fftwf_execute_dft_r2c(m_impl->plan, in.data, reinterpret_cast<fftwf_complex*>(spectrum.data));
        for (int k = 0; k < bins; ++k) {
            const float re = spectrum.data[2 * k];
            const float im = spectrum.data[2 * k + 1];
            power[std::size_t(k)] = re * re + im * im;
        }
        float* row = out + std::size_t(t) * std::size_t(st.bands);
        for (int b = 0; b < st.bands; ++b) {
            const Band& band = m_impl->bands[std::size_t(b)];
            const float e = dot(band.weights.data(), power.data() + band.firstBin, band.weights.size());
            row[b] = e > floorPower ? kDbPerLog * std::log(e) : floorDb;
        }
    }
}

} // namespace ts::dsp
