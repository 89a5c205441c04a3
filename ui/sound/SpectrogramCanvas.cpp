#include "ui/sound/SpectrogramCanvas.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "dataset/Labels.h"
#include "ui/sound/PlotMargins.h"
#include "ui/sound/TimeAxisInteraction.h"
#include "ui/sound/TimeRange.h"

namespace ts::ui {
namespace {

// The colour bar in the right margin: a gap, the bar, then its dB labels.
constexpr int kColourBarGap = 10;
constexpr int kColourBarWidth = 14;

const QColor kAxisColour(0x4a, 0x50, 0x58);
const QColor kPlayheadColour(0xff, 0x5a, 0x4e);

QString hzLabel(double hz)
{
    if (hz >= 1000.0)
        return QString::number(hz / 1000.0, 'g', 3) + QStringLiteral("k");
    return QString::number(hz, 'g', 3);
}

double niceStep(double raw)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * magnitude >= raw)
            return m * magnitude;
    return 10.0 * magnitude;
}

} // namespace

QString SpectrogramReadout::text() const
{
    QString note = QStringLiteral("—");
    if (!noteName.isEmpty())
        note = QStringLiteral("%1 %2%3 ct").arg(noteName, cents >= 0 ? QStringLiteral("+") : QString()).arg(cents);
    const QString level = levelDb ? QStringLiteral("%1 dB").arg(*levelDb, 0, 'f', 1) : QStringLiteral("—");
    return QStringLiteral("%1 s   %2 Hz   %3   %4")
        .arg(seconds, 0, 'f', 3)
        .arg(hz, 0, 'f', 1)
        .arg(note, level);
}

SpectrogramCanvas::SpectrogramCanvas(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(tr("Wheel: zoom · drag: pan · click: seek · double-click: whole sound"));
    m_axis = new TimeAxisInteraction(this, [this] { return QRectF(plotRect()); }, this);
    connect(m_axis, &TimeAxisInteraction::seekRequested, this, &SpectrogramCanvas::seekRequested);
    m_ownRange = new TimeRange(this);
    setTimeRange(m_ownRange);
}

void SpectrogramCanvas::setTimeRange(TimeRange* range)
{
    if (m_range)
        disconnect(m_range, nullptr, this, nullptr);
    m_range = range ? range : m_ownRange;
    m_axis->setTimeRange(m_range);
    connect(m_range, &TimeRange::changed, this, &SpectrogramCanvas::followRange);
    // A shared range may go before this canvas does (siblings are deleted in turn): never read a
    // deleted one.
    if (m_range != m_ownRange)
        connect(m_range, &QObject::destroyed, this, [this] { setTimeRange(m_ownRange); });
    followRange();
}

void SpectrogramCanvas::followRange()
{
    m_settings.startSeconds = m_range->start();
    m_settings.endSeconds = m_range->end();
    m_imageStale = true;
    update();
}

void SpectrogramCanvas::setData(SpectrogramData data)
{
    m_renderer.setData(std::move(data));
    m_imageStale = true;
    update();
}

void SpectrogramCanvas::setRenderSettings(const SpectrogramRenderSettings& settings)
{
    const double start = m_settings.startSeconds;
    const double end = m_settings.endSeconds;
    m_settings = settings;
    m_settings.startSeconds = start;
    m_settings.endSeconds = end;
    m_imageStale = true;
    update();
}

void SpectrogramCanvas::setPlayhead(double seconds)
{
    if (seconds == m_playhead)
        return;
    m_playhead = seconds;
    update(plotRect().adjusted(-2, 0, 2, 0));
}

void SpectrogramCanvas::setOverlay(std::shared_ptr<const SpectrogramOverlay> overlay)
{
    m_overlay = std::move(overlay);
    m_overlayStrips.clear();
    if (m_overlay && m_overlay->frames > 0 && m_overlay->bands > 0
        && m_overlay->values.size() == std::size_t(m_overlay->frames) * std::size_t(m_overlay->bands)) {
        for (int b = 0; b < m_overlay->bands; ++b) {
            QImage strip(m_overlay->frames, 1, QImage::Format_ARGB32_Premultiplied);
            auto* line = reinterpret_cast<QRgb*>(strip.scanLine(0));
            for (int f = 0; f < m_overlay->frames; ++f) {
                // By the square root, so weaker evidence than the peak still shows.
                const float v = std::sqrt(m_overlay->values[std::size_t(f) * std::size_t(m_overlay->bands) + std::size_t(b)]);
                const int alpha = v < 0.1f ? 0 : int(std::lround(40.0 + 170.0 * std::min(1.0f, v)));
                line[f] = qPremultiply(qRgba(230, 20, 20, alpha));
            }
            m_overlayStrips.push_back(std::move(strip));
        }
    }
    update();
}

