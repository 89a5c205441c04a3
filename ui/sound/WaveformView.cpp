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

#include <algorithm>
#include <cmath>

namespace ts::ui {
namespace {

constexpr double kMinVisibleSamples = 16.0;
constexpr double kWheelZoomStep = 1.25;  // one wheel notch: 25 % closer or further
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

} // namespace

WaveformView::WaveformView(QWidget* parent) : QChartView(parent)
{
    auto* chart = new QChart();
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

    setChart(chart);
    setRenderHint(QPainter::Antialiasing, true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumHeight(120);
    setToolTip(tr("Wheel: zoom · drag: pan · click: seek · double-click: whole sound"));
    connect(chart, &QChart::plotAreaChanged, this, [this] { redraw(); });
    clear();
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
    applyRange(0.0, durationSeconds(), false);
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
    m_start = 0.0;
    m_end = 1.0;
    m_timeAxis->setRange(0.0, 1.0);
    m_timeAxis->setTickInterval(0.25);
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

void WaveformView::setVisibleRange(double startSeconds, double endSeconds)
{
    applyRange(startSeconds, endSeconds, false);
}

void WaveformView::resetZoom()
{
    applyRange(0.0, durationSeconds(), true);
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
    const double start = std::max(segment.start, m_start);
    const double end = std::min(segment.end, m_end);
    if (m_sampleRate <= 0 || end <= start)
        return {};
    const QRectF plot = chart()->plotArea();
    const double span = m_end - m_start;
    const double left = plot.left() + (start - m_start) / span * plot.width();
    const double right = plot.left() + (end - m_start) / span * plot.width();
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

void WaveformView::applyRange(double start, double end, bool notify)
{
    const double duration = durationSeconds();
    if (duration <= 0.0)
        return;
    const double minSpan = std::min(duration, kMinVisibleSamples / m_sampleRate);
    double span = std::clamp(end - start, minSpan, duration);
    start = std::clamp(start, 0.0, duration - span);
    end = start + span;
    const bool changed = start != m_start || end != m_end;
    m_start = start;
    m_end = end;
    redraw();
    if (changed && notify)
        Q_EMIT visibleRangeChanged(m_start, m_end);
}

void WaveformView::redraw()
{
    if (m_envelope.sampleCount() == 0) {
        m_upper->clear();
        m_lower->clear();
        m_playheadLine->setVisible(false);
        return;
    }
    const double rate = m_sampleRate;
    const std::size_t total = m_envelope.sampleCount();
    // One sample beyond each edge so the line runs to the plot's border.
    const std::size_t first = std::size_t(std::max(0.0, std::floor(m_start * rate) - 1.0));
    const std::size_t last = std::min(total, std::size_t(std::ceil(m_end * rate)) + 2);
    const int columns = std::max(16, int(std::lround(chart()->plotArea().width())));

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

    m_timeAxis->setRange(m_start, m_end);
    const double span = m_end - m_start;
    m_timeAxis->setTickAnchor(0.0);
    m_timeAxis->setTickInterval(niceStep(span / 8.0));
    m_timeAxis->setLabelFormat(labelFormatFor(span));

    // Full scale (or the visible peak), with 10 % headroom so the top tick label has room.
    double amplitude = 1.0;
    if (m_fitAmplitude)
        amplitude = std::max(1e-4, double(std::max(std::fabs(lowest), std::fabs(highest))));
    const double amplitudeStep = niceStep(amplitude / 2.0);
    const int decimals = std::max(1, int(-std::floor(std::log10(amplitudeStep) + 1e-9)));
    m_amplitudeAxis->setRange(-1.1 * amplitude, 1.1 * amplitude);
    m_amplitudeAxis->setTickAnchor(0.0);
    m_amplitudeAxis->setTickInterval(amplitudeStep);
    m_amplitudeAxis->setLabelFormat(QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f"));
    setPlayhead(m_playhead);
    if (!m_segments.isEmpty())
        viewport()->update();
}

double WaveformView::secondsAt(double viewX) const
{
    const QRectF plot = chart()->plotArea();
    const double x = mapToScene(QPoint(int(viewX), 0)).x();
    const double f = plot.width() > 0 ? (x - plot.left()) / plot.width() : 0.0;
    return m_start + std::clamp(f, 0.0, 1.0) * (m_end - m_start);
}

void WaveformView::zoomAbout(double centreSeconds, double factor)
{
    // Keep the time under the pointer where it is on screen.
    const double start = centreSeconds - (centreSeconds - m_start) * factor;
    const double end = centreSeconds + (m_end - centreSeconds) * factor;
    applyRange(start, end, true);
}

void WaveformView::panBy(double seconds)
{
    applyRange(m_start + seconds, m_end + seconds, true);
}

void WaveformView::wheelEvent(QWheelEvent* event)
{
    if (m_sampleRate <= 0)
        return;
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0.0) {
        // A horizontal scroll (trackpad) pans.
        panBy(-event->angleDelta().x() / 120.0 * 0.1 * (m_end - m_start));
        event->accept();
        return;
    }
    zoomAbout(secondsAt(event->position().x()), std::pow(kWheelZoomStep, -notches));
    event->accept();
}

void WaveformView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_sampleRate <= 0) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_dragging = true;
    m_dragMoved = false;
    m_dragStartX = event->position().x();
    m_dragStartRange = m_start;
    event->accept();
}

void WaveformView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging) {
        QChartView::mouseMoveEvent(event);
        return;
    }
    const double dx = event->position().x() - m_dragStartX;
    if (std::fabs(dx) > 3.0)
        m_dragMoved = true;
    if (m_dragMoved) {
        const double width = std::max(1.0, chart()->plotArea().width());
        const double span = m_end - m_start;
        applyRange(m_dragStartRange - dx / width * span, m_dragStartRange - dx / width * span + span, true);
        setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void WaveformView::mouseReleaseEvent(QMouseEvent* event)
{
    if (!m_dragging) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    m_dragging = false;
    unsetCursor();
    if (!m_dragMoved)
        Q_EMIT seekRequested(secondsAt(event->position().x()));
    event->accept();
}

void WaveformView::mouseDoubleClickEvent(QMouseEvent* event)
{
    resetZoom();
    event->accept();
}

void WaveformView::keyPressEvent(QKeyEvent* event)
{
    const double centre = 0.5 * (m_start + m_end);
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomAbout(centre, 1.0 / kWheelZoomStep); break;
    case Qt::Key_Minus: zoomAbout(centre, kWheelZoomStep); break;
    case Qt::Key_0: resetZoom(); break;
    case Qt::Key_Left: panBy(-0.1 * (m_end - m_start)); break;
    case Qt::Key_Right: panBy(0.1 * (m_end - m_start)); break;
    default: QChartView::keyPressEvent(event); return;
    }
    event->accept();
}

void WaveformView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Show whole sound"), this, &WaveformView::resetZoom);
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
    using namespace PlotMargins;
    chart()->setPlotArea(QRectF(kLeft, kTop, std::max(1, width() - kLeft - kRight),
                                std::max(1, height() - kTop - kBottom)));
    redraw();
}

} // namespace ts::ui
