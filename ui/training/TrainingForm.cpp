#include "ui/training/TrainingForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

#include "dataset/Dataset.h"
#include "ml/Architecture.h"
#include "ml/DatasetImport.h"
#include "ml/Device.h"
#include "util/AppPaths.h"

namespace ts::ui {
namespace {

QString inputText(dataset::FeatureKind kind)
{
    switch (kind) {
    case dataset::FeatureKind::SeedStft: return TrainingForm::tr("499×129 STFT");
    case dataset::FeatureKind::LogMel: return TrainingForm::tr("64-band log-mel");
    case dataset::FeatureKind::RawAudio: return TrainingForm::tr("64,000 raw samples");
    }
    return {};
}

QString targetText(const ml::Architecture& a)
{
    QStringList parts;
    for (ml::Target t : a.targets)
        parts << TrainingForm::tr("%1 (%2 classes)")
                     .arg(QString::fromStdString(ml::targetName(t)))
                     .arg(ml::labelsOf(a, t).size());
    return parts.join(TrainingForm::tr(" and "));
}

// The architecture as it will train on `dataFolder`: with a Class head when the folder is an
// imported dataset of own classes (ml::importedClasses), else as listed.
std::optional<ml::Architecture> plannedArchitecture(const QString& id, const QString& dataFolder)
{
    auto a = ml::findArchitecture(id.toStdString());
    if (!a)
        return a;
    const auto classes = ml::importedClasses(dataFolder.trimmed().toStdString());
    if (classes.size() >= 2)
        if (auto own = ml::withOwnClasses(*a, classes))
            return own.value();
    return a;
}

QWidget* withButton(QWidget* field, QToolButton* button, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    row->addWidget(field, 1);
    row->addWidget(button);
    return box;
}

QFormLayout* formIn(QGroupBox* group)
{
    auto* form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return form;
}

} // namespace

TrainingForm::TrainingForm(QWidget* parent) : QWidget(parent)
{
    // The initial values are the job's defaults, the ones `timbrescope train` takes.
    const ml::TrainingJobSpec defaults;
    const ml::TrainingOptions& o = defaults.options;
    auto* data = new QGroupBox(tr("Data"), this);
    m_dataFolder = new QLineEdit(this);
    m_dataFolder->setPlaceholderText(tr("NSynth-format dataset folder"));
    connect(m_dataFolder, &QLineEdit::textEdited, this, [this] { m_dataChosen = true; });
    auto* browseData = new QToolButton(this);
    browseData->setText(tr("…"));
    browseData->setToolTip(tr("Choose a dataset folder"));
    connect(browseData, &QToolButton::clicked, this, &TrainingForm::chooseDataFolder);
    m_split = new QComboBox(this);
    m_split->addItem(tr("instrument (no instrument in two parts)"), QStringLiteral("instrument"));
    m_split->addItem(tr("random (stratified by family)"), QStringLiteral("random"));
    m_split->addItem(tr("seed (file order, as the seed did)"), QStringLiteral("seed"));
    m_split->addItem(tr("final (every instrument but a validation part; no test part)"), QStringLiteral("final"));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 1'000'000'000);
    m_seed->setValue(int(o.seed));
    m_seed->setToolTip(tr("Seeds the split, the initial weights and the batch order"));
    auto* dataForm = formIn(data);
    dataForm->addRow(tr("Dataset:"), withButton(m_dataFolder, browseData, this));
    dataForm->addRow(tr("Split:"), m_split);
    dataForm->addRow(tr("Seed:"), m_seed);

    auto* model = new QGroupBox(tr("Model"), this);
    m_architecture = new QComboBox(this);
    for (const auto& a : ml::architectures())
        m_architecture->addItem(QString::fromStdString(a.id), QString::fromStdString(a.id));
    m_target = new QLabel(this);
    m_target->setWordWrap(true);
    m_target->setToolTip(tr("The seed's models each predict one target (seed-cnn2d and seed-logreg-spec the family,\n"
                            "seed-cnn1d and seed-logreg-raw the source); timbre-net predicts both at once."));
    m_architectureInfo = new QLabel(this);
    m_architectureInfo->setWordWrap(true);
    m_architectureInfo->setForegroundRole(QPalette::PlaceholderText);
    m_initModel = new QLineEdit(this);
    m_initModel->setObjectName(QStringLiteral("initModel"));
    m_initModel->setPlaceholderText(tr("random weights (or a model to fine-tune)"));
    m_initModel->setToolTip(tr("Fine-tuning: start from this trained model of the same architecture\n"
                               "(the shipped timbre-net, say) instead of random weights"));
    auto* browseInit = new QToolButton(this);
    browseInit->setText(tr("…"));
    browseInit->setToolTip(tr("Choose a model to start from"));
    connect(browseInit, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Start from a model"), m_initModel->text(),
                                                          tr("Timbrescope models (*.tsm)"));
        if (!path.isEmpty())
            setInitModel(path);
    });
    m_freezeBody = new QCheckBox(tr("Train the heads only (keep the body)"), this);
    m_freezeBody->setToolTip(tr("Only the last layers, from the model's embedding to the classes, learn; every other\n"
                                "weight and statistic stays as in the model you start from. A few examples per\n"
                                "class are enough. The learning rate moves to 1e-2, the heads' own."));
    m_freezeBody->setEnabled(false);
    connect(m_initModel, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_freezeBody->setEnabled(!text.trimmed().isEmpty());
        if (text.trimmed().isEmpty())
            m_freezeBody->setChecked(false);
    });
    connect(m_freezeBody, &QCheckBox::toggled, this, [this](bool frozen) {
        const double whole = ml::TrainingOptions{}.learningRate, heads = 1e-2;
        if (frozen && qFuzzyCompare(m_learningRate->value(), whole))
            m_learningRate->setValue(heads);
        else if (!frozen && qFuzzyCompare(m_learningRate->value(), heads))
            m_learningRate->setValue(whole);
    });
    auto* modelForm = formIn(model);
    modelForm->addRow(tr("Architecture:"), m_architecture);
    modelForm->addRow(tr("Predicts:"), m_target);
    modelForm->addRow(m_architectureInfo);
    modelForm->addRow(tr("Start from:"), withButton(m_initModel, browseInit, this));
    modelForm->addRow(QString(), m_freezeBody);

    auto* training = new QGroupBox(tr("Training"), this);
    m_epochs = new QSpinBox(this);
    m_epochs->setRange(1, 10'000);
    m_epochs->setValue(o.epochs);
    m_batchSize = new QSpinBox(this);
    m_batchSize->setRange(2, 4096);
    m_batchSize->setValue(o.batchSize);
    m_learningRate = new QDoubleSpinBox(this);
    m_learningRate->setDecimals(5);
    m_learningRate->setRange(0.00001, 1.0);
    m_learningRate->setSingleStep(0.0001);
    m_learningRate->setValue(o.learningRate);
    m_learningRate->setToolTip(tr("Adam's learning rate"));
    m_patience = new QSpinBox(this);
    m_patience->setRange(1, 10'000);
    m_patience->setValue(o.patience);
    m_patience->setSuffix(tr(" epochs"));
    m_patience->setToolTip(tr("Stop when the validation accuracy has not improved for this many epochs"));
    m_device = new QComboBox(this);
    addDevices({ml::cpuDevice()});  // GPUs are added once LibTorch has loaded (addDevices)
    m_device->setCurrentIndex(std::max(0, m_device->findData(QString::fromStdString(o.device))));
    m_processes = new QSpinBox(this);
    m_processes->setRange(1, std::max(1, QThread::idealThreadCount()));
    m_processes->setValue(1);
    m_processes->setToolTip(tr("Train as several processes on this machine (LibTorch's c10d): each takes its share of\n"
                               "every epoch with the batch size above, and every step averages their gradients,\n"
                               "so a step learns from processes × batch notes. The threads are shared among them."));
    auto* trainingForm = formIn(training);
    trainingForm->addRow(tr("Epochs:"), m_epochs);
    trainingForm->addRow(tr("Batch size:"), m_batchSize);
    trainingForm->addRow(tr("Learning rate:"), m_learningRate);
    trainingForm->addRow(tr("Patience:"), m_patience);
    trainingForm->addRow(tr("Device:"), m_device);
    trainingForm->addRow(tr("Processes:"), m_processes);

    auto* output = new QGroupBox(tr("Model file"), this);
    m_output = new QLineEdit(this);
    connect(m_output, &QLineEdit::textEdited, this, [this] { m_outputChosen = true; });
    auto* browseOutput = new QToolButton(this);
    browseOutput->setText(tr("…"));
    browseOutput->setToolTip(tr("Choose where to save the model"));
    connect(browseOutput, &QToolButton::clicked, this, &TrainingForm::chooseOutputPath);
    auto* outputForm = formIn(output);
    outputForm->addRow(tr("Save as:"), withButton(m_output, browseOutput, this));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QGroupBox* group : {data, model, training, output})
        layout->addWidget(group);
    layout->addStretch(1);

    m_inputs = {m_dataFolder, browseData, m_split, m_seed, m_architecture, m_initModel, browseInit, m_freezeBody, m_epochs,
                m_batchSize, m_learningRate, m_patience, m_device, m_processes, m_output, browseOutput};
    connect(m_architecture, &QComboBox::currentIndexChanged, this, &TrainingForm::onArchitectureChanged);
    connect(m_split, &QComboBox::currentIndexChanged, this, &TrainingForm::renewDefaultOutput);
    connect(m_epochs, &QSpinBox::valueChanged, this, &TrainingForm::planChanged);
    connect(m_dataFolder, &QLineEdit::textChanged, m_dataFolder, &QWidget::setToolTip);
    connect(m_dataFolder, &QLineEdit::textChanged, this, &TrainingForm::offerGeneratorSplits);
    connect(m_dataFolder, &QLineEdit::textChanged, this, &TrainingForm::onArchitectureChanged);  // own classes or not
    connect(m_output, &QLineEdit::textChanged, m_output, &QWidget::setToolTip);
    setSplit(QString::fromStdString(defaults.split));
    setArchitecture(QString::fromStdString(o.architecture));
    onArchitectureChanged();
}

