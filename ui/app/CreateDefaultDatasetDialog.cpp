#include "ui/app/CreateDefaultDatasetDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ts::ui {

namespace {
QString formatDuration(double seconds)
{
    const int s = int(seconds + 0.5);
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

CreateDefaultDatasetDialog::CreateDefaultDatasetDialog(synth::RenderRequest request, bool outdated, QWidget* parent)
    : QDialog(parent),
      m_request(std::move(request)),
      m_outFolder(QString::fromStdString(m_request.outFolder))
{
    setWindowTitle(tr("Create the Default Dataset"));
    setMinimumWidth(560);
    if (m_request.generators.empty() && !m_request.soundFont.empty())
        m_request.generators.push_back(synth::soundFontGenerator(m_request.soundFont));
    QStringList names;
    QStringList missing;
    for (const synth::SoundGenerator& g : m_request.generators) {
        if (g.kind == synth::GeneratorKind::SoundFont && !QFileInfo::exists(QString::fromStdString(g.path)))
            missing << tr("<tt>%1</tt> (package <tt>%2</tt>)")
                           .arg(QString::fromStdString(g.path).toHtmlEscaped(),
                                QString::fromStdString(g.package.empty() ? "?" : g.package).toHtmlEscaped());
        else
            names << QString::fromStdString(g.name).toHtmlEscaped();
    }
    const bool haveGenerators = !m_request.generators.empty() && missing.isEmpty();
    const double gigabytes = double(m_request.options.count) * 128044.0 / 1e9;
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    if (haveGenerators) {
        const QString why = outdated ? tr("<p><b>The default dataset was made by an older version</b> of Timbrescope's "
                                          "recipe and is rendered again.</p>")
                                     : tr("<p><b>No dataset yet.</b></p>");
        m_text->setText(why
                        + tr("<p>Timbrescope makes its own NSynth-format dataset by rendering %1 four-second notes "
                             "of every instrument family from the sound generators installed on this computer: "
                             "%2.</p><p>Dataset folder: <tt>%3</tt></p>"
                             "<p>This takes a minute or two and about %4 GB of disk space. Cancelling leaves "
                             "nothing behind.</p>")
                              .arg(QLocale().toString(qulonglong(m_request.options.count)), names.join(QStringLiteral(", ")),
                                   QDir::toNativeSeparators(m_outFolder).toHtmlEscaped(),
                                   QLocale().toString(gigabytes, 'f', 1)));
    } else {
        m_text->setText(tr("<p><b>No dataset yet</b>, and a sound generator Timbrescope renders its default dataset "
                           "from is not installed:</p><p>%1</p>"
                           "<p>Install it (<tt>sudo apt install PACKAGE</tt>) and try again, or open an "
                           "NSynth-format folder with File → Open Dataset….</p>")
                            .arg(missing.isEmpty() ? tr("(none listed)") : missing.join(QStringLiteral("<br>"))));
    }
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setVisible(false);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setVisible(false);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_create = m_buttons->addButton(tr("Create Dataset"), QDialogButtonBox::AcceptRole);
    m_create->setEnabled(haveGenerators);
    m_create->setDefault(haveGenerators);
    connect(m_create, &QPushButton::clicked, this, &CreateDefaultDatasetDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &CreateDefaultDatasetDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(m_bar);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
}

// A render still going touches nothing of the dialog but its token and progress sink: m_render
// cancels it and m_progress stops showing its progress, so it ends on its own soon after.
CreateDefaultDatasetDialog::~CreateDefaultDatasetDialog() = default;

void CreateDefaultDatasetDialog::start()
{
    if (m_rendering)
        return;
    m_rendering = true;
    m_create->setEnabled(false);
    m_bar->setVisible(true);
    m_bar->setRange(0, 0);  // busy until the plan is made and the first progress arrives
    m_status->setVisible(true);
    m_status->setText(tr("Reading the sound generators…"));
    m_clock.start();
    adjustSize();  // room for the progress bar and status lines that just appeared

    synth::RenderRequest request = m_request;
    request.replaceExisting = true;  // a folder left without examples.json, or of an old recipe, is not kept
    m_render.run([request, sink = m_progress.sink()](const CancellationToken& cancel) {
        return synth::DatasetRenderer::render(request, cancel, sink);
    }, [this](const Result<synth::RenderSummary>& result) { onFinished(result); });
}

void CreateDefaultDatasetDialog::showProgress(const Progress& progress)
{
    if (!m_rendering)
        return;
    if (m_closeWhenDone) {
        m_status->setText(tr("Cancelling…"));
        return;
    }
    const std::size_t done = progress.done;
    const std::size_t total = progress.total;
    QString status = QString::fromStdString(progress.status);
    if (!status.isEmpty())
        status[0] = status[0].toUpper();  // the renderer's status is a phrase made for the CLI
    if (progress.notice) {
        // Another Timbrescope is rendering this folder: busy until it is done.
        m_bar->setRange(0, 0);
        m_status->setText(status + QStringLiteral("…"));
        return;
    }
    if (total == 0)
        return;
    m_bar->setRange(0, int(total));
    m_bar->setValue(int(done));
    QString text = tr("%1 of %2 notes").arg(QLocale().toString(qulonglong(done)), QLocale().toString(qulonglong(total)));
    const double elapsed = m_clock.elapsed() / 1000.0;
    if (done >= 16 && done < total)
        text += tr(" — about %1 left").arg(formatDuration(elapsed * double(total - done) / double(done)));
    if (!status.isEmpty())
        text += QStringLiteral("\n") + status;
    m_status->setText(text);
}

void CreateDefaultDatasetDialog::onFinished(const Result<synth::RenderSummary>& result)
{
    m_rendering = false;
    m_progress.discardHeld();
    if (m_closeWhenDone || (!result && result.error().code == ErrorCode::Cancelled)) {
        QDialog::reject();
        return;
    }
    if (!result) {
        m_bar->setVisible(false);
        m_status->setText(tr("Rendering failed: %1").arg(QString::fromStdString(result.error().describe())));
        m_create->setText(tr("Try Again"));
        m_create->setEnabled(true);
        return;
    }
    m_created = m_outFolder;
    m_bar->setRange(0, 1);
    m_bar->setValue(1);
    if (result->reused)
        m_status->setText(tr("Done: %1 notes, rendered by another Timbrescope.").arg(result->notesWritten));
    else
        m_status->setText(tr("Done: %1.").arg(tr("%1 notes of %2 instruments in %3")
                                                  .arg(result->notesWritten)
                                                  .arg(result->instruments)
                                                  .arg(formatDuration(result->seconds))));
    Q_EMIT datasetCreated(m_created);
    accept();
}

void CreateDefaultDatasetDialog::reject()
{
    if (!m_rendering) {
        QDialog::reject();
        return;
    }
    // Wait for the worker to notice the token, so the dialog never outlives its render silently.
    m_render.cancel();
    m_closeWhenDone = true;
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(false);
    m_status->setText(tr("Cancelling…"));
}

} // namespace ts::ui
