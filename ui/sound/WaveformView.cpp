#include "ui/sound/WaveformView.h"

#include <QAreaSeries>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QLineSeries>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QValueAxis>
#include <QWheelEvent>

#include "ui/sound/PlotMargins.h"
#include "ui/sound/TimeAxisInteraction.h"
#include "ui/sound/TimeRange.h"

#include <algorithm>
#include <cmath>

namespace ts::ui {
namespace {

const QColor kWaveColour(0x2f, 0x6f, 0xae);
const QColor kPlayheadColour(0xd6, 0x3a, 0x2f);

// 1, 2 or 5 times a power of ten, at least raw.
double niceStep(double raw)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * magnitude >= raw * (1.0 - 1e-9))
            return m * magnitude;
    return 10.0 * magnitude;
}

QString labelFormatFor(double span)
{
    if (span < 0.02)
        return QStringLiteral("%.4f");
    if (span < 0.2)
        return QStringLiteral("%.3f");
    return QStringLiteral("%.2f");
}

// QtCharts lays out the ticks of an axis as soon as its range or its interval changes: going from
// 1 ms to the whole sound with the 1 ms interval still set would make tens of thousands of tick
// labels for a moment (seconds of frozen window). So the interval grows before the range does, and
// shrinks after it.
void setAxisTicks(QValueAxis* axis, double min, double max, double interval)
{
    axis->setTickAnchor(0.0);
    if (interval > axis->tickInterval()) {
        axis->setTickInterval(interval);
        axis->setRange(min, max);
    } else {
        axis->setRange(min, max);
        axis->setTickInterval(interval);
    }
}

} // namespace

WaveformView::WaveformView(QWidget* parent) : QChartView(new QChart(), parent)
{
    // The chart is given to the base constructor: QChartView(parent) makes a chart of its own that a
    // later setChart() releases without deleting (LeakSanitizer found that leak, one per view).
    QChart* chart = this->chart();
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 8, 2));
    chart->setBackgroundRoundness(0);
    chart->setAnimationOptions(QChart::NoAnimation);

    m_upper = new QLineSeries(chart);
    m_lower = new QLineSeries(chart);
    m_area = new QAreaSeries(m_upper, m_lower);
    m_area->setName(tr("Waveform"));
    m_area->setColor(kWaveColour);
    m_area->setBorderColor(kWaveColour.darker(115));
    QPen border(kWaveColour.darker(115));
    border.setWidthF(1.0);
    m_area->setPen(border);
    chart->addSeries(m_area);

    m_playheadLine = new QLineSeries(chart);
    QPen playheadPen(kPlayheadColour);
    playheadPen.setWidthF(1.5);
    m_playheadLine->setPen(playheadPen);
    chart->addSeries(m_playheadLine);
    m_playheadLine->setVisible(false);

    m_timeAxis = new QValueAxis(chart);
    m_timeAxis->setTitleText(tr("Time (s)"));
    m_timeAxis->setTickType(QValueAxis::TicksDynamic);
    m_amplitudeAxis = new QValueAxis(chart);
    m_amplitudeAxis->setTitleText(tr("Amplitude"));
    m_amplitudeAxis->setTickType(QValueAxis::TicksDynamic);
    for (QValueAxis* axis : {m_timeAxis, m_amplitudeAxis}) {
        QFont font = axis->labelsFont();
        font.setPointSizeF(font.pointSizeF() * 0.85);
        axis->setLabelsFont(font);
        axis->setTitleFont(font);
        axis->setGridLineColor(QColor(0xe3, 0xe6, 0xea));
    }
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_amplitudeAxis, Qt::AlignLeft);
    for (QAbstractSeries* series : {static_cast<QAbstractSeries*>(m_area), static_cast<QAbstractSeries*>(m_playheadLine)}) {
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_amplitudeAxis);
    }

    setRenderHint(QPainter::Antialiasing, true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumHeight(120);
    setToolTip(tr("Wheel: zoom · drag: pan · click: seek · double-click: whole sound"));
    connect(chart, &QChart::plotAreaChanged, this, [this] { redraw(); });
    m_axis = new TimeAxisInteraction(this, [this] { return plotInViewport(); }, this);
    connect(m_axis, &TimeAxisInteraction::seekRequested, this, &WaveformView::seekRequested);
    m_ownRange = new TimeRange(this);
    setTimeRange(m_ownRange);
    clear();
}

void WaveformView::setTimeRange(TimeRange* range)
{
    if (m_range)
        disconnect(m_range, nullptr, this, nullptr);
    m_range = range ? range : m_ownRange;
    m_axis->setTimeRange(m_range);
    connect(m_range, &TimeRange::changed, this, &WaveformView::redraw);
    // A shared range may go before this view does (siblings are deleted in turn): never draw
    // from a deleted one.
    if (m_range != m_ownRange)
        connect(m_range, &QObject::destroyed, this, [this] { setTimeRange(m_ownRange); });
    redraw();
}

void WaveformView::setSignal(std::vector<float> samples, int sampleRate)
{
    setSignal(std::make_shared<const std::vector<float>>(std::move(samples)), sampleRate);
}

