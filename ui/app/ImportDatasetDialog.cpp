#include "ui/app/ImportDatasetDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "util/AppPaths.h"

namespace ts::ui {

namespace {

// A line edit with a "Browse…" button beside it.
QWidget* withBrowse(QLineEdit* edit, QWidget* parent, std::function<void()> browse)
{
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* button = new QPushButton(QObject::tr("Browse…"), row);
    QObject::connect(button, &QPushButton::clicked, row, std::move(browse));
    layout->addWidget(button);
    return row;
}

// A dataset name that is a folder name: letters, digits, '-', '_', '.', spaces become '_'.
QString folderName(QString name)
{
    name = name.trimmed();
    for (QChar& c : name)
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_') && c != QLatin1Char('.'))
            c = QLatin1Char('_');
    while (name.startsWith(QLatin1Char('.')))
        name.remove(0, 1);
    return name;
}

} // namespace

ImportDatasetDialog::ImportDatasetDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("New Dataset from Folder"));
    setMinimumSize(620, 520);
    auto* intro = new QLabel(tr("Make a dataset of your own sounds and classes. Put each class's sound files in a folder "
                                "of its own (<tt>drums/kick/…</tt>, <tt>drums/snare/…</tt>) and choose the folder above "
                                "them, or list files and classes in a CSV (<tt>file,class</tt>). Any format, rate and "
                                "channel count; a file of several notes is cut at its onsets into notes."),
                             this);
    intro->setWordWrap(true);
    m_folder = new QLineEdit(this);
    m_folder->setPlaceholderText(tr("folder with one folder per class"));
    m_csv = new QLineEdit(this);
    m_csv->setPlaceholderText(tr("optional: file,class[,family][,source] per line"));
    m_name = new QLineEdit(this);
    m_wholeFiles = new QCheckBox(tr("Keep each file whole (one note per file, its first 4 s)"), this);

    auto* form = new QFormLayout;
    form->addRow(tr("Sound folder:"), withBrowse(m_folder, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder of Your Sounds"), m_folder->text());
        if (!folder.isEmpty())
            setSourceFolder(folder);
    }));
    form->addRow(tr("Labels CSV:"), withBrowse(m_csv, this, [this] {
        const QString csv = QFileDialog::getOpenFileName(this, tr("Labels CSV"), m_folder->text(), tr("CSV files (*.csv);;All files (*)"));
        if (!csv.isEmpty())
            setCsvFile(csv);
    }));
    form->addRow(tr("Dataset name:"), m_name);
    form->addRow(QString(), m_wholeFiles);

    m_preview = new QTreeWidget(this);
    m_preview->setHeaderLabels({tr("Class"), tr("Files")});
    m_preview->setRootIsDecorated(false);
    m_preview->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_bar = new QProgressBar(this);
    m_bar->setVisible(false);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = m_buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    m_import->setEnabled(false);
    connect(m_import, &QPushButton::clicked, this, &ImportDatasetDialog::startImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDatasetDialog::reject);
    connect(m_folder, &QLineEdit::editingFinished, this, &ImportDatasetDialog::refreshPreview);
    connect(m_csv, &QLineEdit::editingFinished, this, &ImportDatasetDialog::refreshPreview);
    connect(m_name, &QLineEdit::textChanged, this, [this] {
        m_import->setEnabled(m_plan && !folderName(m_name->text()).isEmpty() && !m_importing);
        m_summary->setToolTip(datasetFolder());
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("What will be imported:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_bar);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
}

// An import still going touches nothing of the dialog but its token and progress sink.
ImportDatasetDialog::~ImportDatasetDialog() = default;

void ImportDatasetDialog::setSourceFolder(const QString& folder)
{
    m_folder->setText(QDir::toNativeSeparators(folder));
    refreshPreview();
}

void ImportDatasetDialog::setCsvFile(const QString& csv)
{
    m_csv->setText(QDir::toNativeSeparators(csv));
    refreshPreview();
}

void ImportDatasetDialog::setDatasetName(const QString& name)
{
    m_name->setText(name);
}

QString ImportDatasetDialog::datasetFolder() const
{
    const QString name = folderName(m_name->text());
    return name.isEmpty() ? QString() : QString::fromStdString(appDataFolder()) + QStringLiteral("/datasets/") + name;
}

ml::ImportOptions ImportDatasetDialog::options() const
{
    ml::ImportOptions o;
    o.from = QDir::fromNativeSeparators(m_folder->text().trimmed()).toStdString();
    o.csvPath = QDir::fromNativeSeparators(m_csv->text().trimmed()).toStdString();
    o.out = datasetFolder().toStdString();
    o.wholeFiles = m_wholeFiles->isChecked();
    return o;
}

void ImportDatasetDialog::refreshPreview()
{
    if (m_importing)
        return;
    m_plan.reset();
    m_import->setEnabled(false);
    m_preview->clear();
    // A name typed or chosen is kept; until then the dataset is named after the folder (or CSV).
    if (m_name->text().trimmed().isEmpty()) {
        const QString from = m_folder->text().trimmed(), csv = m_csv->text().trimmed();
        m_name->setText(folderName(from.isEmpty() ? QFileInfo(csv).completeBaseName() : QFileInfo(QDir::cleanPath(from)).fileName()));
    }
    const ml::ImportOptions o = options();
    if (o.from.empty() && o.csvPath.empty()) {
        m_summary->clear();
        return;
    }
    m_summary->setText(tr("Looking for sound files…"));
    // Walking a large folder takes a while: on the pool, only the latest request's answer shown.
    m_planning.run([o] { return ml::planImport(o); }, [this](const Result<ml::ImportPlan>& plan) { showPlan(plan); });
}

void ImportDatasetDialog::showPlan(const Result<ml::ImportPlan>& plan)
{
    m_preview->clear();
    if (!plan) {
        m_summary->setText(tr("Nothing to import: %1").arg(QString::fromStdString(plan.error().describe())));
        Q_EMIT previewReady();
        return;
    }
    m_plan = plan.value();
    for (const auto& [name, files] : m_plan->filesPerClass) {
        auto* item = new QTreeWidgetItem(m_preview, {QString::fromStdString(name), QLocale().toString(files)});
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    QString text = tr("%n sound files in %1 classes.", nullptr, int(m_plan->files.size())).arg(m_plan->filesPerClass.size());
    if (m_plan->filesPerClass.size() < 2)
        text += tr(" A model needs at least two classes to learn.");
    if (!m_plan->skipped.empty()) {
        QStringList shown;
        for (std::size_t i = 0; i < m_plan->skipped.size() && i < 5; ++i)
            shown << QString::fromStdString(m_plan->skipped[i]);
        text += tr("\n%n skipped, for example:\n", nullptr, int(m_plan->skipped.size())) + shown.join(QLatin1Char('\n'));
    }
    m_summary->setText(text);
    m_import->setEnabled(!datasetFolder().isEmpty());
    m_import->setDefault(true);
    Q_EMIT previewReady();
}

void ImportDatasetDialog::startImport()
{
    if (m_importing || !m_plan || datasetFolder().isEmpty())
        return;
    m_importing = true;
    m_import->setEnabled(false);
    m_bar->setVisible(true);
    m_bar->setRange(0, int(m_plan->files.size()));
    m_bar->setValue(0);
    m_status->setText(tr("Importing into %1…").arg(QDir::toNativeSeparators(datasetFolder())));
    const ml::ImportPlan plan = *m_plan;
    const ml::ImportOptions o = options();
    m_running.run([plan, o, sink = m_progress.sink()](const CancellationToken& cancel) { return ml::runImport(plan, o, sink, cancel); },
                  [this](const Result<ml::ImportSummary>& result) { onFinished(result); });
}

void ImportDatasetDialog::showProgress(const Progress& progress)
{
    if (!m_importing || m_closeWhenDone)
        return;
    m_bar->setValue(int(progress.done));
    m_status->setText(tr("%1 of %2 files").arg(progress.done).arg(progress.total));
}

void ImportDatasetDialog::onFinished(const Result<ml::ImportSummary>& result)
{
    m_importing = false;
    m_progress.discardHeld();
    if (m_closeWhenDone || (!result && result.error().code == ErrorCode::Cancelled)) {
        QDialog::reject();
        return;
    }
    m_bar->setVisible(false);
    if (!result) {
        m_status->setText(tr("Import failed: %1").arg(QString::fromStdString(result.error().describe())));
        m_import->setText(tr("Try Again"));
        m_import->setEnabled(true);
        return;
    }
    m_imported = datasetFolder();
    QString text = tr("Imported %1 notes from %2 files in %3 s.")
                       .arg(result->notes)
                       .arg(result->files)
                       .arg(result->seconds, 0, 'f', 1);
    if (!result->failed.empty()) {
        QStringList failed;
        for (const auto& line : result->failed)
            failed << QString::fromStdString(line);
        text += tr("\n%n files could not be read:\n", nullptr, int(failed.size())) + failed.join(QLatin1Char('\n'));
    }
    m_status->setText(text);
    Q_EMIT imported(m_imported);
    // With files that failed, the list stays up for the user to read; Close opens the dataset.
    if (result->failed.empty())
        accept();
    else
        m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Open Dataset"));
}

void ImportDatasetDialog::reject()
{
    if (!m_importing) {
        if (!m_imported.isEmpty())
            accept();
        else
            QDialog::reject();
        return;
    }
    m_running.cancel();
    m_closeWhenDone = true;
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(false);
    m_status->setText(tr("Cancelling…"));
}

QStringList ImportDatasetDialog::previewLines() const
{
    QStringList lines;
    for (int i = 0; i < m_preview->topLevelItemCount(); ++i)
        lines << m_preview->topLevelItem(i)->text(0) + QLatin1Char('\t') + m_preview->topLevelItem(i)->text(1);
    return lines;
}

QString ImportDatasetDialog::statusText() const
{
    return m_summary->text() + QLatin1Char('\n') + m_status->text();
}

} // namespace ts::ui
