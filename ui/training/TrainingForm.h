#pragma once
// The settings of one training run on the dashboard: dataset folder, split and seed, architecture
// (with what it predicts, which the architecture fixes), epochs, batch size, learning rate,
// patience, device, the model to fine-tune from (heads only or every layer) and the model file to write. Produces a TrainingRequest; fills itself from a
// checkpoint so a resumed run keeps the settings it was started with.
#include <QWidget>

#include "ml/Device.h"
#include "ml/ModelFile.h"
#include "ui/training/TrainingWorker.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ts::ui {

class TrainingForm : public QWidget {
    Q_OBJECT
public:
    explicit TrainingForm(QWidget* parent = nullptr);

    // The settings as a request (threads and priority are the panel's to set).
    TrainingRequest request() const;
    // The folder of the dataset open in the library: the data folder unless the user chose one.
    void setOpenDataset(const QString& folder);
    // A checkpoint's data folder, split, seed, architecture, batch size, learning rate and
    // patience; the model is written beside the checkpoint; epochs go past what it already has.
    void applyCheckpoint(const ml::ModelMetadata& metadata, const QString& checkpointPath);
    // A fresh default model path (after a run, so the next run does not overwrite it), unless
    // the user typed one.
    void renewDefaultOutput();
    void setRunning(bool running);
    // How many threads a CPU run gets (the panel keeps a core for the window): said on the CPU entry.
    void setCpuThreads(int threads, int cores);
    // Adds the devices not listed yet (the CPU is listed from the start, GPUs once LibTorch has loaded).
    void addDevices(const std::vector<ml::DeviceInfo>& devices);
    QStringList targets() const;  // what the chosen architecture predicts ("family", "source")
    int epochs() const;

    void setDataFolder(const QString& folder);
    void setSplit(const QString& split);  // "seed", "random", "instrument"
    void setSeed(quint64 seed);
    void setArchitecture(const QString& id);
    void setEpochs(int epochs);
    void setBatchSize(int batchSize);
    void setLearningRate(double rate);
    void setPatience(int patience);
    void setProcesses(int processes);
    void setOutputPath(const QString& path);
    // Fine-tuning: the model file to start from (empty: random weights), and whether only its heads
    // learn. Turning "heads only" on moves an untouched learning rate to the heads' 1e-2 (and back).
    void setInitModel(const QString& path);
    void setFreezeBody(bool freeze);
    QString dataFolder() const;
    QString architecture() const;
    QString outputPath() const;
    QString architectureSummary() const;  // the text under the architecture choice
    int deviceCount() const;

Q_SIGNALS:
    // The architecture or the epoch count changed (the idle charts follow them).
    void planChanged();

private:
    void chooseDataFolder();
    void chooseOutputPath();
    void onArchitectureChanged();
    // Adds a "leave out NAME" split for each generator of the dataset folder (none for real NSynth).
    void offerGeneratorSplits();
    void addGeneratorSplit(const QString& generator);
    QString defaultOutputPath() const;

    QLineEdit* m_dataFolder = nullptr;
    QComboBox* m_split = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_architecture = nullptr;
    QLabel* m_architectureInfo = nullptr;
    QLabel* m_target = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QSpinBox* m_patience = nullptr;
    QComboBox* m_device = nullptr;
    QSpinBox* m_processes = nullptr;
    QLineEdit* m_output = nullptr;
    QLineEdit* m_initModel = nullptr;
    QCheckBox* m_freezeBody = nullptr;
    QList<QWidget*> m_inputs;       // disabled while a run is going
    bool m_dataChosen = false;      // the user picked a data folder: opening datasets leaves it
    bool m_outputChosen = false;    // the user picked an output path: it is never replaced
};

} // namespace ts::ui
