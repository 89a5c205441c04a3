#pragma once
// The dashboard's progress: one bar for the current epoch (or the feature computation before the
// first one), one for the whole run, and a line with samples per second, time spent and the ETA.
#include <QWidget>

#include "ui/training/TrainingProgress.h"

class QLabel;
class QProgressBar;

namespace ts::ui {

class TrainingProgressBars : public QWidget {
    Q_OBJECT
public:
    explicit TrainingProgressBars(QWidget* parent = nullptr);

    void reset();
    void showFeatures(qint64 done, qint64 total);
    void showBatch(const TrainingBatch& batch);
    void showEpoch(const TrainingEpoch& epoch);
    // The run ended: `overall` goes on the overall bar (filled when `complete`: every planned or
    // needed epoch ran), `line` under it (epochs and time).
    void showFinished(const QString& overall, const QString& line, bool complete);

    QProgressBar* epochBar() const { return m_epoch; }
    QProgressBar* overallBar() const { return m_overall; }
    QString rateText() const;

private:
    void showOverall(int epoch, int epochs, double fraction);

    QProgressBar* m_epoch = nullptr;
    QProgressBar* m_overall = nullptr;
    QLabel* m_rate = nullptr;
};

} // namespace ts::ui