void WaveformView::setSignal(std::shared_ptr<const std::vector<float>> samples, int sampleRate)
{
    if (!samples || samples->empty() || sampleRate <= 0) {
        clear();
        return;
    }
    m_envelope = WaveformEnvelope(std::move(samples));
    m_sampleRate = sampleRate;
    m_segments.clear();
    m_range->setDuration(durationSeconds());
    redraw();  // the range may not have changed, the samples have
}

void WaveformView::setAudio(std::shared_ptr<const ts::audio::DecodedAudio> audio)
{
    if (!audio) {
        clear();
        return;
    }
    // The aliasing constructor: the samples stay owned by (and keep alive) the decoded sound.
    std::shared_ptr<const std::vector<float>> samples(audio, &audio->samples);
    setSignal(std::move(samples), ts::audio::kModelSampleRate);
}

void WaveformView::clear()
{
    m_envelope = WaveformEnvelope();
    m_segments.clear();
    m_sampleRate = 0;
    m_range->setDuration(0.0);
    redraw();
}

double WaveformView::durationSeconds() const
{
    return m_sampleRate > 0 ? double(m_envelope.sampleCount()) / m_sampleRate : 0.0;
}

void WaveformView::setPlayhead(double seconds)
{
    m_playhead = seconds;
    const bool visible = seconds >= 0.0 && m_sampleRate > 0;
    m_playheadLine->setVisible(visible);
    if (visible) {
        const double top = m_amplitudeAxis->max();
        const double bottom = m_amplitudeAxis->min();
        m_playheadLine->replace(QList<QPointF>{{seconds, bottom}, {seconds, top}});
    }
}

void WaveformView::setFitAmplitude(bool fit)
{
    m_fitAmplitude = fit;
    redraw();
}

QList<QPointF> WaveformView::upperEnvelope() const
{
    return m_upper->points();
}

QList<QPointF> WaveformView::lowerEnvelope() const
{
    return m_lower->points();
}

void WaveformView::setSegments(QList<WaveformSegment> segments)
{
    m_segments = std::move(segments);
    viewport()->update();
}

QColor WaveformView::familyColour(const QString& family)
{
    // NSynth's families in index order, each a distinct hue (Tableau's categorical palette and two
    // more), readable behind the blue waveform at low opacity.
    static const QStringList families{QStringLiteral("bass"), QStringLiteral("brass"), QStringLiteral("flute"),
                                      QStringLiteral("guitar"), QStringLiteral("keyboard"), QStringLiteral("mallet"),
                                      QStringLiteral("organ"), QStringLiteral("reed"), QStringLiteral("string"),
                                      QStringLiteral("synth_lead"), QStringLiteral("vocal")};
    static const QColor colours[] = {QColor(0x8c, 0x56, 0x4b), QColor(0xe1, 0x9d, 0x29), QColor(0x17, 0xbe, 0xcf),
                                     QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x2c, 0xa0, 0x2c),
                                     QColor(0x7f, 0x3c, 0x8d), QColor(0xbc, 0xbd, 0x22), QColor(0xff, 0x7f, 0x0e),
                                     QColor(0xe3, 0x77, 0xc2), QColor(0x1f, 0x9e, 0x89)};
    const qsizetype i = families.indexOf(family);
    return i >= 0 ? colours[i] : QColor(0x80, 0x80, 0x80);
}

QString WaveformView::segmentLabel(const WaveformSegment& segment)
{
    return segment.uncertain ? tr("uncertain") : segment.family;
}

QRectF WaveformView::bandInScene(const WaveformSegment& segment) const
{
    const double start = std::max(segment.start, m_range->start());
    const double end = std::min(segment.end, m_range->end());
    if (m_sampleRate <= 0 || end <= start)
        return {};
    const QRectF plot = chart()->plotArea();
    const double left = plot.left() + m_range->fractionAt(start) * plot.width();
    const double right = plot.left() + m_range->fractionAt(end) * plot.width();
    return chart()->mapRectToScene(QRectF(left, plot.top(), right - left, plot.height()));
}

QList<QRectF> WaveformView::segmentBands() const
{
    QList<QRectF> bands;
    for (const WaveformSegment& segment : m_segments) {
        const QRectF band = bandInScene(segment);
        bands << (band.isEmpty() ? QRectF() : QRectF(mapFromScene(band).boundingRect()));
    }
    return bands;
}

void WaveformView::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    if (m_segments.isEmpty())
        return;
    painter->save();
    QFont font = painter->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    painter->setFont(font);
    for (const WaveformSegment& segment : m_segments) {
        const QRectF band = bandInScene(segment);
        if (band.isEmpty())
            continue;
        const QColor colour = segment.uncertain ? QColor(0x90, 0x90, 0x90) : familyColour(segment.family);
        QColor fill = colour;
        fill.setAlpha(40);
        painter->fillRect(band, fill);
        painter->setPen(QPen(colour, 1.0));
        painter->drawLine(band.topLeft(), band.bottomLeft());  // where the note starts
        const QRectF labelRect = band.adjusted(4, 2, -2, 0);
        painter->setPen(colour.darker(140));
        painter->drawText(labelRect, Qt::AlignLeft | Qt::AlignTop,
                          painter->fontMetrics().elidedText(segmentLabel(segment), Qt::ElideRight, int(labelRect.width())));
    }
    painter->restore();
}