void SpectrogramCanvas::drawOverlay(QPainter& painter, const QRect& plot, const FrequencyAxis& axis) const
{
    if (!m_overlay || m_overlayStrips.empty())
        return;
    const double t0 = m_settings.startSeconds, t1 = m_settings.endSeconds;
    if (t1 <= t0)
        return;
    const double spf = m_overlay->secondsPerFrame;
    const double left = plot.left() + (-spf / 2.0 - t0) / (t1 - t0) * plot.width();
    const double right = plot.left() + ((m_overlay->frames - 0.5) * spf - t0) / (t1 - t0) * plot.width();
    painter.save();
    painter.setClipRect(plot);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    for (int b = 0; b < m_overlay->bands && b < int(m_overlay->bandLowHz.size()) && b < int(m_overlay->bandHighHz.size()); ++b) {
        const double top = plot.top() + axis.rowForFrequency(m_overlay->bandHighHz[std::size_t(b)], plot.height());
        const double bottom = plot.top() + axis.rowForFrequency(m_overlay->bandLowHz[std::size_t(b)], plot.height());
        if (bottom <= plot.top() || top >= plot.bottom())
            continue;
        painter.drawImage(QRectF(left, top, right - left, std::max(1.0, bottom - top)), m_overlayStrips[std::size_t(b)]);
    }
    painter.restore();
}

void SpectrogramCanvas::setPlaceholder(const QString& text)
{
    m_placeholder = text;
    update();
}

QRect SpectrogramCanvas::plotRect() const
{
    return PlotMargins::plotRect(size());
}

std::optional<SpectrogramReadout> SpectrogramCanvas::readoutAt(QPointF position) const
{
    const QRect plot = plotRect();
    // Pixel (px, py) of the image covers [px, px+1) × [py, py+1); its centre is what was rendered.
    const double px = position.x() - plot.left();
    const double py = position.y() - plot.top();
    if (!hasData() || px < 0.0 || py < 0.0 || px >= plot.width() || py >= plot.height())
        return std::nullopt;
    SpectrogramReadout readout;
    const double column = std::floor(px);
    const double row = std::floor(py);
    readout.seconds = m_settings.startSeconds + (column + 0.5) / plot.width() * (m_settings.endSeconds - m_settings.startSeconds);
    readout.hz = m_renderer.frequencyAxis(m_settings).frequencyAtRow(row, plot.height());
    if (readout.hz > 0.0) {
        // Fractional MIDI pitch, A4 = 440 Hz; note names cover MIDI 0..127.
        const double midi = 69.0 + 12.0 * std::log2(readout.hz / 440.0);
        const int nearest = int(std::lround(midi));
        if (nearest >= 0 && nearest <= 127) {
            readout.noteName = QString::fromStdString(ts::dataset::noteName(nearest));
            readout.cents = int(std::lround((midi - nearest) * 100.0));
        }
    }
    readout.levelDb = m_renderer.levelAt(readout.seconds, readout.hz);
    return readout;
}

void SpectrogramCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const QRect plot = plotRect();
    const FrequencyAxis axis = m_renderer.frequencyAxis(m_settings);

    if (hasData()) {
        if (m_imageStale || m_image.size() != plot.size()) {
            m_image = m_renderer.render(m_settings, plot.size());
            m_imageStale = false;
        }
        painter.drawImage(plot.topLeft(), m_image);
        drawOverlay(painter, plot, axis);
    } else {
        painter.fillRect(plot, QColor(0xf2, 0xf4, 0xf6));
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(plot, Qt::AlignCenter, m_placeholder.isEmpty() ? tr("No sound") : m_placeholder);
    }
    painter.setPen(QPen(kAxisColour, 1.0));
    painter.drawRect(plot.adjusted(0, 0, -1, -1));

    if (hasData() && m_range->span() > 0.0 && m_playhead >= m_range->start() && m_playhead <= m_range->end()) {
        const double x = plot.left() + m_range->fractionAt(m_playhead) * plot.width();
        painter.setPen(QPen(kPlayheadColour, 1.5));
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }

    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter.setFont(small);
    drawFrequencyAxis(painter, plot, axis);
    drawTimeAxis(painter, plot);
    drawColourBar(painter, plot);
}

