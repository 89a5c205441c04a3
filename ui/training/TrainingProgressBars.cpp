#include "ui/training/TrainingProgressBars.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>

#include <algorithm>
#include <cmath>

namespace ts::ui {
namespace {
constexpr int kOverallSteps = 1000;
}

TrainingProgressBars::TrainingProgressBars(QWidget* parent) : QWidget(parent)
{
    m_epoch = new QProgressBar(this);
    m_overall = new QProgressBar(this);
    m_overall->setRange(0, kOverallSteps);
    m_rate = new QLabel(this);
    m_rate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setVerticalSpacing(3);
    layout->addWidget(new QLabel(tr("Epoch:"), this), 0, 0);
    layout->addWidget(m_epoch, 0, 1);
    layout->addWidget(new QLabel(tr("Overall:"), this), 1, 0);
    layout->addWidget(m_overall, 1, 1);
    layout->addWidget(m_rate, 2, 1);
    layout->setColumnStretch(1, 1);
    reset();
}

void TrainingProgressBars::reset()
{
    m_epoch->setRange(0, 1);
    m_epoch->setValue(0);
    m_epoch->setFormat(tr("not started"));
    m_overall->setValue(0);
    m_overall->setFormat(tr("not started"));
    m_rate->setText(QStringLiteral(" "));
}

void TrainingProgressBars::showFeatures(qint64 done, qint64 total)
{
    m_epoch->setRange(0, int(std::max<qint64>(1, total)));
    m_epoch->setValue(int(std::min(done, total)));
    m_epoch->setFormat(tr("Features: %v of %m notes"));
    m_rate->setText(tr("Computing the features of notes not in the cache yet (only the first run on a dataset does this)"));
}

void TrainingProgressBars::showBatch(const TrainingBatch& b)
{
    m_epoch->setRange(0, std::max(1, b.batches));
    m_epoch->setValue(b.batch);
    m_epoch->setFormat(tr("Epoch %1 of %2 · batch %v of %m").arg(b.epoch).arg(b.epochs));
    showOverall(b.epoch, b.epochs, b.batches > 0 ? double(b.batch) / b.batches : 0.0);
    m_rate->setText(tr("%1 samples/s · %2 elapsed · about %3 left")
                        .arg(QLocale(QLocale::English).toString(b.samplesPerSecond, 'f', 0),
                             formatDuration(b.elapsedSeconds), formatDuration(b.etaSeconds)));
}

void TrainingProgressBars::showEpoch(const TrainingEpoch& e)
{
    m_epoch->setValue(m_epoch->maximum());
    m_epoch->setFormat(tr("Epoch %1 of %2 done in %3").arg(e.epoch).arg(e.epochs).arg(formatDuration(e.seconds)));
    showOverall(e.epoch, e.epochs, 1.0);
    m_rate->setText(tr("%1 samples/s · %2 elapsed · about %3 left")
                        .arg(QLocale(QLocale::English).toString(e.samplesPerSecond, 'f', 0),
                             formatDuration(e.elapsedSeconds), formatDuration(e.etaSeconds)));
}

void TrainingProgressBars::showFinished(const QString& overall, const QString& line, bool complete)
{
    if (complete)
        m_overall->setValue(m_overall->maximum());
    m_overall->setFormat(overall);
    m_rate->setText(line);
}

void TrainingProgressBars::showOverall(int epoch, int epochs, double fraction)
{
    const double done = epochs > 0 ? (epoch - 1 + fraction) / epochs : 0.0;
    m_overall->setValue(int(std::lround(std::clamp(done, 0.0, 1.0) * kOverallSteps)));
    m_overall->setFormat(tr("epoch %1 of %2 · %p%").arg(epoch).arg(epochs));
}

QString TrainingProgressBars::rateText() const
{
    return m_rate->text();
}

} // namespace ts::ui