TrainingRequest TrainingForm::request() const
{
    TrainingRequest r;
    ml::TrainingJobSpec& job = r.job;
    job.dataFolder = dataFolder().toStdString();
    job.split = m_split->currentData().toString().toStdString();
    job.modelPath = outputPath().toStdString();
    job.options.architecture = architecture().toStdString();
    job.options.seed = quint64(m_seed->value());
    job.options.epochs = m_epochs->value();
    job.options.batchSize = m_batchSize->value();
    job.options.learningRate = m_learningRate->value();
    job.options.patience = m_patience->value();
    job.options.device = m_device->currentData().toString().toStdString();
    job.options.initPath = m_initModel->text().trimmed().toStdString();
    job.options.freezeBody = !job.options.initPath.empty() && m_freezeBody->isChecked();
    r.processes = m_processes->value();
    return r;
}

void TrainingForm::setProcesses(int processes) { m_processes->setValue(processes); }

void TrainingForm::setOpenDataset(const QString& folder)
{
    if (!m_dataChosen)
        m_dataFolder->setText(folder);
}

void TrainingForm::applyCheckpoint(const ml::ModelMetadata& m, const QString& checkpointPath)
{
    setDataFolder(QString::fromStdString(m.dataPath));
    setSplit(QString::fromStdString(m.split));
    setSeed(m.seed);
    setArchitecture(QString::fromStdString(m.architecture));
    setBatchSize(m.batchSize);
    setLearningRate(m.learningRate);
    setPatience(m.patience);
    if (m_epochs->value() <= int(m.history.size()))
        setEpochs(int(m.history.size()) + std::max(1, m.patience));
    setOutputPath(QString::fromStdString(ml::modelPathForCheckpoint(checkpointPath.toStdString())));
}