void SpectrogramCanvas::drawFrequencyAxis(QPainter& painter, const QRect& plot, const FrequencyAxis& axis) const
{
    const QFontMetrics metrics(painter.font());
    const int maxTicks = std::max(2, plot.height() / (metrics.height() + 10));
    painter.setPen(kAxisColour);
    for (double hz : axis.tickFrequencies(maxTicks)) {
        const double y = plot.top() + axis.rowForFrequency(hz, plot.height()) + 0.5;
        if (y < plot.top() - 0.5 || y > plot.bottom() + 1.5)
            continue;
        painter.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y));
        const QRectF label(0, y - metrics.height() / 2.0, plot.left() - 7, metrics.height());
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter, hzLabel(hz));
    }
    painter.save();
    painter.translate(metrics.height() / 2.0 + 2, plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-plot.height() / 2.0, -metrics.height() / 2.0, plot.height(), metrics.height()),
                     Qt::AlignCenter, tr("Frequency (Hz, %1)").arg(frequencyScaleName(axis.scale()).toLower()));
    painter.restore();
}

void SpectrogramCanvas::drawTimeAxis(QPainter& painter, const QRect& plot) const
{
    const QFontMetrics metrics(painter.font());
    const double t0 = m_settings.startSeconds;
    const double t1 = m_settings.endSeconds;
    if (t1 <= t0)
        return;
    const double step = niceStep((t1 - t0) / std::max(2, plot.width() / 80));
    const int decimals = std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
    painter.setPen(kAxisColour);
    for (double t = std::ceil(t0 / step - 1e-9) * step; t <= t1 + 1e-9; t += step) {
        const double x = plot.left() + (t - t0) / (t1 - t0) * plot.width();
        painter.drawLine(QPointF(x, plot.bottom() + 1), QPointF(x, plot.bottom() + 5));
        painter.drawText(QRectF(x - 40, plot.bottom() + 6, 80, metrics.height()), Qt::AlignHCenter | Qt::AlignTop,
                         QString::number(t, 'f', decimals));
    }
    painter.drawText(QRectF(plot.left(), plot.bottom() + 6 + metrics.height(), plot.width(), metrics.height()),
                     Qt::AlignHCenter | Qt::AlignTop, tr("Time (s)"));
}

void SpectrogramCanvas::drawColourBar(QPainter& painter, const QRect& plot) const
{
    const QRect bar(plot.right() + 1 + kColourBarGap, plot.top(), kColourBarWidth, plot.height());
    const ColourMap map(m_settings.colourMap);
    for (int y = 0; y < bar.height(); ++y) {
        const double level = 1.0 - (y + 0.5) / bar.height();
        painter.setPen(QColor::fromRgb(map.colourAt(level)));
        painter.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    painter.setPen(kAxisColour);
    painter.drawRect(bar.adjusted(0, 0, -1, -1));

    const QFontMetrics metrics(painter.font());
    const double floorDb = m_settings.floorDb;
    const double ceilingDb = m_settings.ceilingDb;
    const double span = std::max(1e-6, ceilingDb - floorDb);
    const double step = niceStep(span / std::max(2, bar.height() / (metrics.height() + 12)));
    for (double db = std::ceil(floorDb / step - 1e-9) * step; db <= ceilingDb + 1e-9; db += step) {
        const double y = bar.top() + (1.0 - (db - floorDb) / span) * bar.height();
        painter.drawLine(QPointF(bar.right() + 1, y), QPointF(bar.right() + 4, y));
        painter.drawText(QRectF(bar.right() + 6, y - metrics.height() / 2.0, width() - bar.right() - 6, metrics.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, QString::number(db, 'f', 0));
    }
    painter.drawText(QRectF(bar.left(), plot.bottom() + 6 + metrics.height(), width() - bar.left(), metrics.height()),
                     Qt::AlignLeft | Qt::AlignTop, tr("Level (dB)"));
}

void SpectrogramCanvas::wheelEvent(QWheelEvent* event)
{
    if (!m_axis->wheel(event))
        QWidget::wheelEvent(event);
}

void SpectrogramCanvas::mousePressEvent(QMouseEvent* event)
{
    if (!m_axis->press(event))
        QWidget::mousePressEvent(event);
}

void SpectrogramCanvas::mouseMoveEvent(QMouseEvent* event)
{
    // The readout follows the pointer while dragging too.
    m_axis->move(event);
    const std::optional<SpectrogramReadout> readout = readoutAt(event->position());
    Q_EMIT hoverTextChanged(readout ? readout->text() : QString());
}

void SpectrogramCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (!m_axis->release(event))
        QWidget::mouseReleaseEvent(event);
}

void SpectrogramCanvas::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (!m_axis->doubleClick(event))
        QWidget::mouseDoubleClickEvent(event);
}

void SpectrogramCanvas::leaveEvent(QEvent* event)
{
    Q_EMIT hoverTextChanged(QString());
    QWidget::leaveEvent(event);
}

void SpectrogramCanvas::keyPressEvent(QKeyEvent* event)
{
    if (!m_axis->key(event))
        QWidget::keyPressEvent(event);
}

} // namespace ts::ui
