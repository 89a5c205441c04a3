#include "ui/training/TrainingCharts.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace ts::ui {
namespace {

const QColor kLossColour(0x6a, 0x4c, 0x93);
const QColor kBatchColour(0x4a, 0x6f, 0x96);
const QColor kBestColour(0xd9, 0x82, 0x2b);
QColor targetColour(const QString& target)
{
    return target == QLatin1String("source") ? QColor(0x2e, 0x8b, 0x57) : QColor(0x2f, 0x6f, 0xae);
}

// The smallest of `steps` × 10^k at or above v.
double niceCeiling(double v, std::initializer_list<double> steps)
{
    if (!(v > 0.0) || !std::isfinite(v))
        return 1.0;
    const double scale = std::pow(10.0, std::floor(std::log10(v)));
    for (double step : steps)
        if (step * scale >= v * (1.0 - 1e-12))
            return step * scale;
    return 10.0 * scale;
}

// Loss axis ends: fine enough steps that the curve fills most of the height.
double lossAxisTop(double maximum)
{
    return niceCeiling(maximum * 1.05, {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0});
}

// Tick spacing giving round labels and about five to eight ticks.
double tickInterval(double range)
{
    return niceCeiling(range / 7.0, {1.0, 2.0, 2.5, 5.0, 10.0});
}

// How many epochs the x axes span: all planned ones when few, else a round number past the
// current position (growing as training goes on), so the first epochs of a long plan are not
// squeezed against the left edge.
int epochAxisSpan(int planned, double position)
{
    if (planned <= 20)
        return planned;
    const double wanted = niceCeiling(std::max(10.0, position * 1.25), {1.0, 2.0, 2.5, 5.0, 10.0});
    return std::min(planned, int(std::ceil(wanted)));
}

QChart* makeChart(const QString& title)
{
    auto* chart = new QChart();
    chart->setTitle(title);
    QFont font = chart->titleFont();
    font.setBold(true);
    chart->setTitleFont(font);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 2, 4, 2));
    chart->legend()->setAlignment(Qt::AlignBottom);
    // Legend entries drawn like their series: dashed validation lines, the round kept-epoch marker.
    chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    return chart;
}

// Validation lines are dashed and a lighter shade of their training line's colour.
QLineSeries* makeLine(const QString& name, const QColor& colour, bool validation, bool points)
{
    auto* series = new QLineSeries();
    series->setName(name);
    QPen pen(validation ? colour.lighter(150) : colour, 2.0);
    if (validation)
        pen.setStyle(Qt::DashLine);
    series->setPen(pen);
    series->setPointsVisible(points);
    series->setMarkerSize(5.0);
    return series;
}

QValueAxis* makeAxis(const QString& title, const QString& format, QChart* chart, Qt::Alignment alignment)
{
    auto* axis = new QValueAxis(chart);
    axis->setTitleText(title);
    axis->setLabelFormat(format);
    chart->addAxis(axis, alignment);
    return axis;
}

void attach(QChart* chart, QAbstractSeries* series, QValueAxis* x, QValueAxis* y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

QChartView* makeView(QChart* chart, QWidget* parent)
{
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(300, 200);
    return view;
}

} // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent)
{
    m_lossChart = makeChart(tr("Loss per epoch"));
    m_lossX = makeAxis(tr("epoch"), QStringLiteral("%.0f"), m_lossChart, Qt::AlignBottom);
    m_lossY = makeAxis(tr("cross-entropy"), QStringLiteral("%.3g"), m_lossChart, Qt::AlignLeft);
    m_trainLoss = makeLine(tr("training"), kLossColour, false, true);
    m_validationLoss = makeLine(tr("validation"), kLossColour, true, true);
    m_best = new QScatterSeries();
    m_best->setName(tr("kept epoch"));
    m_best->setColor(kBestColour);
    m_best->setBorderColor(kBestColour);
    m_best->setMarkerSize(11.0);
    attach(m_lossChart, m_trainLoss, m_lossX, m_lossY);
    attach(m_lossChart, m_validationLoss, m_lossX, m_lossY);
    attach(m_lossChart, m_best, m_lossX, m_lossY);

    m_accuracyChart = makeChart(tr("Accuracy per epoch"));
    m_accuracyX = makeAxis(tr("epoch"), QStringLiteral("%.0f"), m_accuracyChart, Qt::AlignBottom);
    m_accuracyY = makeAxis(QString(), QStringLiteral("%.0f%%"), m_accuracyChart, Qt::AlignLeft);
    m_accuracyY->setRange(0.0, 100.0);
    m_accuracyY->setTickCount(6);

    m_batchChart = makeChart(tr("Training loss per batch (smoothed)"));
    m_batchX = makeAxis(tr("epoch"), QStringLiteral("%.0f"), m_batchChart, Qt::AlignBottom);
    m_batchY = makeAxis(tr("cross-entropy"), QStringLiteral("%.3g"), m_batchChart, Qt::AlignLeft);
    m_batchLoss = makeLine(tr("moving average of batch losses"), kBatchColour, false, false);
    m_batchLoss->setPen(QPen(kBatchColour, 1.5));
    attach(m_batchChart, m_batchLoss, m_batchX, m_batchY);
    m_batchChart->legend()->hide();

    for (QValueAxis* axis : {m_lossX, m_accuracyX, m_batchX, m_lossY, m_batchY}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0.0);
    }

    m_lossView = makeView(m_lossChart, this);
    m_accuracyView = makeView(m_accuracyChart, this);
    m_batchView = makeView(m_batchChart, this);
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_lossView, 0, 0);
    layout->addWidget(m_accuracyView, 0, 1);
    layout->addWidget(m_batchView, 1, 0, 1, 2);
    layout->setRowStretch(0, 3);
    layout->setRowStretch(1, 2);

    reset(10, {});
}