void TrainingForm::renewDefaultOutput()
{
    if (!m_outputChosen)
        m_output->setText(defaultOutputPath());
}

void TrainingForm::setRunning(bool running)
{
    for (QWidget* w : m_inputs)
        w->setEnabled(!running);
    m_freezeBody->setEnabled(!running && !m_initModel->text().trimmed().isEmpty());
}

void TrainingForm::setDataFolder(const QString& folder)
{
    m_dataChosen = true;
    m_dataFolder->setText(folder);
}

void TrainingForm::setSplit(const QString& split)
{
    if (m_split->findData(split) < 0 && split.startsWith(QLatin1String("generator:")))
        addGeneratorSplit(split.mid(10));
    const int i = m_split->findData(split);
    if (i >= 0)
        m_split->setCurrentIndex(i);
}

void TrainingForm::addGeneratorSplit(const QString& generator)
{
    m_split->addItem(tr("leave out %1 (test on all its notes)").arg(generator), QStringLiteral("generator:") + generator);
}

void TrainingForm::offerGeneratorSplits()
{
    // A rendered dataset's generators (instruments.json): one "leave one generator out" split each.
    const QString current = m_split->currentData().toString();
    for (int i = m_split->count() - 1; i >= 0; --i)
        if (m_split->itemData(i).toString().startsWith(QLatin1String("generator:")))
            m_split->removeItem(i);
    for (const std::string& name : dataset::generatorNamesIn(m_dataFolder->text().trimmed().toStdString()))
        addGeneratorSplit(QString::fromStdString(name));
    m_split->setCurrentIndex(std::max(0, m_split->findData(current)));  // a vanished one falls back to instrument
}

