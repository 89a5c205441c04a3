#pragma once
// The Live tab: what is being played, classified as it is played. An input (a microphone chosen
// from the system's devices, or a sound file played in as the test source), a level meter, the
// last 8 s as a scrolling spectrogram with each answered note marked, the family and source of the
// note sounding now ("Listening…" in silence), the notes heard so far with how long each took to
// answer, and Record, which keeps the take as a WAV file to drop into a dataset or onto the window.
// The model runs on a worker thread (ml::LiveListener); the GUI thread only moves samples and draws.
#include <QAudioDevice>
#include <QElapsedTimer>
#include <QPointer>
#include <QString>
#include <QVector>
#include <QWidget>

#include <deque>
#include <memory>
#include <vector>

#include "ui/common/WorkerThread.h"

class QComboBox;
class QLabel;
class QMediaDevices;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace ts::ml {
struct LiveStep;
}

namespace ts::ui {

class LiveInput;
class RollingSpectrogram;
struct LiveEngine;

class LivePanel : public QWidget {
    Q_OBJECT
public:
    explicit LivePanel(QWidget* parent = nullptr);
    ~LivePanel() override;

    // The model answering (loaded on the worker); until one loads the panel says so.
    void setModelPath(const QString& path);
    QString modelPath() const { return m_modelPath; }
    // Plays `path` into the panel as if it were played live (`speed` 1: in real time): the test
    // source. A file that cannot be read is named in the status line with the reason.
    void listenToFile(const QString& path, double speed = 1.0);
    void listenToDevice(const QAudioDevice& device);
    void stopListening();
    bool isListening() const { return m_input != nullptr; }

    // Where Record saves takes (default: the user's data folder, recordings/).
    void setRecordingsFolder(const QString& folder) { m_recordingsFolder = folder; }
    void setRecording(bool on);

    // What the panel shows now, for tests and the status bar.
    QString familyText() const;
    QString sourceText() const;
    QString statusText() const;
    int notesHeard() const;

Q_SIGNALS:
    // A note's answer; `first` for its first one, with how long after the note began it came.
    void answered(double onsetSeconds, const QString& family, const QString& source, bool first, double latencyMs);
    void quiet();
    void listeningChanged(bool listening);
    void recordingSaved(const QString& path);
    void modelReady(bool ok);

private:
    void buildLayout();
    void fillInputs();
    void startSelected();
    void listenTo(std::unique_ptr<LiveInput> input);
    void onSamples(const QVector<float>& samples);
    void onStep(quint64 generation, const ml::LiveStep& step);
    void onEnded(const QString& why);
    void saveTake();
    void showStatus(const QString& text);
    double latencyMsOf(long long onsetSample) const;

    std::unique_ptr<WorkerThread<LiveEngine>> m_engine;
    QString m_modelPath;
    bool m_modelReady = false;
    quint64 m_generation = 0;  // answers of an earlier listening are dropped

    QMediaDevices* m_devices = nullptr;
    QComboBox* m_inputs = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_record = nullptr;
    QProgressBar* m_level = nullptr;
    RollingSpectrogram* m_spectrogram = nullptr;
    QLabel* m_family = nullptr;
    QLabel* m_source = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_saved = nullptr;
    QTreeWidget* m_notes = nullptr;

    LiveInput* m_input = nullptr;
    long long m_samplesIn = 0;  // since listening started
    QElapsedTimer m_clock;
    struct Arrival {
        long long end;  // samples in after this block
        qint64 ns;      // when it arrived
    };
    std::deque<Arrival> m_arrivals;
    std::vector<float> m_take;
    QString m_recordingsFolder;
};

} // namespace ts::ui
