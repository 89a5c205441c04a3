#include "ui/evaluation/EvaluationSetupForm.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <algorithm>
#include <limits>

#include "ui/common/Settings.h"
#include "util/AppPaths.h"
#include "ui/common/DatasetFolder.h"
#include "ui/common/ModelFiles.h"

namespace ts::ui {

namespace {
// The setup chosen in the form, remembered for the next start.
const QString kModelKey = QStringLiteral("evaluation/model");
const QString kDataKey = QStringLiteral("evaluation/data");
const QString kPartKey = QStringLiteral("evaluation/part");
} // namespace

EvaluationSetupForm::EvaluationSetupForm(QWidget* parent)
    : QWidget(parent),
      m_model(new QLineEdit(this)),
      m_data(new QLineEdit(this)),
      m_split(new QComboBox(this)),
      m_seed(new QSpinBox(this)),
      m_part(new QComboBox(this)),
      m_modelInfo(new QLabel(this))
{
    m_model->setObjectName(QStringLiteral("modelPath"));
    m_model->setPlaceholderText(tr("a Timbrescope model file (.tsm)"));
    m_data->setObjectName(QStringLiteral("dataFolder"));
    m_data->setPlaceholderText(tr("an NSynth-format dataset folder"));
    for (const char* split : {"seed", "random", "instrument", "final"})
        m_split->addItem(QString::fromLatin1(split), QString::fromLatin1(split));
    m_split->setToolTip(tr("How the dataset is split: seed (file order, as the seed did), random (stratified by family)\n"
                           "instrument (no instrument on two sides) or final (all instruments but a validation part).\n"
                           "Defaults to the model's own split."));
    m_split->setCurrentIndex(2);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    m_seed->setToolTip(tr("The split's seed; defaults to the one the model was trained with"));
    // Item data: the part's name (ml::evaluationPartName), empty for the automatic choice.
    m_part->addItem(tr("automatic part"), QString());
    for (EvaluationPart part : {EvaluationPart::Test, EvaluationPart::Validation, EvaluationPart::Train, EvaluationPart::All})
        m_part->addItem(partText(part), QString::fromStdString(ml::evaluationPartName(part)));
    m_part->setToolTip(tr("Which notes to evaluate. Automatic: the test part on the dataset the model was trained on\n"
                          "(the notes it never saw while training), every note of any other dataset."));
    m_modelInfo->setObjectName(QStringLiteral("modelInfo"));
    m_modelInfo->setWordWrap(true);
    m_modelInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* browseModel = new QPushButton(tr("Browse…"), this);
    auto* browseData = new QPushButton(tr("Browse…"), this);
    connect(browseModel, &QPushButton::clicked, this, &EvaluationSetupForm::chooseModel);
    connect(browseData, &QPushButton::clicked, this, &EvaluationSetupForm::chooseDataFolder);
    connect(m_model, &QLineEdit::editingFinished, this, [this] {
        if (m_model->isModified()) {
            m_model->setModified(false);
            setModelPath(m_model->text().trimmed());
        }
    });
    connect(m_data, &QLineEdit::textEdited, this, [this] { m_dataChosen = true; });
    connect(m_data, &QLineEdit::editingFinished, this, [this] {
        if (m_dataChosen)
            appSettings().setValue(kDataKey, m_data->text().trimmed());
    });
    connect(m_part, &QComboBox::activated, this, [this] { appSettings().setValue(kPartKey, m_part->currentData()); });
    connect(m_model, &QLineEdit::returnPressed, this, &EvaluationSetupForm::evaluateRequested);
    connect(m_data, &QLineEdit::returnPressed, this, &EvaluationSetupForm::evaluateRequested);

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(new QLabel(tr("Model"), this), 0, 0);
    grid->addWidget(m_model, 0, 1);
    grid->addWidget(browseModel, 0, 2);
    grid->addWidget(new QLabel(tr("Split"), this), 0, 3);
    grid->addWidget(m_split, 0, 4);
    grid->addWidget(new QLabel(tr("Seed"), this), 0, 5);
    grid->addWidget(m_seed, 0, 6);
    grid->addWidget(new QLabel(tr("Dataset"), this), 1, 0);
    grid->addWidget(m_data, 1, 1);
    grid->addWidget(browseData, 1, 2);
    grid->addWidget(new QLabel(tr("Evaluate"), this), 1, 3);
    grid->addWidget(m_part, 1, 4, 1, 3);
    grid->addWidget(m_modelInfo, 2, 1, 1, 6);
    grid->setColumnStretch(1, 1);
}

EvaluationSetup EvaluationSetupForm::setup() const
{
    EvaluationSetup s;
    s.modelPath = m_model->text().trimmed();
    s.dataFolder = m_data->text().trimmed();
    s.split = m_split->currentData().toString();
    s.seed = quint64(m_seed->value());
    s.part = ml::parseEvaluationPart(m_part->currentData().toString().toStdString());
    return s;
}

void EvaluationSetupForm::restoreChoices()
{
    const QSettings settings = appSettings();
    const QString model = settings.value(kModelKey).toString();
    if (!model.isEmpty() && QFileInfo(model).isFile())
        setModelPath(model);
    const QString data = settings.value(kDataKey).toString();
    if (holdsDataset(data))
        setDataFolder(data);
    // A part saved by an older build (a number) matches no name and leaves the automatic part.
    const int part = m_part->findData(settings.value(kPartKey, QString()).toString());
    if (part >= 0)
        m_part->setCurrentIndex(part);
}

void EvaluationSetupForm::setModelPath(const QString& path)
{
    m_modelChosen = true;
    appSettings().setValue(kModelKey, path);
    m_model->setText(path);
    m_modelInfo->clear();
    Q_EMIT modelPathChanged(path);
}

void EvaluationSetupForm::setDefaultModelPath(const QString& path)
{
    if (m_modelChosen || path.isEmpty() || path == m_model->text())
        return;
    m_model->setText(path);
    m_modelInfo->clear();
    Q_EMIT modelPathChanged(path);
}

void EvaluationSetupForm::setDataFolder(const QString& folder)
{
    m_dataChosen = true;
    appSettings().setValue(kDataKey, folder);
    m_data->setText(folder);
}

void EvaluationSetupForm::setDefaultDataFolder(const QString& folder)
{
    if (!m_dataChosen)
        m_data->setText(folder);
}

void EvaluationSetupForm::setSplit(const QString& split)
{
    // A model trained with one generator left out is evaluated on that same split by default.
    if (m_split->findData(split) < 0 && split.startsWith(QLatin1String("generator:")))
        m_split->addItem(tr("leave out %1").arg(split.mid(10)), split);
    const int index = m_split->findData(split);
    if (index >= 0)
        m_split->setCurrentIndex(index);
}

void EvaluationSetupForm::setSeed(quint64 seed)
{
    m_seed->setValue(int(std::min<quint64>(seed, quint64(m_seed->maximum()))));
}

void EvaluationSetupForm::setPart(std::optional<EvaluationPart> part)
{
    const QString name = part ? QString::fromStdString(ml::evaluationPartName(*part)) : QString();
    m_part->setCurrentIndex(m_part->findData(name));
    appSettings().setValue(kPartKey, name);
}

void EvaluationSetupForm::setModelSummary(const ModelSummary& summary)
{
    if (summary.path != m_model->text().trimmed())
        return;  // an answer about a model that is no longer chosen
    setSplit(summary.split);
    setSeed(summary.seed);
    m_modelInfo->setStyleSheet(QString());
    m_modelInfo->setText(tr("%1 · predicts %2 · trained %3 epochs on the %4 split, seed %5")
                             .arg(summary.architecture, summary.targets.join(QStringLiteral(" + ")))
                             .arg(summary.epochs)
                             .arg(summary.split.isEmpty() ? tr("(unknown)") : summary.split)
                             .arg(summary.seed));
}

void EvaluationSetupForm::setModelError(const QString& message)
{
    m_modelInfo->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_modelInfo->setText(message);
}

QString EvaluationSetupForm::modelInfo() const
{
    return m_modelInfo->text();
}

void EvaluationSetupForm::chooseModel()
{
    const QString start = m_model->text().isEmpty() ? QString::fromStdString(userModelsFolder()) : QFileInfo(m_model->text()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Model to evaluate"), start,
                                                      modelFileFilter() + tr(";;All files (*)"));
    if (!path.isEmpty())
        setModelPath(path);
}

void EvaluationSetupForm::chooseDataFolder()
{
    const QString start = m_data->text().isEmpty() ? QDir::homePath() : m_data->text();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Dataset to evaluate on"), start);
    if (!folder.isEmpty())
        setDataFolder(folder);
}

} // namespace ts::ui
