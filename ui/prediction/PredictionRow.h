#pragma once
// One file in the PredictionPanel: its name, then what is known about it — waiting, decoded only
// (no model), predicted (family and source with confidence, plus a child row for the score
// charts), or the reason it cannot be read.
#include <QTreeWidgetItem>

#include <optional>

#include "ui/prediction/PredictionResult.h"

namespace ts::ui {

class PredictionRow : public QTreeWidgetItem {
public:
    // ClassColumn (a model of own classes) is last in the model and shown second (PredictionPanel).
    enum Column { FileColumn, FamilyColumn, SourceColumn, DetailsColumn, ClassColumn, ColumnCount };

    PredictionRow(QTreeWidget* tree, const QString& path);

    const QString& path() const { return m_path; }
    // Nothing while the worker has not answered yet.
    const std::optional<PredictionResult>& result() const { return m_result; }
    bool hasError() const { return m_result && !m_result->ok(); }

    void showWaiting();
    // Shows the answer and keeps it (with the sound it carries, which the caller may have dropped
    // to save memory). A predicted row gets a child row for the charts, filled on expansion.
    void showResult(PredictionResult result);
    void dropAudio() { if (m_result) m_result->audio.reset(); }

    // The child row that holds the score charts, or null when there are none.
    QTreeWidgetItem* chartRow() const;

private:
    QString m_path;
    std::optional<PredictionResult> m_result;
};

} // namespace ts::ui