void TrainingForm::setSeed(quint64 seed) { m_seed->setValue(int(std::min<quint64>(seed, quint64(m_seed->maximum())))); }

void TrainingForm::setArchitecture(const QString& id)
{
    const int i = m_architecture->findData(id);
    if (i >= 0)
        m_architecture->setCurrentIndex(i);
}

void TrainingForm::setEpochs(int epochs) { m_epochs->setValue(epochs); }
void TrainingForm::setBatchSize(int batchSize) { m_batchSize->setValue(batchSize); }
void TrainingForm::setLearningRate(double rate) { m_learningRate->setValue(rate); }
void TrainingForm::setPatience(int patience) { m_patience->setValue(patience); }

void TrainingForm::setInitModel(const QString& path) { m_initModel->setText(path); }
void TrainingForm::setFreezeBody(bool freeze) { m_freezeBody->setChecked(freeze); }

void TrainingForm::setOutputPath(const QString& path)
{
    m_outputChosen = true;
    m_output->setText(path);
}

QString TrainingForm::dataFolder() const { return m_dataFolder->text().trimmed(); }
QString TrainingForm::architecture() const { return m_architecture->currentData().toString(); }
QString TrainingForm::outputPath() const { return m_output->text().trimmed(); }
QString TrainingForm::architectureSummary() const { return m_target->text() + QLatin1Char('\n') + m_architectureInfo->text(); }
int TrainingForm::deviceCount() const { return m_device->count(); }
int TrainingForm::epochs() const { return m_epochs->value(); }

QStringList TrainingForm::targets() const
{
    QStringList out;
    if (const auto a = plannedArchitecture(architecture(), m_dataFolder->text()))
        for (ml::Target t : a->targets)
            out << QString::fromStdString(ml::targetName(t));
    return out;
}

void TrainingForm::addDevices(const std::vector<ml::DeviceInfo>& devices)
{
    for (const auto& d : devices)
        if (m_device->findData(QString::fromStdString(d.id)) < 0)
            m_device->addItem(QString::fromStdString(d.label), QString::fromStdString(d.id));
}

void TrainingForm::setCpuThreads(int threads, int cores)
{
    const int i = m_device->findData(QStringLiteral("cpu"));
    if (i < 0)
        return;
    m_device->setItemText(i, threads == 1 ? tr("CPU · 1 thread of %1 cores").arg(cores)
                                          : tr("CPU · %1 threads of %2 cores").arg(threads).arg(cores));
    m_device->setItemData(i, threads < cores ? tr("Training leaves one core to the window so it stays responsive")
                                             : QString(), Qt::ToolTipRole);
}

void TrainingForm::chooseDataFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), dataFolder());
    if (!folder.isEmpty())
        setDataFolder(folder);
}

void TrainingForm::chooseOutputPath()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the model as"), outputPath(),
                                                      tr("Timbrescope models (*.tsm)"));
    if (!path.isEmpty())
        setOutputPath(path.endsWith(QStringLiteral(".tsm")) ? path : path + QStringLiteral(".tsm"));
}

void TrainingForm::onArchitectureChanged()
{
    const auto a = plannedArchitecture(architecture(), m_dataFolder->text());
    if (!a)
        return;
    QStringList classes;
    for (const auto& c : a->classes)
        classes << QString::fromStdString(c);
    m_target->setText(classes.isEmpty() ? tr("%1 — fixed by this architecture").arg(targetText(*a))
                                        : tr("%1 — the dataset's own: %2\nWith a few examples per class, start from the shipped "
                                             "timbre-net (Start from) rather than random weights.")
                                              .arg(targetText(*a), classes.join(QStringLiteral(", "))));
    m_architectureInfo->setText(tr("%1 parameters · input %2\n%3")
                                    .arg(QLocale(QLocale::English).toString(qlonglong(a->parameterCount)))
                                    .arg(inputText(a->features.kind), QString::fromStdString(a->description)));
    renewDefaultOutput();
    Q_EMIT planChanged();
}

QString TrainingForm::defaultOutputPath() const
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    return QDir(QString::fromStdString(ts::userModelsFolder()))
        .filePath(QStringLiteral("%1-%2-%3.tsm").arg(architecture(), m_split->currentData().toString().replace(QLatin1Char(':'), QLatin1Char('-')), stamp));
}

} // namespace ts::ui
