#include "ui/prediction/TagFolderDialog.h"

#include <algorithm>

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QEventLoop>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <chrono>
#include <thread>

#include "util/AtomicFile.h"

namespace ts::ui {

namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

// The table sorts by this role: text by text, confidences by number (so 100 follows 99.5).
constexpr int kSortRole = Qt::UserRole + 1;

QStandardItem* textItem(const QString& value)
{
    auto* item = new QStandardItem(value);
    item->setData(value, kSortRole);
    return item;
}

// A confidence in per cent with one decimal, sorted as a number.
QStandardItem* percentItem(float fraction)
{
    const double percent = std::round(double(fraction) * 1000.0) / 10.0;
    auto* item = new QStandardItem(QLocale().toString(percent, 'f', 1));
    item->setData(percent, kSortRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString sortActionVerb(ml::SortAction action)
{
    switch (action) {
    case ml::SortAction::Copy: return QObject::tr("be copied");
    case ml::SortAction::HardLink: return QObject::tr("be hard-linked");
    case ml::SortAction::SymbolicLink: return QObject::tr("get a symbolic link");
    }
    return {};
}

} // namespace

TagFolderDialog::TagFolderDialog(const QStringList& modelPaths, QWidget* parent)
    : QDialog(parent),
      m_modelPaths(modelPaths),
      m_folder(new QLineEdit(this)),
      m_start(new QPushButton(tr("Tag"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)),
      m_table(new QTableView(this)),
      m_model(new QStandardItemModel(this)),
      m_export(new QPushButton(tr("Export CSV…"), this)),
      m_sort(new QPushButton(tr("Sort into Folders…"), this))
{
    setWindowTitle(tr("Tag Folder"));
    m_folder->setPlaceholderText(tr("a folder of sound files (every level down)"));
    auto* browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, &TagFolderDialog::chooseFolder);
    connect(m_start, &QPushButton::clicked, this, [this] { startTagging(m_folder->text()); });
    connect(m_folder, &QLineEdit::returnPressed, this, [this] { startTagging(m_folder->text()); });
    connect(m_cancel, &QPushButton::clicked, this, &TagFolderDialog::cancel);
    m_cancel->setEnabled(false);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Folder:"), this));
    top->addWidget(m_folder, 1);
    top->addWidget(browse);
    top->addWidget(m_start);
    top->addWidget(m_cancel);

    m_model->setHorizontalHeaderLabels({tr("File"), tr("Family"), tr("Family %"), tr("Source"), tr("Source %"), tr("Uncertain"),
                                        tr("Error"), tr("Class"), tr("Class %")});
    m_model->setSortRole(kSortRole);
    m_table->setModel(m_model);
    m_table->horizontalHeader()->moveSection(ClassColumn, 1);
    m_table->horizontalHeader()->moveSection(ClassConfidenceColumn, 2);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSortIndicator(FileColumn, Qt::AscendingOrder);  // path order first
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(FileColumn, QHeaderView::Interactive);
    m_table->setColumnWidth(FileColumn, 360);

    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status->setText(tr("Choose a folder: every sound file in it and below is classified with %1.")
                          .arg(m_modelPaths.isEmpty() ? tr("no model") : QFileInfo(m_modelPaths.front()).fileName()));
    m_status->setWordWrap(true);
    m_export->setEnabled(false);
    m_sort->setEnabled(false);
    connect(m_export, &QPushButton::clicked, this, &TagFolderDialog::chooseCsv);
    connect(m_sort, &QPushButton::clicked, this, &TagFolderDialog::sortIntoFolders);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_export);
    bottom->addWidget(m_sort);
    bottom->addStretch(1);
    auto* close = new QPushButton(tr("Close"), this);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    bottom->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addLayout(bottom);
    resize(1000, 600);

    connect(&m_watcher, &QFutureWatcher<TagRun>::finished, this, &TagFolderDialog::onFinished);
}

TagFolderDialog::~TagFolderDialog()
{
    m_token.cancel();
    m_watcher.waitForFinished();
}

QString TagFolderDialog::folder() const { return m_taggedFolder; }
QString TagFolderDialog::statusText() const { return m_status->text(); }
bool TagFolderDialog::isWorking() const { return m_watcher.isRunning(); }

void TagFolderDialog::chooseFolder()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Folder to tag"), m_folder->text());
    if (chosen.isEmpty())
        return;
    m_folder->setText(chosen);
    startTagging(chosen);
}

void TagFolderDialog::cancel()
{
    m_token.cancel();
    m_status->setText(tr("Cancelling after the files in hand…"));
}

