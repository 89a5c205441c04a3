#include "ui/sound/SpectrogramView.h"

#include <QBuffer>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSpinBox>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include "util/AtomicFile.h"

#include "ui/sound/TimeRange.h"

namespace ts::ui {
namespace {

// Up to about a minute at 16 kHz the analysis takes a few milliseconds to a few tens: done at once,
// so selecting a note shows its spectrogram in the same frame. Longer signals go to a thread.
constexpr std::size_t kSynchronousSampleLimit = 1'000'000;

QLabel* smallLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

SpectrogramView::SpectrogramView(QWidget* parent) : QWidget(parent)
{
    m_canvas = new SpectrogramCanvas(this);
    m_canvas->setPlaceholder(tr("No sound"));

    m_analysisBox = new QComboBox(this);
    m_analysisBox->addItem(spectrogramAnalysisName(SpectrogramAnalysis::Stft), int(SpectrogramAnalysis::Stft));
    m_analysisBox->addItem(spectrogramAnalysisName(SpectrogramAnalysis::LogMel), int(SpectrogramAnalysis::LogMel));
    m_analysisBox->setToolTip(tr("STFT: 1024-point FFT every 8 ms.\nLog-mel: the 64 mel bands the timbre-net model sees."));
    m_scaleBox = new QComboBox(this);
    for (FrequencyScale scale : {FrequencyScale::Linear, FrequencyScale::Logarithmic, FrequencyScale::Mel})
        m_scaleBox->addItem(frequencyScaleName(scale), int(scale));
    m_scaleBox->setToolTip(tr("Frequency axis"));
    // Logarithmic by default: harmonics of a musical note are evenly spaced in pitch, not in Hz.
    m_scaleBox->setCurrentIndex(m_scaleBox->findData(int(FrequencyScale::Logarithmic)));
    m_colourBox = new QComboBox(this);
    for (ColourMap::Kind kind : ColourMap::kinds())
        m_colourBox->addItem(ColourMap::displayName(kind), int(kind));
    m_colourBox->setToolTip(tr("Colour map"));
    m_floorBox = new QSpinBox(this);
    m_floorBox->setRange(-160, -20);
    m_floorBox->setSingleStep(10);
    m_floorBox->setValue(-100);
    m_floorBox->setSuffix(tr(" dB"));
    m_floorBox->setToolTip(tr("Floor: levels this far below the top of the colour bar are drawn darkest"));
    m_exportButton = new QToolButton(this);
    m_exportButton->setText(tr("Export PNG…"));
    m_exportButton->setToolTip(tr("Save the spectrogram as shown, with its axes and colour bar"));
    m_readout = new QLabel(this);
    m_readout->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readout->setMinimumWidth(m_readout->fontMetrics().horizontalAdvance(QStringLiteral("0.000 s   0000.0 Hz   C#4 +00 ct   -000.0 dB")));

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->setSpacing(6);
    controls->addWidget(m_analysisBox);
    controls->addWidget(smallLabel(tr("Axis"), this));
    controls->addWidget(m_scaleBox);
    controls->addWidget(smallLabel(tr("Colours"), this));
    controls->addWidget(m_colourBox);
    controls->addWidget(smallLabel(tr("Floor"), this));
    controls->addWidget(m_floorBox);
    controls->addWidget(m_exportButton);
    controls->addStretch(1);
    controls->addWidget(m_readout);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(controls);
    layout->addWidget(m_canvas, 1);

    connect(m_analysisBox, &QComboBox::currentIndexChanged, this, [this] {
        setAnalysis(SpectrogramAnalysis(m_analysisBox->currentData().toInt()));
    });
    for (QComboBox* box : {m_scaleBox, m_colourBox})
        connect(box, &QComboBox::currentIndexChanged, this, &SpectrogramView::applySettings);
    connect(m_floorBox, &QSpinBox::valueChanged, this, &SpectrogramView::applySettings);
    connect(m_exportButton, &QToolButton::clicked, this, &SpectrogramView::chooseExportFile);
    connect(m_canvas, &SpectrogramCanvas::hoverTextChanged, m_readout, &QLabel::setText);
    connect(m_canvas, &SpectrogramCanvas::seekRequested, this, &SpectrogramView::seekRequested);
    applySettings();
}

void SpectrogramView::setSignal(std::vector<float> samples, int sampleRate)
{
    setSignal(std::make_shared<const std::vector<float>>(std::move(samples)), sampleRate);
}

void SpectrogramView::setSignal(std::shared_ptr<const std::vector<float>> samples, int sampleRate)
{
    if (!samples || samples->empty() || sampleRate <= 0) {
        clear();
        return;
    }
    m_samples = std::move(samples);
    m_sampleRate = sampleRate;
    // Set now, not when the analysis arrives: the range is known from the samples, and a view
    // sharing it can be zoomed while a long signal is still being analysed.
    timeRange()->setDuration(double(m_samples->size()) / sampleRate);
    recompute();
}

void SpectrogramView::setAudio(std::shared_ptr<const ts::audio::DecodedAudio> audio)
{
    if (!audio) {
        clear();
        return;
    }
    // The aliasing constructor: the samples stay owned by (and keep alive) the decoded sound.
    std::shared_ptr<const std::vector<float>> samples(audio, &audio->samples);
    setSignal(std::move(samples), ts::audio::kModelSampleRate);
}

void SpectrogramView::clear()
{
    m_background.discard();
    m_samples.reset();
    m_sampleRate = 0;
    timeRange()->setDuration(0.0);
    m_canvas->setData(SpectrogramData{});
    m_canvas->setPlaceholder(tr("No sound"));
    m_exportButton->setEnabled(false);
}

void SpectrogramView::recompute()
{
    // Whatever is still being analysed in the background belongs to a signal or analysis replaced now.
    m_background.discard();
    if (!m_samples)
        return;
    if (m_samples->size() <= kSynchronousSampleLimit) {
        showComputed(SpectrogramData::compute(m_analysis, *m_samples, m_sampleRate));
        return;
    }
    m_canvas->setData(SpectrogramData{});
    m_canvas->setPlaceholder(tr("Analysing…"));
    m_exportButton->setEnabled(false);
    auto samples = m_samples;
    const int rate = m_sampleRate;
    const SpectrogramAnalysis analysis = m_analysis;
    m_background.run([samples, rate, analysis] { return Result<SpectrogramData>(SpectrogramData::compute(analysis, *samples, rate)); },
                     [this](Result<SpectrogramData> data) { showComputed(std::move(data).value()); });
}

void SpectrogramView::showComputed(SpectrogramData data)
{
    m_canvas->setData(std::move(data));
    applySettings();
    m_exportButton->setEnabled(true);
}

void SpectrogramView::applySettings()
{
    SpectrogramRenderSettings settings = m_canvas->renderSettings();
    settings.scale = FrequencyScale(m_scaleBox->currentData().toInt());
    settings.colourMap = ColourMap::Kind(m_colourBox->currentData().toInt());
    settings.ceilingDb = m_canvas->renderer().data().ceilingDb();
    settings.floorDb = settings.ceilingDb + m_floorBox->value();
    m_canvas->setRenderSettings(settings);
}

void SpectrogramView::setPlayhead(double seconds)
{
    m_canvas->setPlayhead(seconds);
}

TimeRange* SpectrogramView::timeRange() const
{
    return m_canvas->timeRange();
}

void SpectrogramView::setTimeRange(TimeRange* range)
{
    m_canvas->setTimeRange(range);
}

void SpectrogramView::setAnalysis(SpectrogramAnalysis analysis)
{
    const int index = m_analysisBox->findData(int(analysis));
    if (m_analysisBox->currentIndex() != index) {
        m_analysisBox->setCurrentIndex(index);  // comes back here through the signal
        return;
    }
    if (analysis == m_analysis)
        return;
    m_analysis = analysis;
    recompute();  // the time range stays: the same stretch of the same sound, analysed anew
}

void SpectrogramView::setFrequencyScale(FrequencyScale scale)
{
    m_scaleBox->setCurrentIndex(m_scaleBox->findData(int(scale)));
}

FrequencyScale SpectrogramView::frequencyScale() const
{
    return FrequencyScale(m_scaleBox->currentData().toInt());
}

void SpectrogramView::setColourMap(ColourMap::Kind kind)
{
    m_colourBox->setCurrentIndex(m_colourBox->findData(int(kind)));
}

ColourMap::Kind SpectrogramView::colourMap() const
{
    return ColourMap::Kind(m_colourBox->currentData().toInt());
}

void SpectrogramView::setFloorDb(int floorDb)
{
    m_floorBox->setValue(floorDb);
}

int SpectrogramView::floorDb() const
{
    return m_floorBox->value();
}

QString SpectrogramView::readoutText() const
{
    return m_readout->text();
}

QImage SpectrogramView::snapshot() const
{
    return m_canvas->grab().toImage();
}

Status SpectrogramView::exportPng(const QString& path) const
{
    const std::string where = path.toStdString();
    if (!m_canvas->hasData())
        return makeError(ErrorCode::InvalidArgument, "there is no spectrogram to export", where);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!snapshot().save(&buffer, "PNG"))
        return makeError(ErrorCode::Internal, "could not encode the image as PNG", where);
    return writeFileAtomically(where, png.constData(), std::size_t(png.size()));
}

void SpectrogramView::chooseExportFile()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export spectrogram"), folder + QStringLiteral("/spectrogram.png"),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    const Status status = exportPng(path);
    if (!status)
        QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(status.error().describe()));
}

} // namespace ts::ui
