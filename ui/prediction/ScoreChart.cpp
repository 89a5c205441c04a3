#include "ui/prediction/ScoreChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalStackedBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace ts::ui {
namespace {

const QColor kBestColour(0x2f, 0x6f, 0xae);
const QColor kOtherColour(0xb8, 0xc4, 0xd0);
constexpr int kBarPixels = 17;  // per class: 11 families make a chart about 240 px high

} // namespace

ScoreChart::ScoreChart(const QString& title, const QStringList& labels, const QVector<double>& scores, QWidget* parent)
    : QChartView(new QChart(), parent), m_bars(int(labels.size()))
{
    // The chart is given to the base constructor, as in WaveformView: setChart() would leak the
    // chart QChartView(parent) makes for itself.
    QChart* chart = this->chart();
    chart->setTitle(title);
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    chart->setAnimationOptions(QChart::NoAnimation);

    // Two stacked sets, each class in exactly one of them: the best class gets its own colour.
    const qsizetype best = scores.isEmpty() ? -1 : std::max_element(scores.begin(), scores.end()) - scores.begin();
    auto* bestSet = new QBarSet(tr("predicted"));
    auto* otherSet = new QBarSet(tr("other"));
    bestSet->setColor(kBestColour);
    bestSet->setBorderColor(kBestColour);
    otherSet->setColor(kOtherColour);
    otherSet->setBorderColor(kOtherColour);
    // Bars are listed bottom to top: reverse so the first class is at the top.
    QStringList categories;
    for (qsizetype i = labels.size() - 1; i >= 0; --i) {
        const double percent = i < scores.size() ? 100.0 * scores[i] : 0.0;
        categories << QStringLiteral("%1  %2%").arg(labels[i]).arg(percent, 0, 'f', percent < 9.95 ? 1 : 0);
        bestSet->append(i == best ? percent : 0.0);
        otherSet->append(i == best ? 0.0 : percent);
    }
    auto* series = new QHorizontalStackedBarSeries(chart);
    series->append(bestSet);
    series->append(otherSet);
    series->setBarWidth(0.75);
    chart->addSeries(series);

    auto* classes = new QBarCategoryAxis(chart);
    classes->append(categories);
    classes->setGridLineVisible(false);
    classes->setTruncateLabels(false);  // "synth_lead  32%" must be read whole
    auto* percent = new QValueAxis(chart);
    percent->setRange(0.0, 100.0);
    percent->setTickCount(5);
    percent->setLabelFormat(QStringLiteral("%.0f%%"));
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(classes), static_cast<QAbstractAxis*>(percent)}) {
        QFont font = axis->labelsFont();
        font.setPointSizeF(font.pointSizeF() * 0.85);
        axis->setLabelsFont(font);
    }
    chart->addAxis(classes, Qt::AlignLeft);
    chart->addAxis(percent, Qt::AlignBottom);
    series->attachAxis(classes);
    series->attachAxis(percent);

    setRenderHint(QPainter::Antialiasing, true);
    setMinimumSize(sizeHint());
}

QSize ScoreChart::sizeHint() const
{
    return {380, 70 + kBarPixels * std::max(1, m_bars)};
}

} // namespace ts::ui