void TagFolderDialog::startTagging(const QString& folder)
{
    if (isWorking() || folder.isEmpty())
        return;
    if (!QFileInfo(folder).isDir()) {
        m_status->setText(tr("%1 is not a folder.").arg(QDir::toNativeSeparators(folder)));
        return;
    }
    m_folder->setText(folder);
    m_taggedFolder = folder;
    m_results.clear();
    m_problems.clear();
    m_model->removeRows(0, m_model->rowCount());
    m_token = CancellationToken();
    m_start->setEnabled(false);
    m_cancel->setEnabled(true);
    m_export->setEnabled(false);
    m_sort->setEnabled(false);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Looking for sound files in %1…").arg(QDir::toNativeSeparators(folder)));

    std::vector<std::string> models;
    for (const QString& path : m_modelPaths)
        models.push_back(path.toStdString());
    const CancellationToken token = m_token;
    QPointer<TagFolderDialog> self(this);
    m_watcher.setFuture(QtConcurrent::run([self, models, token, root = folder.toStdString()] {
        const auto started = std::chrono::steady_clock::now();
        TagRun run;
        const auto files = ml::soundFilesUnder(root, run.problems);
        auto predictor = ml::Predictor::open(models);
        if (!predictor) {
            run.problems.push_back(predictor.error().describe());
            return run;
        }
        const int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
        const ProgressSink progress = [self](const Progress& p) {
            QMetaObject::invokeMethod(qApp, [self, done = int(p.done), total = int(p.total)] {
                if (!self)
                    return;
                self->m_progress->setRange(0, total);
                self->m_progress->setValue(done);
                self->m_status->setText(tr("Classified %1 of %2 files…").arg(QLocale().toString(done), QLocale().toString(total)));
            }, Qt::QueuedConnection);
        };
        auto tagged = ml::tagFiles(files, *predictor, models, jobs, progress, token);
        if (tagged)
            run.files = std::move(tagged).value();
        else
            run.problems.push_back(tagged.error().describe());
        run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return run;
    }));
}

void TagFolderDialog::onFinished()
{
    TagRun run = m_watcher.result();
    m_results = std::move(run.files);
    m_problems = std::move(run.problems);
    m_seconds = run.seconds;
    fillTable();
    int unreadable = 0;
    for (const auto& file : m_results)
        unreadable += file.prediction ? 0 : 1;
    const bool cancelled = m_token.isCancelled();
    QString status = cancelled ? tr("Cancelled: %1 of %2 files classified").arg(int(m_results.size()) - unreadable).arg(m_results.size())
                               : tr("%1 files classified in %2 s").arg(QLocale().toString(int(m_results.size()) - unreadable))
                                     .arg(m_seconds, 0, 'f', 1);
    if (unreadable > 0 && !cancelled)
        status += tr("; %1 could not be read (see Error)").arg(unreadable);
    for (const auto& problem : m_problems)
        status += QStringLiteral("\n") + text(problem);
    if (m_results.empty() && m_problems.empty())
        status = tr("No sound files in %1.").arg(QDir::toNativeSeparators(m_taggedFolder));
    m_status->setText(status);
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    m_start->setEnabled(true);
    m_cancel->setEnabled(false);
    m_export->setEnabled(!m_results.empty());
    m_sort->setEnabled(!m_results.empty());
    Q_EMIT taggingFinished(int(m_results.size()), unreadable, cancelled);
}

void TagFolderDialog::fillTable()
{
    m_table->setSortingEnabled(false);
    m_model->removeRows(0, m_model->rowCount());
    const QDir root(m_taggedFolder);
    for (const auto& file : m_results) {
        QList<QStandardItem*> row;
        auto* name = textItem(root.relativeFilePath(text(file.path)));
        name->setToolTip(text(file.path));
        row << name;
        const ml::Prediction* p = file.prediction ? &*file.prediction : nullptr;
        for (const auto* target : {p && p->family ? &*p->family : nullptr, p && p->source ? &*p->source : nullptr}) {
            if (target) {
                row << textItem(text(target->label)) << percentItem(target->confidence);
            } else {
                row << textItem({}) << textItem({});
            }
        }
        const bool uncertain = p && ((p->family && p->family->uncertain) || (p->source && p->source->uncertain) ||
                                     (p->ownClass && p->ownClass->uncertain));
        row << textItem(p ? (uncertain ? tr("yes") : tr("no")) : QString());
        row << textItem(text(file.error));
        if (p && p->ownClass)
            row << textItem(text(p->ownClass->label)) << percentItem(p->ownClass->confidence);
        else
            row << textItem({}) << textItem({});
        m_model->appendRow(row);
    }
    m_table->setSortingEnabled(true);
    m_table->setColumnHidden(ClassColumn, !hasOwnClasses());
    m_table->setColumnHidden(ClassConfidenceColumn, !hasOwnClasses());
}

Status TagFolderDialog::exportCsv(const QString& path) const
{
    return writeFileAtomically(path.toStdString(), ml::taggedCsv(m_results));
}

void TagFolderDialog::chooseCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export tags"), QDir(m_taggedFolder).filePath(QStringLiteral("tags.csv")),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (const Status written = exportCsv(path); !written)
        QMessageBox::warning(this, tr("Export tags"), text(written.error().describe()));
    else
        m_status->setText(tr("Wrote %1 lines to %2").arg(m_results.size()).arg(QDir::toNativeSeparators(path)));
}

bool TagFolderDialog::hasOwnClasses() const
{
    return std::any_of(m_results.begin(), m_results.end(), [](const ml::TaggedFile& f) { return f.prediction && f.prediction->ownClass; });
}