void WaveformView::redraw()
{
    if (m_envelope.sampleCount() == 0 || m_range->isEmpty()) {
        m_upper->clear();
        m_lower->clear();
        m_playheadLine->setVisible(false);
        setAxisTicks(m_timeAxis, 0.0, 1.0, 0.25);
        return;
    }
    const double rate = m_sampleRate;
    const std::size_t total = m_envelope.sampleCount();
    const double visibleStart = m_range->start();
    const double visibleEnd = m_range->end();
    // One sample beyond each edge so the line runs to the plot's border.
    const std::size_t last = std::min(total, std::size_t(std::ceil(visibleEnd * rate)) + 2);
    const std::size_t first = std::min(last, std::size_t(std::max(0.0, std::floor(visibleStart * rate) - 1.0)));
    // The plot's width as resizeEvent() sets it, known before the first resize event arrives (a view
    // not shown yet has its size but not its plot area).
    const int columns = std::max(16, PlotMargins::plotRect(size()).width());

    QList<QPointF> upper;
    QList<QPointF> lower;
    float lowest = 0.0f;
    float highest = 0.0f;
    if (last - first <= std::size_t(2 * columns)) {
        // Few enough samples to draw each one.
        const std::vector<float>& s = m_envelope.samples();
        upper.reserve(qsizetype(last - first));
        for (std::size_t i = first; i < last; ++i) {
            upper.append(QPointF(double(i) / rate, double(s[i])));
            lowest = std::min(lowest, s[i]);
            highest = std::max(highest, s[i]);
        }
        lower = upper;
    } else {
        const std::vector<WaveformEnvelope::Extent> extents = m_envelope.columns(first, last, columns);
        const double step = double(last - first) / double(extents.size());
        upper.reserve(qsizetype(extents.size()));
        lower.reserve(qsizetype(extents.size()));
        for (std::size_t c = 0; c < extents.size(); ++c) {
            const double t = (double(first) + (double(c) + 0.5) * step) / rate;
            upper.append(QPointF(t, double(extents[c].max)));
            lower.append(QPointF(t, double(extents[c].min)));
            lowest = std::min(lowest, extents[c].min);
            highest = std::max(highest, extents[c].max);
        }
    }
    m_upper->replace(upper);
    m_lower->replace(lower);

    const double span = visibleEnd - visibleStart;
    setAxisTicks(m_timeAxis, visibleStart, visibleEnd, niceStep(span / 8.0));
    m_timeAxis->setLabelFormat(labelFormatFor(span));

    // Full scale (or the visible peak), with 10 % headroom so the top tick label has room.
    double amplitude = 1.0;
    if (m_fitAmplitude)
        amplitude = std::max(1e-4, double(std::max(std::fabs(lowest), std::fabs(highest))));
    const double amplitudeStep = niceStep(amplitude / 2.0);
    const int decimals = std::max(1, int(-std::floor(std::log10(amplitudeStep) + 1e-9)));
    setAxisTicks(m_amplitudeAxis, -1.1 * amplitude, 1.1 * amplitude, amplitudeStep);
    m_amplitudeAxis->setLabelFormat(QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f"));
    setPlayhead(m_playhead);
    if (!m_segments.isEmpty())
        viewport()->update();
}

QRectF WaveformView::plotInViewport() const
{
    return viewportTransform().mapRect(chart()->mapRectToScene(chart()->plotArea()));
}

void WaveformView::wheelEvent(QWheelEvent* event)
{
    if (!m_axis->wheel(event))
        QChartView::wheelEvent(event);
}

void WaveformView::mousePressEvent(QMouseEvent* event)
{
    if (!m_axis->press(event))
        QChartView::mousePressEvent(event);
}

void WaveformView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_axis->move(event))
        QChartView::mouseMoveEvent(event);
}

void WaveformView::mouseReleaseEvent(QMouseEvent* event)
{
    if (!m_axis->release(event))
        QChartView::mouseReleaseEvent(event);
}

void WaveformView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (!m_axis->doubleClick(event))
        QChartView::mouseDoubleClickEvent(event);
}

void WaveformView::keyPressEvent(QKeyEvent* event)
{
    if (!m_axis->key(event))
        QChartView::keyPressEvent(event);
}

void WaveformView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Show whole sound"), m_range, &TimeRange::reset);
    QAction* fit = menu.addAction(tr("Fit amplitude to view"));
    fit->setCheckable(true);
    fit->setChecked(m_fitAmplitude);
    connect(fit, &QAction::toggled, this, &WaveformView::setFitAmplitude);
    menu.exec(event->globalPos());
}

void WaveformView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    // A fixed plot area, the same as SpectrogramView's, so the two line up in time when stacked.
    chart()->setPlotArea(PlotMargins::plotRect(size()));
    redraw();
}

} // namespace ts::ui
