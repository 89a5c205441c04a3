#pragma once
// A horizontal bar chart of one prediction's class scores (probabilities, shown in %), the
// predicted class in the accent colour and the others muted. Used in a PredictionPanel row's
// expandable part: one chart for the family, one for the source.
#include <QChartView>
#include <QStringList>
#include <QVector>

namespace ts::ui {

class ScoreChart : public QChartView {
    Q_OBJECT
public:
    // labels and scores in the model's class order; scores are probabilities 0..1.
    ScoreChart(const QString& title, const QStringList& labels, const QVector<double>& scores, QWidget* parent = nullptr);

    QSize sizeHint() const override;

private:
    int m_bars = 0;
};

} // namespace ts::ui
