#pragma once
// The training dashboard's live charts: loss per epoch (training and validation, the kept epoch
// marked), accuracy per epoch (per target for two-headed models) and the smoothed per-batch loss.
// All share one x axis, "epochs done", so epoch k's points sit at x = k and the batch curve runs
// between them. Points are appended as they arrive; axes grow only when a point falls outside
// (the x axes span all planned epochs when there are few, else grow in round steps).
#include <QMap>
#include <QStringList>
#include <QWidget>

#include "ui/training/TrainingProgress.h"

class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace ts::ui {

class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    // The batch chart keeps at most this many points: past it every other point is dropped (one
    // replace), so hours of training never make a repaint slow.
    static constexpr int kMaxBatchPoints = 2000;

    explicit TrainingCharts(QWidget* parent = nullptr);

    // Empties the charts for a run of `plannedEpochs` predicting `targets` ("family", "source").
    void reset(int plannedEpochs, const QStringList& targets);
    void addEpoch(const TrainingEpoch& epoch);
    void addBatch(const TrainingBatch& batch);
    // A saved model's history (reset + every epoch); the title says which file.
    void showHistory(const QVector<TrainingEpoch>& history, const QStringList& targets, const QString& title);

    // What the charts hold (tests).
    int epochPoints() const;   // points of the training-loss series
    QLineSeries* lossSeries(bool validation) const { return validation ? m_validationLoss : m_trainLoss; }
    QLineSeries* accuracySeries(const QString& target, bool validation) const;
    QLineSeries* batchSeries() const { return m_batchLoss; }
    QScatterSeries* bestMarker() const { return m_best; }
    QValueAxis* epochAxis() const { return m_lossX; }
    QValueAxis* lossAxis() const { return m_lossY; }
    QValueAxis* batchLossAxis() const { return m_batchY; }
    QString title() const;

private:
    void setPlannedEpochs(int epochs);
    void fitEpochAxes(double position);  // widens the x axes to show `position` (epochs done)
    void growLossAxis(QValueAxis* axis, double value, double& maximum);

    QChart* m_lossChart = nullptr;
    QChart* m_accuracyChart = nullptr;
    QChart* m_batchChart = nullptr;
    QChartView* m_lossView = nullptr;
    QChartView* m_accuracyView = nullptr;
    QChartView* m_batchView = nullptr;

    QLineSeries* m_trainLoss = nullptr;
    QLineSeries* m_validationLoss = nullptr;
    QScatterSeries* m_best = nullptr;
    QLineSeries* m_batchLoss = nullptr;
    QMap<QString, QLineSeries*> m_trainAccuracy;       // per target
    QMap<QString, QLineSeries*> m_validationAccuracy;

    QValueAxis* m_lossX = nullptr;
    QValueAxis* m_lossY = nullptr;
    QValueAxis* m_accuracyX = nullptr;
    QValueAxis* m_accuracyY = nullptr;
    QValueAxis* m_batchX = nullptr;
    QValueAxis* m_batchY = nullptr;
    double m_lossMax = 0.0;
    double m_batchMax = 0.0;
    int m_plannedEpochs = 1;
    int m_shownEpochs = 0;  // the x axes' span
    int m_lastEpoch = 0;
    double m_bestLoss = 0.0;
};

} // namespace ts::ui