void TrainingCharts::reset(int plannedEpochs, const QStringList& targets)
{
    m_trainLoss->clear();
    m_validationLoss->clear();
    m_best->clear();
    m_batchLoss->clear();
    m_lossMax = 0.0;
    m_batchMax = 0.0;
    m_lastEpoch = 0;
    m_bestLoss = 0.0;
    for (QValueAxis* axis : {m_lossY, m_batchY}) {
        axis->setRange(0.0, 1.0);
        axis->setTickInterval(tickInterval(1.0));
    }

    // Accuracy series are made per run: a two-headed model has a pair per target.
    for (const auto* map : {&m_trainAccuracy, &m_validationAccuracy})
        for (QLineSeries* s : *map) {
            m_accuracyChart->removeSeries(s);
            delete s;
        }
    m_trainAccuracy.clear();
    m_validationAccuracy.clear();
    const bool several = targets.size() > 1;
    for (const QString& target : targets) {
        // Two targets make four entries: short names, so the legend fits a half-width chart.
        auto* train = makeLine(several ? tr("%1 train").arg(target) : tr("training"), targetColour(target), false, true);
        auto* validation = makeLine(several ? tr("%1 val.").arg(target) : tr("validation"), targetColour(target), true, true);
        attach(m_accuracyChart, train, m_accuracyX, m_accuracyY);
        attach(m_accuracyChart, validation, m_accuracyX, m_accuracyY);
        m_trainAccuracy.insert(target, train);
        m_validationAccuracy.insert(target, validation);
    }
    m_accuracyChart->setTitle(several ? tr("Accuracy per epoch (%1)").arg(targets.join(QStringLiteral(" and ")))
                                      : targets.isEmpty() ? tr("Accuracy per epoch")
                                                          : tr("Accuracy per epoch (%1)").arg(targets.first()));
    m_lossChart->setTitle(tr("Loss per epoch"));
    setPlannedEpochs(plannedEpochs);
}

void TrainingCharts::setPlannedEpochs(int epochs)
{
    m_plannedEpochs = std::max(1, epochs);
    m_shownEpochs = 0;
    fitEpochAxes(0.0);
}

void TrainingCharts::fitEpochAxes(double position)
{
    if (position > m_plannedEpochs)
        m_plannedEpochs = int(std::ceil(position));
    const int span = epochAxisSpan(m_plannedEpochs, position);
    if (span <= m_shownEpochs)
        return;
    m_shownEpochs = span;
    for (QValueAxis* axis : {m_lossX, m_accuracyX, m_batchX}) {
        axis->setRange(0.0, span);
        axis->setTickInterval(std::max(1.0, tickInterval(span)));
    }
}

void TrainingCharts::growLossAxis(QValueAxis* axis, double value, double& maximum)
{
    if (!std::isfinite(value) || value <= maximum)
        return;
    maximum = value;
    const double top = lossAxisTop(maximum);
    if (top != axis->max()) {
        axis->setRange(0.0, top);
        axis->setTickInterval(tickInterval(top));
    }
}

void TrainingCharts::addEpoch(const TrainingEpoch& e)
{
    fitEpochAxes(e.epoch);
    m_lastEpoch = e.epoch;
    const double x = e.epoch;
    if (std::isfinite(e.loss))
        m_trainLoss->append(x, e.loss);
    if (std::isfinite(e.validationLoss))
        m_validationLoss->append(x, e.validationLoss);
    growLossAxis(m_lossY, std::max(e.loss, e.validationLoss), m_lossMax);
    if (e.best) {
        m_bestLoss = e.validationLoss;
        m_best->replace({QPointF(x, e.validationLoss)});
    }
    for (auto it = m_trainAccuracy.begin(); it != m_trainAccuracy.end(); ++it)
        if (e.accuracy.contains(it.key()))
            it.value()->append(x, 100.0 * e.accuracy.value(it.key()));
    for (auto it = m_validationAccuracy.begin(); it != m_validationAccuracy.end(); ++it)
        if (e.validationAccuracy.contains(it.key()))
            it.value()->append(x, 100.0 * e.validationAccuracy.value(it.key()));
}

void TrainingCharts::addBatch(const TrainingBatch& b)
{
    if (!std::isfinite(b.smoothedLoss))
        return;
    fitEpochAxes(b.position());
    if (m_batchLoss->count() >= kMaxBatchPoints) {
        const QList<QPointF> points = m_batchLoss->points();
        QList<QPointF> kept;
        kept.reserve(points.size() / 2 + 1);
        for (qsizetype i = 0; i < points.size(); i += 2)
            kept << points[i];
        m_batchLoss->replace(kept);
    }
    m_batchLoss->append(b.position(), b.smoothedLoss);
    growLossAxis(m_batchY, b.smoothedLoss, m_batchMax);
}

void TrainingCharts::showHistory(const QVector<TrainingEpoch>& history, const QStringList& targets, const QString& title)
{
    reset(history.isEmpty() ? 1 : std::max(history.last().epochs, history.last().epoch), targets);
    for (const TrainingEpoch& e : history)
        addEpoch(e);
    m_lossChart->setTitle(title.isEmpty() ? tr("Loss per epoch") : tr("Loss per epoch · %1").arg(title));
}

int TrainingCharts::epochPoints() const
{
    return int(m_trainLoss->count());
}

QLineSeries* TrainingCharts::accuracySeries(const QString& target, bool validation) const
{
    return (validation ? m_validationAccuracy : m_trainAccuracy).value(target, nullptr);
}

QString TrainingCharts::title() const
{
    return m_lossChart->title();
}

} // namespace ts::ui
