#include "ui/live/LivePanel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMediaDevices>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>
#include <optional>

#include "audio/AudioFile.h"
#include "ml/Device.h"
#include "ml/LiveListener.h"
#include "ui/live/LiveInput.h"
#include "ui/live/RollingSpectrogram.h"

namespace ts::ui {

// The worker thread's state: the model and the listener of the current listening.
struct LiveEngine : QObject {
    std::optional<ml::Predictor> predictor;
    std::unique_ptr<ml::LiveListener> listener;
};

namespace {

constexpr int kRate = audio::kModelSampleRate;
constexpr double kMaxTakeSeconds = 600.0;  // Record stops by itself after 10 minutes (38 MB)
constexpr int kFileItem = -1;              // the input list's "sound file" entry

QString percent(float p) { return QStringLiteral("%1 %").arg(int(std::lround(p * 100.0f))); }

QString answerText(const std::optional<ml::TargetPrediction>& p)
{
    if (!p)
        return QString();
    const QString label = QString::fromStdString(p->label).replace(QLatin1Char('_'), QLatin1Char(' '));
    return p->uncertain ? QObject::tr("%1? %2").arg(label, percent(p->confidence)) : QStringLiteral("%1 %2").arg(label, percent(p->confidence));
}

} // namespace

LivePanel::LivePanel(QWidget* parent)
    : QWidget(parent),
      m_engine(std::make_unique<WorkerThread<LiveEngine>>(QStringLiteral("live"))),
      m_recordingsFolder(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/recordings"))
{
    buildLayout();
    m_devices = new QMediaDevices(this);
    connect(m_devices, &QMediaDevices::audioInputsChanged, this, &LivePanel::fillInputs);
    fillInputs();
    m_clock.start();
    showStatus(tr("Choose a model in the Library tab's model bar (the shipped one loads by itself)."));
}

LivePanel::~LivePanel()
{
    stopListening();
}

void LivePanel::buildLayout()
{
    m_inputs = new QComboBox(this);
    m_inputs->setToolTip(tr("Where the sound comes from: a microphone or line input, or a sound file played in real time"));
    m_start = new QPushButton(tr("Listen"), this);
    m_start->setCheckable(true);
    connect(m_start, &QPushButton::clicked, this, [this](bool on) {
        if (on)
            startSelected();
        else
            stopListening();
    });
    m_record = new QPushButton(tr("Record"), this);
    m_record->setCheckable(true);
    m_record->setToolTip(tr("Keep what is heard from now on as a WAV file (up to 10 minutes)"));
    connect(m_record, &QPushButton::toggled, this, &LivePanel::setRecording);
    m_level = new QProgressBar(this);
    m_level->setRange(0, 60);
    m_level->setValue(0);
    m_level->setFormat(tr("silent"));
    m_level->setToolTip(tr("Input level over the last 32 ms (dB; a full-scale sine is 0 dB)"));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Input:"), this));
    top->addWidget(m_inputs, 2);
    top->addWidget(m_start);
    top->addWidget(m_record);
    top->addWidget(m_level, 1);

    m_spectrogram = new RollingSpectrogram(this);

    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    m_family = new QLabel(this);
    m_family->setFont(big);
    m_source = new QLabel(this);
    QFont medium = font();
    medium.setPointSizeF(medium.pointSizeF() * 1.5);
    m_source->setFont(medium);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_saved = new QLabel(this);
    m_saved->setOpenExternalLinks(false);
    connect(m_saved, &QLabel::linkActivated, this, [](const QString& link) { QDesktopServices::openUrl(QUrl(link)); });
    auto* answer = new QVBoxLayout;
    answer->addWidget(new QLabel(tr("Now playing"), this));
    answer->addWidget(m_family);
    answer->addWidget(m_source);
    answer->addWidget(m_status);
    answer->addWidget(m_saved);
    answer->addStretch(1);

    m_notes = new QTreeWidget(this);
    m_notes->setRootIsDecorated(false);
    m_notes->setHeaderLabels({tr("At"), tr("Family"), tr("Source"), tr("Answered after")});
    m_notes->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_notes->setToolTip(tr("The notes heard since Listen: each note's latest answer, and how long after the note began the first came"));

    auto* middle = new QHBoxLayout;
    middle->addLayout(answer, 1);
    middle->addWidget(m_notes, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_spectrogram, 3);
    layout->addLayout(middle, 2);
}

void LivePanel::fillInputs()
{
    const QString current = m_inputs->currentText();
    m_inputs->clear();
    const QAudioDevice preferred = QMediaDevices::defaultAudioInput();
    for (const QAudioDevice& device : QMediaDevices::audioInputs())
        m_inputs->addItem(device == preferred ? tr("%1 (default)").arg(device.description()) : device.description(), device.id());
    m_inputs->addItem(tr("Sound file (test source)…"), kFileItem);
    const int again = m_inputs->findText(current);
    m_inputs->setCurrentIndex(again >= 0 ? again : 0);
}

void LivePanel::startSelected()
{
    const QVariant id = m_inputs->currentData();
    if (id.typeId() == QMetaType::Int && id.toInt() == kFileItem) {
        const QString path = QFileDialog::getOpenFileName(this, tr("Play a Sound File into the Live Panel"), QString(),
                                                          tr("Sound files (*.wav *.flac *.ogg *.mp3 *.aif *.aiff);;All files (*)"));
        if (path.isEmpty()) {
            m_start->setChecked(false);
            return;
        }
        listenToFile(path);
        return;
    }
    for (const QAudioDevice& device : QMediaDevices::audioInputs())
        if (device.id() == id.toByteArray()) {
            listenToDevice(device);
            return;
        }
    m_start->setChecked(false);
    showStatus(tr("No audio input device is available: choose “Sound file (test source)…” to hear a file."));
}

void LivePanel::listenToFile(const QString& path, double speed)
{
    listenTo(std::make_unique<FileInput>(path, speed));
}

void LivePanel::listenToDevice(const QAudioDevice& device)
{
    listenTo(std::make_unique<MicrophoneInput>(device));
}

void LivePanel::listenTo(std::unique_ptr<LiveInput> input)
{
    stopListening();
    QString error;
    input->setParent(this);
    connect(input.get(), &LiveInput::samplesArrived, this, &LivePanel::onSamples);
    connect(input.get(), &LiveInput::ended, this, &LivePanel::onEnded);
    if (!input->start(&error)) {
        m_start->setChecked(false);
        showStatus(error);
        return;
    }
    m_input = input.release();
    ++m_generation;
    m_samplesIn = 0;
    m_arrivals.clear();
    m_notes->clear();
    m_spectrogram->clear();
    m_family->clear();
    m_source->clear();
    m_engine->post([](LiveEngine& engine, const CancellationToken&) {
        engine.listener = engine.predictor ? std::make_unique<ml::LiveListener>(*engine.predictor) : nullptr;
    });
    m_start->setChecked(true);
    m_start->setText(tr("Stop"));
    showStatus(m_modelReady ? tr("Listening to %1…").arg(m_input->name())
                            : tr("Listening to %1, but no model is loaded: nothing will be answered.").arg(m_input->name()));
    Q_EMIT listeningChanged(true);
}

void LivePanel::stopListening()
{
    if (!m_input)
        return;
    if (m_record->isChecked())
        m_record->setChecked(false);  // saves the take
    m_input->stop();
    m_input->disconnect(this);
    m_input->deleteLater();
    m_input = nullptr;
    ++m_generation;
    m_start->setChecked(false);
    m_start->setText(tr("Listen"));
    m_level->setValue(0);
    m_level->setFormat(tr("silent"));
    showStatus(tr("Stopped."));
    Q_EMIT listeningChanged(false);
}

void LivePanel::setModelPath(const QString& path)
{
    if (path.isEmpty() || path == m_modelPath)
        return;
    m_modelPath = path;
    m_modelReady = false;
    QPointer<LivePanel> self(this);
    m_engine->post([self, path](LiveEngine& engine, const CancellationToken&) {
        auto predictor = ml::Predictor::load({path.toStdString()});
        QString error;
        if (predictor) {
            // One view at a time: one LibTorch thread on this worker answers soonest and leaves the
            // other cores to the window (a thread count is a setting of the calling thread).
            ml::configureCpuRuntime(1);
            engine.predictor.emplace(std::move(predictor).value());
            engine.listener = std::make_unique<ml::LiveListener>(*engine.predictor);
        } else {
            error = QString::fromStdString(predictor.error().describe());
        }
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, path, error] {
            if (!self || self->m_modelPath != path)
                return;
            self->m_modelReady = error.isEmpty();
            self->showStatus(error.isEmpty() ? tr("Model: %1. Choose an input and press Listen.").arg(QFileInfo(path).fileName())
                                             : error);
            Q_EMIT self->modelReady(error.isEmpty());
        }, Qt::QueuedConnection);
    });
}

