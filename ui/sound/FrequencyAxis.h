#pragma once
// The vertical axis of a spectrogram: maps a frequency in Hz to a position 0 (bottom, minHz) … 1
// (top, maxHz) and back, on a linear, logarithmic or mel scale. The renderer, the axis ticks and the
// hover readout all use this one mapping, so a pixel and its label can never disagree.
#include <QString>
#include <QList>

namespace ts::ui {

enum class FrequencyScale { Linear, Logarithmic, Mel };

QString frequencyScaleName(FrequencyScale scale);  // "Linear", "Logarithmic", "Mel"

class FrequencyAxis {
public:
    // A log axis cannot start at 0 Hz: its lower end is raised to at least kLowestLogHz.
    static constexpr double kLowestLogHz = 20.0;

    FrequencyAxis(FrequencyScale scale = FrequencyScale::Linear, double minHz = 0.0, double maxHz = 8000.0);

    FrequencyScale scale() const { return m_scale; }
    double minHz() const { return m_minHz; }
    double maxHz() const { return m_maxHz; }

    double toUnit(double hz) const;    // 0 at minHz, 1 at maxHz (outside the range: beyond 0..1)
    double fromUnit(double unit) const;

    // Image rows: row 0 is the top (maxHz). A row's frequency is the one at its centre.
    double frequencyAtRow(double row, int height) const;
    double rowForFrequency(double hz, int height) const;

    // Frequencies worth a labelled tick on this scale between minHz and maxHz, at most about maxTicks.
    QList<double> tickFrequencies(int maxTicks) const;

private:
    double warp(double hz) const;
    double unwarp(double value) const;

    FrequencyScale m_scale;
    double m_minHz;
    double m_maxHz;
    double m_lo;  // warp(minHz)
    double m_hi;  // warp(maxHz)
};

} // namespace ts::ui
