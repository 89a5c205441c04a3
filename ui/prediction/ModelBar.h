#pragma once
// The strip above the prediction rows that says which model answers and lets the user change it
// (the shipped default or any model file). With no model it becomes a banner that says so and
// offers to open a model file, use the shipped one, or go to training. It only shows and asks:
// loading is the PredictionPanel's job.
#include <QWidget>

#include <optional>

#include "ui/prediction/PredictionResult.h"

class QLabel;
class QToolButton;

namespace ts::ui {

class ModelBar : public QWidget {
    Q_OBJECT
public:
    explicit ModelBar(QWidget* parent = nullptr);

    void showLoading(const QString& path);
    void showModel(const std::optional<LoadedModel>& model);  // nothing: the no-model banner
    void showError(const QString& path, const QString& error);  // under the current model

    // The shipped default model file (empty: this installation has none), and the open dialog's
    // name filter for model files.
    void setShippedModelPath(const QString& path) { m_shippedModelPath = path; }
    const QString& shippedModelPath() const { return m_shippedModelPath; }
    void setModelFileFilter(const QString& filter) { m_modelFileFilter = filter; }

    bool isBannerVisible() const;
    QString text() const;  // what the label says now (tests)

Q_SIGNALS:
    void modelFileChosen(const QString& path);
    void trainingRequested();

private:
    void chooseModelFile();

    QLabel* m_label = nullptr;
    QLabel* m_error = nullptr;
    QToolButton* m_changeButton = nullptr;
    QWidget* m_banner = nullptr;
    QLabel* m_bannerText = nullptr;
    QToolButton* m_useShippedButton = nullptr;
    QString m_shippedModelPath;
    QString m_modelFileFilter;
};

} // namespace ts::ui