void LivePanel::onSamples(const QVector<float>& samples)
{
    m_samplesIn += samples.size();
    m_arrivals.push_back({m_samplesIn, m_clock.nsecsElapsed()});
    while (m_arrivals.size() > 2 && m_arrivals.front().end < m_samplesIn - 10 * kRate)
        m_arrivals.pop_front();

    // The meter: the last 32 ms.
    const qsizetype n = std::min<qsizetype>(samples.size(), 512);
    double sum = 0.0;
    for (qsizetype i = samples.size() - n; i < samples.size(); ++i)
        sum += double(samples[i]) * samples[i];
    const double db = n > 0 && sum > 0.0 ? 10.0 * std::log10(2.0 * sum / double(n)) : -200.0;
    m_level->setValue(int(std::clamp(db + 60.0, 0.0, 60.0)));
    m_level->setFormat(db > -60.0 ? tr("%1 dB").arg(int(std::lround(db))) : tr("silent"));

    m_spectrogram->addSamples(samples.constData(), std::size_t(samples.size()));
    if (m_record->isChecked()) {
        m_take.insert(m_take.end(), samples.begin(), samples.end());
        if (double(m_take.size()) >= kMaxTakeSeconds * kRate)
            m_record->setChecked(false);
    }

    QPointer<LivePanel> self(this);
    const quint64 generation = m_generation;
    m_engine->post([self, generation, samples](LiveEngine& engine, const CancellationToken&) {
        if (!engine.listener)
            return;
        auto step = engine.listener->feed(samples.constData(), std::size_t(samples.size()));
        if (!step) {
            const QString error = QString::fromStdString(step.error().describe());
            QMetaObject::invokeMethod(QCoreApplication::instance(), [self, error] {
                if (self)
                    self->showStatus(error);
            }, Qt::QueuedConnection);
            return;
        }
        if (step->answers.empty() && !step->quietStarted)
            return;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, step = std::move(step).value()] {
            if (self)
                self->onStep(generation, step);
        }, Qt::QueuedConnection);
    });
}

