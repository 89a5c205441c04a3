#pragma once
// The "what to evaluate" part of the confusion viewer: model file, dataset folder, split policy,
// seed and part (automatic, all notes, training, validation or test part). A model's summary fills in
// the split and seed it was trained with, and the automatic part is its test part on the dataset it
// was trained on and every note of any other, so by default it is scored on notes it never saw.
#include <QWidget>

#include "ui/evaluation/EvaluationSetup.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ts::ui {

class EvaluationSetupForm : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationSetupForm(QWidget* parent = nullptr);

    EvaluationSetup setup() const;

    // A model chosen (by the user or a caller): modelPathChanged follows.
    void setModelPath(const QString& path);
    // The model used elsewhere (prediction panel, shipped model): taken unless one was chosen here.
    void setDefaultModelPath(const QString& path);
    void setDataFolder(const QString& folder);
    // The window's open dataset: taken unless a folder was chosen here.
    void setDefaultDataFolder(const QString& folder);
    void setSplit(const QString& split);
    void setSeed(quint64 seed);
    // None: the automatic part.
    void setPart(std::optional<EvaluationPart> part);
    QComboBox* partBox() const { return m_part; }

    // The model file, dataset folder and part chosen here last time (QSettings), as far as they
    // still exist; called once the owner listens to modelPathChanged. Choices made here are saved
    // as they are made; defaults handed in by the window are not.
    void restoreChoices();

    // The model file's metadata arrived: its split and seed become the setup's.
    void setModelSummary(const ModelSummary& summary);
    void setModelError(const QString& message);
    QString modelInfo() const;

    QLineEdit* modelEdit() const { return m_model; }
    QLineEdit* dataEdit() const { return m_data; }

Q_SIGNALS:
    void modelPathChanged(const QString& path);
    // Enter pressed in a field.
    void evaluateRequested();

private:
    void chooseModel();
    void chooseDataFolder();

    QLineEdit* m_model = nullptr;
    QLineEdit* m_data = nullptr;
    QComboBox* m_split = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_part = nullptr;
    QLabel* m_modelInfo = nullptr;
    bool m_modelChosen = false;
    bool m_dataChosen = false;
};

} // namespace ts::ui
