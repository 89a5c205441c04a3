#include "ui/live/RollingSpectrogram.h"

#include <QPainter>

#include <cmath>

#include "dsp/DisplayStft.h"
#include "ui/sound/ColourMap.h"

namespace ts::ui {

namespace {

constexpr int kFrame = 1024;
constexpr int kHop = 512;
constexpr int kColumns = 250;  // 8 s
constexpr int kRows = 160;
constexpr float kFloorDb = -100.0f;

} // namespace

RollingSpectrogram::RollingSpectrogram(QWidget* parent) : QWidget(parent), m_image(kColumns, kRows, QImage::Format_RGB32)
{
    setMinimumHeight(120);
    const dsp::DisplayStftSettings settings;
    for (int r = 0; r < kRows; ++r) {
        const double hz = 50.0 * std::pow(8000.0 / 50.0, double(r) / (kRows - 1));
        m_rowBin.push_back(std::min(kFrame / 2, int(std::lround(hz * kFrame / settings.sampleRate))));
    }
    clear();
}

void RollingSpectrogram::clear()
{
    m_image.fill(ColourMap().colourAt(0.0));
    m_added = 0;
    m_samples = 0;
    m_pending.clear();
    m_marks.clear();
    update();
}

void RollingSpectrogram::addSamples(const float* samples, std::size_t count)
{
    // A column is the frame centred on the middle of the last kFrame samples; the first waits for
    // kFrame of them, each next one for kHop more.
    m_pending.insert(m_pending.end(), samples, samples + count);
    m_samples += (long long)count;
    std::size_t used = 0;
    while (m_pending.size() - used >= std::size_t(kFrame)) {
        addColumn(m_pending.data() + used);
        used += kHop;
    }
    m_pending.erase(m_pending.begin(), m_pending.begin() + std::ptrdiff_t(used));
    update();
}

void RollingSpectrogram::addColumn(const float* frame)
{
    dsp::DisplayStftSettings settings;
    settings.fftSize = kFrame;
    settings.hop = kFrame / 2;
    settings.floorDb = kFloorDb;
    const dsp::Spectrogram s = dsp::computeDisplayStft(frame, kFrame, settings);  // frame 1 is centred on the middle
    static const ColourMap colours;
    const int x = int(m_added % kColumns);
    for (int r = 0; r < kRows; ++r) {
        const float db = s.at(1, m_rowBin[std::size_t(r)]);
        m_image.setPixel(x, kRows - 1 - r, colours.colourAt((db - kFloorDb) / -kFloorDb));
    }
    ++m_added;
    while (!m_marks.empty() && m_marks.front().column < m_added - kColumns)
        m_marks.pop_front();
}

void RollingSpectrogram::markNote(long long sampleIndex, const QString& label)
{
    // The column whose frame is centred nearest the onset.
    const long long column = std::max(0LL, (sampleIndex - kFrame / 2 + kHop / 2) / kHop);
    if (!m_marks.empty() && m_marks.back().column == column)
        m_marks.back().label = label;  // the same note, answered again
    else
        m_marks.push_back({column, label});
    update();
}

void RollingSpectrogram::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect area = rect();
    // Oldest column at the left: the ring from m_added % width on, then its start.
    const int split = int(m_added % kColumns);
    const double columnWidth = double(area.width()) / kColumns;
    const int leftWidth = int(std::lround((kColumns - split) * columnWidth));
    p.drawImage(QRect(0, 0, leftWidth, area.height()), m_image, QRect(split, 0, kColumns - split, kRows));
    p.drawImage(QRect(leftWidth, 0, area.width() - leftWidth, area.height()), m_image, QRect(0, 0, split, kRows));
    p.setPen(QPen(Qt::white, 1));
    for (const Mark& mark : m_marks) {
        const long long age = m_added - 1 - mark.column;  // 0: the newest column
        const int x = int(std::lround(area.width() - (double(age) + 0.5) * columnWidth));
        if (x < 0)
            continue;
        p.drawLine(x, 0, x, area.height());
        p.drawText(x + 3, 14, mark.label);
    }
    p.setPen(QColor(255, 255, 255, 160));
    p.drawText(area.adjusted(4, 0, -4, -2), Qt::AlignLeft | Qt::AlignBottom, tr("8 s ago"));
    p.drawText(area.adjusted(4, 0, -4, -2), Qt::AlignRight | Qt::AlignBottom, tr("now"));
}

} // namespace ts::ui
