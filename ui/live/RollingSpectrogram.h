#pragma once
// The last few seconds of live sound as a spectrogram that scrolls right to left: one column per
// 32 ms (a 1024-point frame every 512 samples at 16 kHz), rows on a log-frequency axis from 50 Hz to
// 8 kHz, dB from -100 (darkest) to 0 (a full-scale sine). Notes the panel answered are marked with
// a line and their label where they began.
#include <QImage>
#include <QString>
#include <QWidget>

#include <deque>
#include <vector>

namespace ts::ui {

class RollingSpectrogram : public QWidget {
    Q_OBJECT
public:
    explicit RollingSpectrogram(QWidget* parent = nullptr);

    // 16 kHz mono, in order.
    void addSamples(const float* samples, std::size_t count);
    // Marks the note that began at `sampleIndex` (of the samples added since the last clear); a
    // second call for the same note relabels it.
    void markNote(long long sampleIndex, const QString& label);
    void clear();

    int columns() const { return m_image.width(); }
    long long columnsAdded() const { return m_added; }

    QSize sizeHint() const override { return {640, 220}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void addColumn(const float* frame);

    QImage m_image;           // ring of columns; m_added % width is the next one written
    long long m_added = 0;
    long long m_samples = 0;  // samples added
    std::vector<float> m_pending;
    std::vector<int> m_rowBin;  // FFT bin of each row, bottom row first
    struct Mark {
        long long column;
        QString label;
    };
    std::deque<Mark> m_marks;
};

} // namespace ts::ui
