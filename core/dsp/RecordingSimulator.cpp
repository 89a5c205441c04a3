#include "dsp/RecordingSimulator.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <mutex>

#include "dsp/FftwPlannerLock.h"
#include "util/Fnv1a.h"
#include "util/SplitMix64.h"

namespace ts::dsp {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Draws from SplitMix64, so a note's simulated recording, and so the feature cache, is the same on
// every platform.
class Draw {
public:
    explicit Draw(std::uint64_t seed) : m_random(seed) {}
    std::uint64_t next() { return m_random.next(); }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    double logUniform(double a, double b) { return std::exp(uniform(std::log(a), std::log(b))); }
    bool chance(double p) { return uniform() < p; }
    double gaussian()
    {
        const double u1 = std::max(uniform(), 1e-12);
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
    }

private:
    SplitMix64 m_random;
};

// A second-order section (direct form I), coefficients from the well-known "audio EQ cookbook"
// formulas for low-pass, high-pass and peaking filters.
struct Biquad {
    double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;

    static Biquad fromRaw(double b0, double b1, double b2, double a0, double a1, double a2)
    {
        return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
    }
    static Biquad lowPass(double hz, double q)
    {
        const double w = 2.0 * kPi * hz / RecordingSimulator::kSampleRate, c = std::cos(w), alpha = std::sin(w) / (2.0 * q);
        return fromRaw((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }
    static Biquad highPass(double hz, double q)
    {
        const double w = 2.0 * kPi * hz / RecordingSimulator::kSampleRate, c = std::cos(w), alpha = std::sin(w) / (2.0 * q);
        return fromRaw((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }
    static Biquad peaking(double hz, double gainDb, double q)
    {
        const double a = std::pow(10.0, gainDb / 40.0);
        const double w = 2.0 * kPi * hz / RecordingSimulator::kSampleRate, c = std::cos(w), alpha = std::sin(w) / (2.0 * q);
        return fromRaw(1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a);
    }
    void run(std::vector<float>& x) const
    {
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (float& s : x) {
            const double y = b0 * s + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = s;
            y2 = y1;
            y1 = y;
            s = float(y);
        }
    }
};

double rms(const std::vector<float>& x)
{
    double sum = 0.0;
    for (float s : x)
        sum += double(s) * double(s);
    return x.empty() ? 0.0 : std::sqrt(sum / double(x.size()));
}

// Linear interpolation is enough for a few cents: the ratio stays within 0.3 % of 1, so the
// images it leaves are far below the note.
std::vector<float> shiftPitch(const std::vector<float>& x, double cents)
{
    const double ratio = std::pow(2.0, cents / 1200.0);
    std::vector<float> y(x.size(), 0.0f);
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double pos = double(i) * ratio;
        const auto k = std::size_t(pos);
        if (k + 1 >= x.size())
            break;
        const double frac = pos - double(k);
        y[i] = float(x[k] * (1.0 - frac) + x[k + 1] * frac);
    }
    return y;
}

// A room: the direct sound, then after the pre-delay a dense tail of Gaussian noise decaying by
// 60 dB over rt60 seconds, dulled by a one-pole low-pass (air and walls absorb highs first),
// scaled so its energy is `wet` times the direct sound's.
std::vector<float> roomResponse(double rt60, double wet, double preDelay, Draw& draw)
{
    const std::size_t length = std::size_t(std::min(rt60 * 1.1, 2.0) * RecordingSimulator::kSampleRate) + 1;
    const std::size_t start = std::size_t(preDelay * RecordingSimulator::kSampleRate) + 1;
    std::vector<float> ir(length + start, 0.0f);
    ir[0] = 1.0f;
    const double decayPerSample = 6.907755 / (rt60 * RecordingSimulator::kSampleRate);  // ln(1000)
    const double dull = draw.uniform(0.2, 0.7);
    double lp = 0.0, energy = 0.0;
    for (std::size_t i = 0; i < length; ++i) {
        lp = (1.0 - dull) * draw.gaussian() + dull * lp;
        const double v = lp * std::exp(-decayPerSample * double(i));
        ir[start + i] = float(v);
        energy += v * v;
    }
    const double scale = energy > 0.0 ? std::sqrt(wet / energy) : 0.0;
    for (std::size_t i = start; i < ir.size(); ++i)
        ir[i] = float(ir[i] * scale);
    return ir;
}

// Linear convolution through FFTW, cut to the input's length (the room rings on past the view).
std::vector<float> convolve(const std::vector<float>& x, const std::vector<float>& h)
{
    std::size_t n = 1;
    while (n < x.size() + h.size() - 1)
        n <<= 1;
    const std::size_t bins = n / 2 + 1;
    float* a = fftwf_alloc_real(n);
    float* b = fftwf_alloc_real(n);
    fftwf_complex* fa = fftwf_alloc_complex(bins);
    fftwf_complex* fb = fftwf_alloc_complex(bins);
    fftwf_plan forwardA, forwardB, inverse;
    {
        const std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        forwardA = fftwf_plan_dft_r2c_1d(int(n), a, fa, FFTW_ESTIMATE);
        forwardB = fftwf_plan_dft_r2c_1d(int(n), b, fb, FFTW_ESTIMATE);
        inverse = fftwf_plan_dft_c2r_1d(int(n), fa, a, FFTW_ESTIMATE);
    }
    std::fill(a, a + n, 0.0f);
    std::fill(b, b + n, 0.0f);
    std::copy(x.begin(), x.end(), a);
    std::copy(h.begin(), h.end(), b);
    fftwf_execute(forwardA);
    fftwf_execute(forwardB);
    for (std::size_t k = 0; k < bins; ++k) {
        const std::complex<float> p = std::complex<float>(fa[k][0], fa[k][1]) * std::complex<float>(fb[k][0], fb[k][1]);
        fa[k][0] = p.real();
        fa[k][1] = p.imag();
    }
    fftwf_execute(inverse);
    std::vector<float> y(x.size());
    const float norm = 1.0f / float(n);
    for (std::size_t i = 0; i < y.size(); ++i)
        y[i] = a[i] * norm;
    {
        const std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        fftwf_destroy_plan(forwardA);
        fftwf_destroy_plan(forwardB);
        fftwf_destroy_plan(inverse);
    }
    fftwf_free(a);
    fftwf_free(b);
    fftwf_free(fa);
    fftwf_free(fb);
    return y;
}

// A feed-forward compressor: the level follows |x| (5 ms attack, 120 ms release) and is reduced
// by `ratio` above a threshold set relative to the note's peak.
void compress(std::vector<float>& x, double thresholdDb, double ratio)
{
    double peak = 0.0;
    for (float s : x)
        peak = std::max(peak, double(std::fabs(s)));
    if (peak <= 0.0)
        return;
    const double threshold = peak * std::pow(10.0, thresholdDb / 20.0);
    const double attack = std::exp(-1.0 / (0.005 * RecordingSimulator::kSampleRate));
    const double release = std::exp(-1.0 / (0.120 * RecordingSimulator::kSampleRate));
    double level = 0.0;
    for (float& s : x) {
        const double a = std::fabs(s);
        level = a > level ? attack * level + (1.0 - attack) * a : release * level + (1.0 - release) * a;
        if (level > threshold)
            s = float(s * std::pow(level / threshold, 1.0 / ratio - 1.0));
    }
}

std::vector<float> noise(std::size_t n, int colour, Draw& draw)
{
    std::vector<float> v(n);
    double p1 = 0, p2 = 0, p3 = 0, brown = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double white = draw.gaussian();
        if (colour == 1) {
            // Three one-pole sections spread over the spectrum sum to a roughly 1/f slope.
            p1 = 0.997 * p1 + 0.029591 * white;
            p2 = 0.985 * p2 + 0.032534 * white;
            p3 = 0.950 * p3 + 0.048056 * white;
            v[i] = float(p1 + p2 + p3 + 0.05 * white);
        } else if (colour == 2) {
            brown = 0.995 * brown + 0.1 * white;  // leaky integration: a 1/f² rumble
            v[i] = float(brown);
        } else {
            v[i] = float(white);
        }
    }
    return v;
}

} // namespace

RecordingConditions RecordingSimulator::draw(std::uint64_t seed)
{
    Draw d(seed);
    RecordingConditions c;
    c.leadInSeconds = d.chance(0.5) ? d.uniform(0.02, 0.3) : 0.0;
    c.pitchCents = d.uniform(-20.0, 20.0);
    c.gainDb = d.uniform(-12.0, 6.0);
    c.lowCutHz = d.chance(0.6) ? d.logUniform(40.0, 200.0) : 0.0;
    c.highCutHz = d.chance(0.4) ? d.logUniform(3500.0, 7500.0) : 0.0;
    for (EqBand& band : c.bands)
        band = d.chance(0.7) ? EqBand{d.logUniform(150.0, 6000.0), d.uniform(-8.0, 8.0), d.uniform(0.5, 2.0)} : EqBand{};
    if (d.chance(0.6)) {
        c.reverbSeconds = d.logUniform(0.2, 2.0);
        c.reverbWet = std::pow(10.0, d.uniform(-12.0, 3.0) / 10.0);
        c.preDelaySeconds = d.uniform(0.0, 0.03);
    }
    if (d.chance(0.4)) {
        c.compressorThresholdDb = d.uniform(-30.0, -10.0);
        c.compressorRatio = d.uniform(2.0, 6.0);
    }
    if (d.chance(0.8)) {
        c.noiseSnrDb = d.uniform(15.0, 45.0);
        c.noiseColour = int(d.next() % 3);
    }
    c.cutOffSeconds = d.chance(0.2) ? d.uniform(0.5, 2.5) : 0.0;
    return c;
}

std::vector<float> RecordingSimulator::apply(const std::vector<float>& note, const RecordingConditions& c, std::uint64_t seed)
{
    Draw d(seed ^ 0x5245434F5244ull);
    std::vector<float> x = std::abs(c.pitchCents) > 0.01 ? shiftPitch(note, c.pitchCents) : note;
    if (c.lowCutHz > 0.0)
        Biquad::highPass(c.lowCutHz, 0.707).run(x);
    if (c.highCutHz > 0.0)
        Biquad::lowPass(c.highCutHz, 0.707).run(x);
    for (const EqBand& band : c.bands)
        if (band.gainDb != 0.0)
            Biquad::peaking(band.hz, band.gainDb, band.q).run(x);
    if (c.cutOffSeconds > 0.0) {
        const auto start = std::size_t(c.cutOffSeconds * kSampleRate);
        const std::size_t fade = kSampleRate * 3 / 100;  // 30 ms, as a player damping the note
        for (std::size_t i = start; i < x.size(); ++i) {
            const double t = double(i - start) / double(fade);
            x[i] = t >= 1.0 ? 0.0f : float(x[i] * 0.5 * (1.0 + std::cos(kPi * t)));
        }
    }
    if (c.reverbSeconds > 0.0 && !x.empty())
        x = convolve(x, roomResponse(c.reverbSeconds, c.reverbWet, c.preDelaySeconds, d));
    if (c.leadInSeconds > 0.0) {
        const auto lead = std::min(x.size(), std::size_t(c.leadInSeconds * kSampleRate));
        std::rotate(x.rbegin(), x.rbegin() + long(lead), x.rend());
        std::fill(x.begin(), x.begin() + long(lead), 0.0f);
    }
    if (c.compressorThresholdDb < 0.0)
        compress(x, c.compressorThresholdDb, c.compressorRatio);
    const float gain = float(std::pow(10.0, c.gainDb / 20.0));
    for (float& s : x)
        s *= gain;
    if (c.noiseSnrDb < 150.0) {
        const double level = rms(x);
        std::vector<float> n = noise(x.size(), c.noiseColour, d);
        const double nl = rms(n);
        if (level > 0.0 && nl > 0.0) {
            const float scale = float(level / std::pow(10.0, c.noiseSnrDb / 20.0) / nl);
            for (std::size_t i = 0; i < x.size(); ++i)
                x[i] += scale * n[i];
        }
    }
    for (float& s : x)
        s = std::clamp(s, -1.0f, 1.0f);
    return x;
}

std::vector<float> RecordingSimulator::simulate(const std::vector<float>& note, const std::string& noteName, int variant)
{
    Fnv1a hash;
    hash.addString(noteName);
    hash.addValue(std::int64_t(variant));
    const std::uint64_t seed = hash.value();
    return apply(note, draw(seed), seed);
}

} // namespace ts::dsp