double LivePanel::latencyMsOf(long long onsetSample) const
{
    // The block that brought the onset arrived when its last sample did: the onset was heard that
    // sample count earlier.
    for (const Arrival& a : m_arrivals)
        if (a.end > onsetSample) {
            const double heardNs = double(a.ns) - double(a.end - onsetSample) * 1e9 / kRate;
            return (double(m_clock.nsecsElapsed()) - heardNs) / 1e6;
        }
    return 0.0;
}

void LivePanel::onStep(quint64 generation, const ml::LiveStep& step)
{
    if (generation != m_generation)
        return;
    for (const ml::LiveAnswer& a : step.answers) {
        // A model of own classes answers with its class in large type, then family and source
        // (when a second model gives them) on the second line.
        const auto& own = a.prediction.ownClass;
        const QString family = own ? answerText(own) : answerText(a.prediction.family);
        QStringList second;
        for (const QString& part : {own ? answerText(a.prediction.family) : QString(), answerText(a.prediction.source)})
            if (!part.isEmpty())
                second << part;
        const QString source = second.join(QStringLiteral("  ·  "));
        const auto onsetSample = (long long)std::llround(a.onset * kRate);
        double latency = 0.0;
        QTreeWidgetItem* row = m_notes->topLevelItemCount() > 0 ? m_notes->topLevelItem(0) : nullptr;
        if (a.first) {
            latency = latencyMsOf(onsetSample);
            row = new QTreeWidgetItem;
            row->setText(0, QStringLiteral("%1 s").arg(a.onset, 0, 'f', 2));
            row->setText(3, tr("%1 ms").arg(int(std::lround(latency))));
            row->setData(0, Qt::UserRole, a.onset);
            m_notes->insertTopLevelItem(0, row);
        }
        if (row && row->data(0, Qt::UserRole).toDouble() == a.onset) {
            row->setText(1, family);
            row->setText(2, source);
            const auto& best = own ? own : a.prediction.family ? a.prediction.family : a.prediction.source;
            m_spectrogram->markNote(onsetSample, best ? QString::fromStdString(best->label) : QString());
        }
        m_family->setText(family);
        m_source->setText(source);
        Q_EMIT answered(a.onset, family, source, a.first, latency);
    }
    if (step.quietStarted) {
        m_family->setText(tr("Listening…"));
        m_source->clear();
        Q_EMIT quiet();
    }
}

void LivePanel::onEnded(const QString& why)
{
    const bool fileDone = why.isEmpty();
    stopListening();
    showStatus(fileDone ? tr("The sound file has played to its end.") : why);
}

void LivePanel::setRecording(bool on)
{
    if (m_record->isChecked() != on) {
        m_record->setChecked(on);  // comes back here through toggled
        return;
    }
    m_record->setText(on ? tr("Stop Recording") : tr("Record"));
    if (on) {
        m_take.clear();
        m_saved->clear();
    } else {
        saveTake();
    }
}

void LivePanel::saveTake()
{
    if (m_take.empty())
        return;
    QDir().mkpath(m_recordingsFolder);
    const QString path = QDir(m_recordingsFolder).filePath(
        QStringLiteral("take-%1.wav").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"))));
    const double seconds = double(m_take.size()) / kRate;
    if (auto written = audio::writeWav16(path.toStdString(), m_take, kRate); !written) {
        m_saved->setText(QString::fromStdString(written.error().describe()));
        return;
    }
    m_take.clear();
    m_saved->setText(tr("Saved %1 (%2 s). <a href=\"%3\">Show in folder</a>")
                         .arg(QFileInfo(path).fileName())
                         .arg(seconds, 0, 'f', 1)
                         .arg(QUrl::fromLocalFile(m_recordingsFolder).toString()));
    m_saved->setToolTip(QDir::toNativeSeparators(path));
    Q_EMIT recordingSaved(path);
}

void LivePanel::showStatus(const QString& text) { m_status->setText(text); }

QString LivePanel::familyText() const { return m_family->text(); }
QString LivePanel::sourceText() const { return m_source->text(); }
QString LivePanel::statusText() const { return m_status->text(); }
int LivePanel::notesHeard() const { return m_notes->topLevelItemCount(); }

} // namespace ts::ui