std::vector<ml::SortStep> TagFolderDialog::sortPlan(const QString& destination, ml::SortBy by) const
{
    return ml::planSort(m_results, m_taggedFolder.toStdString(), destination.toStdString(), by);
}

void TagFolderDialog::sortIntoFolders()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Sort into Folders"));
    auto* destination = new QLineEdit(&dialog);
    destination->setText(QDir(m_taggedFolder).absolutePath() + QStringLiteral("-sorted"));
    auto* browse = new QPushButton(tr("Choose…"), &dialog);
    auto* by = new QComboBox(&dialog);
    if (hasOwnClasses())
        by->addItem(tr("class"), int(ml::SortBy::Class));
    by->addItem(tr("family"), int(ml::SortBy::Family));
    by->addItem(tr("source"), int(ml::SortBy::Source));
    auto* action = new QComboBox(&dialog);
    action->addItem(tr("copy the files"), int(ml::SortAction::Copy));
    action->addItem(tr("hard-link the files (no extra space; same disk only)"), int(ml::SortAction::HardLink));
    action->addItem(tr("symbolic links to the files"), int(ml::SortAction::SymbolicLink));
    auto* plan = new QPlainTextEdit(&dialog);
    plan->setReadOnly(true);
    plan->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* summary = new QLabel(&dialog);
    summary->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    QPushButton* go = buttons->addButton(tr("Sort"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString chosen = QFileDialog::getExistingDirectory(&dialog, tr("Sort into"), destination->text());
        if (!chosen.isEmpty())
            destination->setText(chosen);
    });

    std::vector<ml::SortStep> steps;
    // The dry run: what would go where, redone whenever a choice changes.
    auto showPlan = [&] {
        steps = sortPlan(destination->text(), ml::SortBy(by->currentData().toInt()));
        const QString verb = sortActionVerb(ml::SortAction(action->currentData().toInt()));
        QStringList lines;
        int planned = 0;
        for (const auto& step : steps) {
            if (step.skipped.empty()) {
                ++planned;
                lines << QStringLiteral("%1  →  %2").arg(text(step.from), text(step.to));
            } else {
                lines << tr("skip %1 (%2)").arg(text(step.from), text(step.skipped));
            }
        }
        plan->setPlainText(lines.join(QLatin1Char('\n')));
        summary->setText(tr("Dry run: %1 of %2 files would %3 into %4 (one folder per %5; uncertain answers into "
                            "\"uncertain\"). Nothing is moved, and nothing that exists is overwritten.")
                             .arg(planned).arg(steps.size()).arg(verb, QDir::toNativeSeparators(destination->text()), by->currentText()));
        go->setEnabled(planned > 0);
    };
    connect(destination, &QLineEdit::textChanged, &dialog, showPlan);
    connect(by, &QComboBox::currentIndexChanged, &dialog, showPlan);
    connect(action, &QComboBox::currentIndexChanged, &dialog, showPlan);
    showPlan();

    auto* form = new QFormLayout;
    auto* where = new QHBoxLayout;
    where->addWidget(destination, 1);
    where->addWidget(browse);
    form->addRow(tr("Into:"), where);
    form->addRow(tr("One folder per:"), by);
    form->addRow(tr("How:"), action);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(summary);
    layout->addWidget(plan, 1);
    layout->addWidget(buttons);
    dialog.resize(900, 500);
    if (dialog.exec() != QDialog::Accepted)
        return;

    // Copying thousands of files takes a while: off the GUI thread, with progress and Cancel.
    QProgressDialog progress(tr("Sorting files…"), tr("Cancel"), 0, int(steps.size()), this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    const CancellationToken token;
    connect(&progress, &QProgressDialog::canceled, this, [token] { token.cancel(); });
    QPointer<QProgressDialog> shown(&progress);
    const auto how = ml::SortAction(action->currentData().toInt());
    using Outcome = std::pair<std::size_t, std::vector<std::string>>;
    QFutureWatcher<Outcome> watcher;
    QEventLoop waiting;
    connect(&watcher, &QFutureWatcher<Outcome>::finished, &waiting, &QEventLoop::quit);
    watcher.setFuture(QtConcurrent::run([&steps, how, token, shown] {
        Outcome out;
        out.first = ml::applySort(steps, how, out.second, [shown](const Progress& p) {
            QMetaObject::invokeMethod(qApp, [shown, done = int(p.done)] {
                if (shown)
                    shown->setValue(done);
            }, Qt::QueuedConnection);
        }, token);
        return out;
    }));
    waiting.exec();
    progress.reset();
    const auto [placed, problems] = watcher.result();
    QString report = tr("Placed %1 files in %2.").arg(placed).arg(QDir::toNativeSeparators(destination->text()));
    for (std::size_t i = 0; i < problems.size() && i < 20; ++i)
        report += QStringLiteral("\n") + text(problems[i]);
    if (problems.size() > 20)
        report += tr("\n… and %1 more problems").arg(problems.size() - 20);
    m_status->setText(report);
    if (!problems.empty())
        QMessageBox::warning(this, tr("Sort into Folders"), report);
}

} // namespace ts::ui
