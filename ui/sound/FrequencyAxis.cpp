#include "ui/sound/FrequencyAxis.h"

#include <algorithm>
#include <cmath>

#include "dsp/LogMel.h"

namespace ts::ui {

QString frequencyScaleName(FrequencyScale scale)
{
    switch (scale) {
    case FrequencyScale::Logarithmic: return QStringLiteral("Logarithmic");
    case FrequencyScale::Mel: return QStringLiteral("Mel");
    case FrequencyScale::Linear: break;
    }
    return QStringLiteral("Linear");
}

FrequencyAxis::FrequencyAxis(FrequencyScale scale, double minHz, double maxHz) : m_scale(scale)
{
    m_minHz = std::max(0.0, minHz);
    if (scale == FrequencyScale::Logarithmic)
        m_minHz = std::max(m_minHz, kLowestLogHz);
    m_maxHz = std::max(maxHz, m_minHz + 1.0);
    m_lo = warp(m_minHz);
    m_hi = warp(m_maxHz);
}

double FrequencyAxis::warp(double hz) const
{
    switch (m_scale) {
    case FrequencyScale::Logarithmic: return std::log(std::max(hz, 1e-6));
    case FrequencyScale::Mel: return ts::dsp::hzToMel(hz);
    case FrequencyScale::Linear: break;
    }
    return hz;
}

double FrequencyAxis::unwarp(double value) const
{
    switch (m_scale) {
    case FrequencyScale::Logarithmic: return std::exp(value);
    case FrequencyScale::Mel: return ts::dsp::melToHz(value);
    case FrequencyScale::Linear: break;
    }
    return value;
}

double FrequencyAxis::toUnit(double hz) const
{
    return (warp(hz) - m_lo) / (m_hi - m_lo);
}

double FrequencyAxis::fromUnit(double unit) const
{
    return unwarp(m_lo + unit * (m_hi - m_lo));
}

double FrequencyAxis::frequencyAtRow(double row, int height) const
{
    return fromUnit(1.0 - (row + 0.5) / std::max(1, height));
}

double FrequencyAxis::rowForFrequency(double hz, int height) const
{
    return (1.0 - toUnit(hz)) * std::max(1, height) - 0.5;
}

QList<double> FrequencyAxis::tickFrequencies(int maxTicks) const
{
    QList<double> ticks;
    maxTicks = std::max(2, maxTicks);
    if (m_scale == FrequencyScale::Linear) {
        // 1-2-5 steps on a linear axis.
        const double span = m_maxHz - m_minHz;
        const double raw = span / maxTicks;
        const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
        double step = magnitude;
        for (double m : {1.0, 2.0, 5.0, 10.0})
            if (m * magnitude >= raw) { step = m * magnitude; break; }
        for (double f = std::ceil(m_minHz / step) * step; f <= m_maxHz + 1e-9; f += step)
            ticks.append(f);
        return ticks;
    }
    // Log and mel: 1, 2, 5 × powers of ten, thinned until they fit.
    QList<double> candidates;
    for (double decade = 1.0; decade <= m_maxHz; decade *= 10.0)
        for (double m : {1.0, 2.0, 5.0})
            if (m * decade >= m_minHz && m * decade <= m_maxHz)
                candidates.append(m * decade);
    if (m_scale == FrequencyScale::Mel && m_minHz <= 0.0)
        candidates.prepend(0.0);
    for (int keep = 1; keep <= candidates.size(); ++keep) {
        ticks.clear();
        // Keep every keep-th candidate, but drop ones closer than 1/maxTicks of the axis.
        double lastUnit = -1.0;
        for (int i = 0; i < candidates.size(); i += keep) {
            const double unit = toUnit(candidates[i]);
            if (lastUnit >= 0.0 && unit - lastUnit < 0.6 / maxTicks)
                continue;
            ticks.append(candidates[i]);
            lastUnit = unit;
        }
        if (ticks.size() <= maxTicks)
            break;
    }
    return ticks;
}

} // namespace ts::ui
