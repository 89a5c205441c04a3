// EvaluationPanel (the confusion viewer): clicking a cell lists exactly its notes, the most
// confident first; a listed note is shown, and Compare shows the surest correct note of the true
// class; CSV export is exact and atomic; only predicted targets are offered; the per-class table sorts
// by value; a real model evaluated from the panel gives the evaluator's own counts; damaged model
// files and missing datasets give messages naming the file; Cancel stops an evaluation; the part
// choice offers all notes and the automatic default (all notes of a dataset the model was not
// trained on); ECE and confident accuracy are shown beside the accuracy.
#include <QAbstractButton>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "audio/AudioFile.h"
#include "dataset/FeatureCache.h"
#include "dataset/Labels.h"
#include "ml/Architecture.h"
#include "ml/Evaluator.h"
#include "ml/ModelFile.h"
#include "ml/TrainedModel.h"
#include "ml/Trainer.h"
#include "ml/TrainingSet.h"
#include "ui/evaluation/CellNotesModel.h"
#include "ui/evaluation/CellNotesPanel.h"
#include "ui/evaluation/ClassMetricsModel.h"
#include "ui/evaluation/ConfusionMatrixView.h"
#include "ui/evaluation/EvaluationPanel.h"
#include "ui/evaluation/EvaluationSetupForm.h"
#include "ui/common/Settings.h"
#include "ui/sound/SoundViewPanel.h"
#include "common/TinyDatasetFixture.h"
#include "common/ToyTimbreNet.h"

using namespace ts::ui;
using ts::ml::Target;

namespace {

// A small timbre-net file: low tones "bass"/"acoustic", high tones "flute"/"synthetic". Evaluated
// on the tiny dataset's sines it makes real mistakes (guitars and keyboards are neither).
QString trainToyModel(const QString& path)
{
    return toymodel::trainToyTimbreNet(path, {16, 10, 3, 3, 7});
}

// One prediction with `confidence` on the predicted class; when wrong, the true class gets 80 % of
// the rest; the remainder is spread over the other classes.
void predict(ts::ml::NotePrediction& p, Target target, int truth, int predicted, float confidence)
{
    const std::size_t k = target == Target::Family ? 11 : 3;
    std::vector<float> scores(k, 0.0f);
    float rest = 1.0f - confidence;
    scores[std::size_t(predicted)] = confidence;
    if (truth != predicted) {
        scores[std::size_t(truth)] = 0.8f * rest;
        rest *= 0.2f;
    }
    for (std::size_t c = 0; c < k; ++c)
        if (int(c) != truth && int(c) != predicted)
            scores[c] = rest / float(k - (truth == predicted ? 1 : 2));
    if (target == Target::Family) {
        p.trueFamily = truth;
        p.predictedFamily = predicted;
        p.familyConfidence = confidence;
        p.familyScores = scores;
    } else {
        p.trueSource = truth;
        p.predictedSource = predicted;
        p.sourceConfidence = confidence;
        p.sourceScores = scores;
    }
}

} // namespace

class tst_EvaluationPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void clickingACellListsExactlyThoseNotesMostConfidentFirst();
    void aListedNoteIsShownAndCompareShowsTheSurestCorrectOne();
    void csvExportIsExactAndAtomic();
    void pngExportIsTheMatrixView();
    void onlyPredictedTargetsAreOffered();
    void perClassTableSortsByValue();
    void aTrainedModelGivesTheEvaluatorsCounts();
    void damagedModelFilesGiveAClearMessage();
    void aMissingDatasetGivesAClearMessage();
    void cancelStopsAnEvaluation();
    void choicesAreRememberedForTheNextStart();
    void thePartChoiceHasAllAndTheAutomaticDefault();
    void confidenceFiguresAreShownBesideTheAccuracy();

private:
    EvaluationResult handMadeResult(bool withSource = true) const;

    QTemporaryDir m_dir;
    QString m_data;
    QString m_model;
    std::shared_ptr<const ts::dataset::Dataset> m_dataset;
};

void tst_EvaluationPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    // Never read or write the user's own settings.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
    // Feature caches of the tiny dataset stay in the test's folder.
    qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());
    m_data = m_dir.filePath(QStringLiteral("tiny"));
    QVERIFY(tinydataset::write(m_data));
    auto dataset = ts::dataset::Dataset::load(m_data.toStdString());
    QVERIFY(dataset.ok());
    m_dataset = std::make_shared<const ts::dataset::Dataset>(std::move(dataset).value());
    m_model = m_dir.filePath(QStringLiteral("toy.tsm"));
    const QString trained = trainToyModel(m_model);
    QVERIFY2(trained.isEmpty(), qPrintable(trained));
}

void tst_EvaluationPanel::init()
{
    ts::ui::appSettings().remove(QStringLiteral("evaluation"));  // each test starts as a first start
}

void tst_EvaluationPanel::choicesAreRememberedForTheNextStart()
{
    {
        EvaluationPanel first;
        first.setupForm()->setModelPath(m_model);
        first.setupForm()->setDataFolder(m_data);
        first.setupForm()->setPart(EvaluationPart::Validation);
    }
    // Next start: the window's defaults (another model, another open dataset) do not replace them,
    // and the remembered model's split and seed are read from the file again.
    EvaluationPanel second;
    second.setupForm()->setDefaultModelPath(m_dir.filePath(QStringLiteral("shipped.tsm")));
    second.setupForm()->setDefaultDataFolder(m_dir.filePath(QStringLiteral("other")));
    QCOMPARE(second.setupForm()->setup().modelPath, m_model);
    QCOMPARE(second.setupForm()->setup().dataFolder, m_data);
    QVERIFY(second.setupForm()->setup().part == EvaluationPart::Validation);
    QTRY_VERIFY_WITH_TIMEOUT(second.setupForm()->modelInfo().startsWith(QStringLiteral("timbre-net · predicts family + source")), 10000);
    QCOMPARE(second.setupForm()->setup().split, QStringLiteral("random"));

    // A remembered model or dataset that is gone is not restored: the defaults are used.
    ts::ui::appSettings().setValue(QStringLiteral("evaluation/model"), m_dir.filePath(QStringLiteral("deleted.tsm")));
    ts::ui::appSettings().setValue(QStringLiteral("evaluation/data"), m_dir.filePath(QStringLiteral("deleted-set")));
    EvaluationPanel third;
    third.setOpenDataset(m_dataset);
    third.setupForm()->setDefaultModelPath(m_model);
    QCOMPARE(third.setupForm()->setup().modelPath, m_model);
    QCOMPARE(third.setupForm()->setup().dataFolder, m_data);
}

// Every tiny-dataset note, with chosen predictions:
//   family: bass all right (0.95); guitar_acoustic_001 at pitch 72 predicted keyboard (0.55, 0.91,
//   0.72 for velocities 25, 75, 127), its pitch-60 velocity-25 note right at 0.99, other guitars right
//   (0.60..0.82); keyboard at pitch 48 predicted guitar (0.65..0.67), other keyboards right (0.90).
//   source: right (0.9) except guitar_electronic_002, predicted acoustic (0.6).
EvaluationResult tst_EvaluationPanel::handMadeResult(bool withSource) const
{
    ts::ml::EvaluationReport report;
    std::vector<int> trueFamily, predFamily, trueSource, predSource;
    for (std::size_t i = 0; i < m_dataset->notes().size(); ++i) {
        const auto& note = m_dataset->notes()[i];
        ts::ml::NotePrediction p;
        p.row = i;
        p.note = note.noteStr;
        const int v = note.velocity == 25 ? 0 : note.velocity == 75 ? 1 : 2;
        int family = note.family;
        float confidence = 0.95f;
        if (note.instrumentStr == "guitar_acoustic_001") {
            if (note.pitch == 72) {
                family = 4;
                confidence = std::array<float, 3>{0.55f, 0.91f, 0.72f}[std::size_t(v)];
            } else {
                confidence = note.pitch == 60 && v == 0 ? 0.99f : note.pitch == 60 ? 0.60f + 0.01f * float(v) : 0.80f + 0.01f * float(v);
            }
        } else if (note.instrumentStr == "guitar_electronic_002") {
            confidence = 0.70f + 0.01f * float(v) + 0.03f * float((note.pitch - 48) / 12);
        } else if (note.instrumentStr == "keyboard_acoustic_003") {
            family = note.pitch == 48 ? 3 : 4;
            confidence = note.pitch == 48 ? 0.65f + 0.01f * float(v) : 0.90f;
        }
        predict(p, Target::Family, note.family, family, confidence);
        trueFamily.push_back(note.family);
        predFamily.push_back(family);
        if (withSource) {
            const int source = note.instrumentStr == "guitar_electronic_002" ? 0 : note.source;
            predict(p, Target::Source, note.source, source, source == note.source ? 0.9f : 0.6f);
            trueSource.push_back(note.source);
            predSource.push_back(source);
        }
        report.predictions.push_back(p);
    }
    report.n = report.predictions.size();
    report.family = ts::ml::makeTargetReport(ts::ml::targetLabels(Target::Family), trueFamily, predFamily);
    if (withSource)
        report.source = ts::ml::makeTargetReport(ts::ml::targetLabels(Target::Source), trueSource, predSource);
    EvaluationSetup setup;
    setup.modelPath = QStringLiteral("hand-made.tsm");
    setup.dataFolder = m_data;
    setup.split = QStringLiteral("random");
    setup.part = EvaluationPart::All;
    ModelSummary model;
    model.architecture = QStringLiteral("hand-made");
    return EvaluationResult(setup, model, std::move(report), m_dataset);
}

void tst_EvaluationPanel::clickingACellListsExactlyThoseNotesMostConfidentFirst()
{
    EvaluationPanel panel;
    panel.resize(1500, 950);
    panel.showResult(handMadeResult());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    ConfusionMatrixView* matrix = panel.matrixView();
    QCOMPARE(matrix->model().count(3, 4), 3);

    QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellRect(3, 4).center());
    CellNotesModel* notes = panel.cellNotes()->notes();
    QCOMPARE(notes->rowCount(), 3);
    const QStringList expected = {QStringLiteral("guitar_acoustic_001-072-075"), QStringLiteral("guitar_acoustic_001-072-127"),
                                  QStringLiteral("guitar_acoustic_001-072-025")};
    for (int row = 0; row < 3; ++row)
        QCOMPARE(notes->index(row, CellNotesModel::NoteColumn).data().toString(), expected[row]);
    QCOMPARE(notes->index(0, CellNotesModel::ConfidenceColumn).data().toString(), QStringLiteral("91.0 %"));
    QCOMPARE(notes->index(2, CellNotesModel::ConfidenceColumn).data().toString(), QStringLiteral("55.0 %"));
    QCOMPARE(notes->index(0, CellNotesModel::TrueScoreColumn).data().toString(), QStringLiteral("7.2 %"));  // 0.8 × 0.09
    QCOMPARE(notes->index(0, CellNotesModel::PitchColumn).data().toString(), QStringLiteral("C5 (72)"));
    QCOMPARE(notes->headerData(CellNotesModel::ConfidenceColumn, Qt::Horizontal).toString(), QStringLiteral("P(keyboard)"));
    QCOMPARE(panel.cellNotes()->headline(), QStringLiteral("guitar predicted as keyboard: 3 notes, the most confident mistakes first"));

    // The diagonal cell of guitar: its 15 notes, 0.99 first, confidences never rising.
    QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellRect(3, 3).center());
    QCOMPARE(notes->rowCount(), 15);
    QCOMPARE(notes->index(0, CellNotesModel::NoteColumn).data().toString(), QStringLiteral("guitar_acoustic_001-060-025"));
    const auto& predictions = panel.result().report().predictions;
    for (int row = 1; row < notes->rowCount(); ++row)
        QVERIFY(predictions[notes->predictionAt(row - 1)].familyConfidence >= predictions[notes->predictionAt(row)].familyConfidence);
    QVERIFY(panel.cellNotes()->table()->isColumnHidden(CellNotesModel::TrueScoreColumn));

    // An empty cell lists nothing.
    QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellRect(0, 5).center());
    QCOMPARE(notes->rowCount(), 0);
    QCOMPARE(panel.cellNotes()->headline(), QStringLiteral("bass predicted as mallet: 0 notes, the most confident mistakes first"));
}

void tst_EvaluationPanel::aListedNoteIsShownAndCompareShowsTheSurestCorrectOne()
{
    EvaluationPanel panel;
    panel.resize(1500, 950);
    panel.showResult(handMadeResult());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    CellNotesPanel* cell = panel.cellNotes();
    QVERIFY(!cell->compareButton()->isEnabled());  // no cell yet

    panel.selectCell(3, 4);
    QVERIFY(cell->compareButton()->isEnabled());
    QCOMPARE(cell->compareButton()->text(), QStringLiteral("Compare with a correct guitar"));
    QTest::mouseClick(cell->table()->viewport(), Qt::LeftButton, {},
                      cell->table()->visualRect(cell->notes()->index(1, CellNotesModel::NoteColumn)).center());
    QTRY_COMPARE_WITH_TIMEOUT(cell->noteView()->title(), QStringLiteral("guitar_acoustic_001-072-127"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(cell->noteView()->audio() != nullptr, 5000);
    QCOMPARE(cell->noteView()->audio()->samples.size(), std::size_t(16000));  // the fixture's 1 s WAV

    QTest::mouseClick(cell->compareButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(cell->referenceView()->title(), QStringLiteral("guitar_acoustic_001-060-025"), 5000);
    QCOMPARE(cell->noteView()->title(), QStringLiteral("guitar_acoustic_001-072-127"));  // still beside it

    // keyboard predicted as guitar: the correct keyboards tie at 0.90, the first by name is taken.
    panel.selectCell(4, 3);
    QCOMPARE(cell->notes()->rowCount(), 3);
    cell->compare();
    QTRY_COMPARE_WITH_TIMEOUT(cell->referenceView()->title(), QStringLiteral("keyboard_acoustic_003-060-025"), 5000);

    // Nothing to compare on the diagonal, nor for a class never classified correctly.
    panel.selectCell(4, 4);
    QVERIFY(!cell->compareButton()->isEnabled());
    panel.selectCell(1, 3);  // brass: no notes at all
    QVERIFY(!cell->compareButton()->isEnabled());
    QCOMPARE(cell->compareButton()->toolTip(), QStringLiteral("No brass note was classified correctly"));
}

void tst_EvaluationPanel::csvExportIsExactAndAtomic()
{
    EvaluationPanel panel;
    const QString early = m_dir.filePath(QStringLiteral("early.csv"));
    QVERIFY(!panel.exportCsv(early).ok());  // nothing evaluated yet
    QVERIFY(!QFile::exists(early));

    panel.showResult(handMadeResult());
    const QString path = m_dir.filePath(QStringLiteral("family.csv"));
    QVERIFY(panel.exportCsv(path).ok());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("target,true,bass,brass,flute,guitar,keyboard,mallet,organ,reed,string,synth_lead,vocal\n"
                                        "family,bass,9,0,0,0,0,0,0,0,0,0,0\n"
                                        "family,brass,0,0,0,0,0,0,0,0,0,0,0\n"
                                        "family,flute,0,0,0,0,0,0,0,0,0,0,0\n"
                                        "family,guitar,0,0,0,15,3,0,0,0,0,0,0\n"
                                        "family,keyboard,0,0,0,3,6,0,0,0,0,0,0\n"
                                        "family,mallet,0,0,0,0,0,0,0,0,0,0,0\n"
                                        "family,organ,0,0,0,0,0,0,0,0,0,0,0\n"
                                        "family,reed,0,0,0,0,0,0,0,0,0,0,0\n"
                                        "family,string,0,0,0,0,0,0,0,0,0,0,0\n"
                                        "family,synth_lead,0,0,0,0,0,0,0,0,0,0,0\n"
                                        "family,vocal,0,0,0,0,0,0,0,0,0,0,0\n"));
    file.close();

    panel.setTarget(Target::Source);
    QVERIFY(panel.exportCsv(path).ok());  // replaces the family matrix
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("target,true,acoustic,electronic,synthetic\n"
                                        "source,acoustic,18,0,0\n"
                                        "source,electronic,9,0,0\n"
                                        "source,synthetic,0,0,9\n"));

    const QString nowhere = m_dir.filePath(QStringLiteral("no/such/folder/m.csv"));
    const ts::Status failed = panel.exportCsv(nowhere);
    QVERIFY(!failed.ok());
    QVERIFY(QString::fromStdString(failed.error().describe()).startsWith(nowhere + QStringLiteral(": cannot create file")));
    QVERIFY(!QFile::exists(nowhere));
}

void tst_EvaluationPanel::pngExportIsTheMatrixView()
{
    EvaluationPanel panel;
    panel.resize(1400, 900);
    panel.showResult(handMadeResult());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.selectCell(3, 4);
    const QString path = m_dir.filePath(QStringLiteral("matrix.png"));
    QVERIFY(panel.exportPng(path).ok());
    const QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), panel.matrixView()->size() * panel.matrixView()->devicePixelRatio());
    // The cell of the 9 correct basses, in the scale's colour of 9 of the largest count (15 guitars).
    const QRect bass = panel.matrixView()->cellRect(0, 0);
    QCOMPARE(image.pixel(bass.left() + bass.width() / 5, bass.top() + bass.height() / 5), ConfusionMatrixRenderer::scaleColour(9.0 / 15.0).rgb());
}

void tst_EvaluationPanel::onlyPredictedTargetsAreOffered()
{
    EvaluationPanel panel;
    panel.showResult(handMadeResult(true));
    QVERIFY(!panel.targetButton(Target::Family)->isHidden());
    QVERIFY(!panel.targetButton(Target::Source)->isHidden());
    panel.setTarget(Target::Source);
    QCOMPARE(panel.matrixView()->model().classCount(), 3);
    QCOMPARE(panel.accuracyText(), QStringLiteral("Source accuracy 75.0 %  ·  27 of 36 notes  ·  macro F1 0.600"));

    panel.showResult(handMadeResult(false));  // a family-only model
    QCOMPARE(panel.target(), Target::Family);
    QVERIFY(panel.targetButton(Target::Source)->isHidden());
    QCOMPARE(panel.matrixView()->model().classCount(), 11);
    QCOMPARE(panel.accuracyText().left(32), QStringLiteral("Family accuracy 83.3 %  ·  30 of"));
    panel.setTarget(Target::Source);  // not predicted: ignored
    QCOMPARE(panel.target(), Target::Family);
}

void tst_EvaluationPanel::perClassTableSortsByValue()
{
    EvaluationPanel panel;
    panel.resize(1400, 900);
    panel.showResult(handMadeResult());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTableView* table = panel.metricsTable();
    auto label = [table](int row) { return table->model()->index(row, ClassMetricsModel::ClassColumn).data().toString(); };
    QCOMPARE(label(0), QStringLiteral("bass"));  // NSynth order at first
    QCOMPARE(label(3), QStringLiteral("guitar"));

    // One click on Recall: the best recall first (bass 9/9, guitar 15/18, keyboard 6/9, then the absent).
    QHeaderView* header = table->horizontalHeader();
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                      QPoint(header->sectionViewportPosition(ClassMetricsModel::RecallColumn) + 10, header->height() / 2));
    QCOMPARE(label(0), QStringLiteral("bass"));
    QCOMPARE(label(1), QStringLiteral("guitar"));
    QCOMPARE(label(2), QStringLiteral("keyboard"));
    QCOMPARE(table->model()->index(1, ClassMetricsModel::RecallColumn).data().toString(), QStringLiteral("0.833"));
    // Precision, sorted: keyboard 6/9 is below guitar 15/18.
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                      QPoint(header->sectionViewportPosition(ClassMetricsModel::PrecisionColumn) + 10, header->height() / 2));
    QCOMPARE(label(0), QStringLiteral("bass"));
    QCOMPARE(label(1), QStringLiteral("guitar"));
    QCOMPARE(label(2), QStringLiteral("keyboard"));
    QCOMPARE(table->model()->index(2, ClassMetricsModel::PrecisionColumn).data().toString(), QStringLiteral("0.667"));
}

void tst_EvaluationPanel::aTrainedModelGivesTheEvaluatorsCounts()
{
    EvaluationPanel panel;
    panel.setOpenDataset(m_dataset);
    QCOMPARE(panel.setupForm()->setup().dataFolder, m_data);  // the open dataset is the default
    // A model's leave-one-generator-out split is offered too, though the list has no such entry.
    panel.setupForm()->setSplit(QStringLiteral("generator:STK"));
    QCOMPARE(panel.setupForm()->setup().split, QStringLiteral("generator:STK"));
    panel.setupForm()->setSplit(QStringLiteral("seed"));
    panel.setupForm()->setModelPath(m_model);
    // The model's own split and seed replace the form's.
    QTRY_VERIFY_WITH_TIMEOUT(panel.setupForm()->modelInfo().startsWith(QStringLiteral("timbre-net · predicts family + source")), 10000);
    QCOMPARE(panel.setupForm()->setup().split, QStringLiteral("random"));
    QCOMPARE(panel.setupForm()->setup().seed, quint64(7));

    for (EvaluationPart part : {EvaluationPart::All, EvaluationPart::Test}) {
        panel.setupForm()->setPart(part);
        QSignalSpy finished(&panel, &EvaluationPanel::finished);
        QSignalSpy failed(&panel, &EvaluationPanel::failed);
        panel.evaluate();
        QVERIFY(panel.isRunning());
        QVERIFY(!panel.evaluateButton()->isEnabled());
        QVERIFY(panel.cancelButton()->isEnabled());
        QVERIFY(finished.wait(60000));
        QCOMPARE(failed.count(), 0);
        QVERIFY(!panel.isRunning());

        // The same evaluation straight through core/ml.
        auto model = ts::ml::TrainedModel::load(m_model.toStdString());
        QVERIFY(model.ok());
        auto set = ts::ml::loadTrainingSet(m_data.toStdString(), model->architecture(), "random", 7);
        QVERIFY(set.ok());
        std::vector<std::size_t> rows = set->test;
        if (part == EvaluationPart::All) {
            rows.clear();
            for (std::size_t r = 0; r < set->features.rows(); ++r)
                rows.push_back(r);
        }
        auto expected = ts::ml::evaluate(model.value(), set.value(), rows);
        QVERIFY(expected.ok());
        QCOMPARE(panel.result().report().n, part == EvaluationPart::All ? std::size_t(36) : set->test.size());
        for (Target target : {Target::Family, Target::Source}) {
            panel.setTarget(target);
            const ts::ml::TargetReport& want = target == Target::Family ? *expected->family : *expected->source;
            const ConfusionMatrixModel& shown = panel.matrixView()->model();
            QCOMPARE(shown.classCount(), int(want.labels.size()));
            for (int t = 0; t < shown.classCount(); ++t)
                for (int p = 0; p < shown.classCount(); ++p)
                    QCOMPARE(shown.count(t, p), want.confusion[std::size_t(t)][std::size_t(p)]);
            QCOMPARE(shown.accuracy(), want.accuracy);
            QCOMPARE(panel.metrics()->metrics().size(), want.perClass.size());
            for (std::size_t c = 0; c < want.perClass.size(); ++c)
                QCOMPARE(panel.metrics()->metrics()[c].f1, want.perClass[c].f1);
        }
        QVERIFY(panel.statusText().startsWith(QStringLiteral("Evaluated %1 notes of ").arg(panel.result().report().n)));
        // Clicking the family cell with most notes lists exactly its notes.
        panel.setTarget(Target::Family);
        const ConfusionMatrixModel& shown = panel.matrixView()->model();
        int bestT = 0, bestP = 0;
        for (int t = 0; t < 11; ++t)
            for (int p = 0; p < 11; ++p)
                if (shown.count(t, p) > shown.count(bestT, bestP)) {
                    bestT = t;
                    bestP = p;
                }
        panel.selectCell(bestT, bestP);
        QCOMPARE(panel.cellNotes()->notes()->rowCount(), shown.count(bestT, bestP));
        for (std::size_t i : panel.cellNotes()->notes()->predictions()) {
            QCOMPARE(panel.result().report().predictions[i].trueFamily, bestT);
            QCOMPARE(panel.result().report().predictions[i].predictedFamily, bestP);
        }
    }
}

void tst_EvaluationPanel::damagedModelFilesGiveAClearMessage()
{
    QFile real(m_model);
    QVERIFY(real.open(QIODevice::ReadOnly));
    const QByteArray bytes = real.readAll();
    const QString truncated = m_dir.filePath(QStringLiteral("truncated.tsm"));
    const QString flipped = m_dir.filePath(QStringLiteral("flipped.tsm"));
    const QString text = m_dir.filePath(QStringLiteral("notes.tsm"));
    auto write = [](const QString& path, const QByteArray& content) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
    };
    QVERIFY(write(truncated, bytes.left(bytes.size() / 2)));
    QByteArray damaged = bytes;
    damaged[damaged.size() / 2] = char(damaged[damaged.size() / 2] ^ 0x5a);
    QVERIFY(write(flipped, damaged));
    QVERIFY(write(text, "these are my notes, not a model\n"));

    EvaluationPanel panel;
    panel.setOpenDataset(m_dataset);
    for (const QString& path : {truncated, flipped, text}) {
        panel.setupForm()->setModelPath(path);
        QTRY_VERIFY_WITH_TIMEOUT(panel.setupForm()->modelInfo().startsWith(QStringLiteral("This model cannot be used: ") + path), 10000);
        QSignalSpy failed(&panel, &EvaluationPanel::failed);
        panel.evaluate();
        QVERIFY(failed.wait(20000));
        const QString message = failed.at(0).at(0).toString();
        qInfo("%s", qPrintable(message));
        QVERIFY(message.startsWith(QStringLiteral("The model cannot be used: ") + path + QStringLiteral(": ")));
        QVERIFY(message.size() > QStringLiteral("The model cannot be used: ").size() + path.size() + 12);  // says why
        QCOMPARE(panel.statusText(), message);
        QVERIFY(panel.evaluateButton()->isEnabled());
        QVERIFY(!panel.cancelButton()->isEnabled());
        QVERIFY(panel.result().isEmpty());
    }
    // The panel still works afterwards.
    panel.setupForm()->setModelPath(m_model);
    QSignalSpy finished(&panel, &EvaluationPanel::finished);
    panel.evaluate();
    QVERIFY(finished.wait(60000));
    QVERIFY(!panel.result().isEmpty());
}

void tst_EvaluationPanel::aMissingDatasetGivesAClearMessage()
{
    EvaluationPanel panel;
    const QString missing = m_dir.filePath(QStringLiteral("no-such-dataset"));
    panel.setupForm()->setModelPath(m_model);
    panel.setupForm()->setDataFolder(missing);
    QSignalSpy failed(&panel, &EvaluationPanel::failed);
    panel.evaluate();
    QVERIFY(failed.wait(20000));
    const QString message = failed.at(0).at(0).toString();
    qInfo("%s", qPrintable(message));
    QVERIFY(message.startsWith(QStringLiteral("The dataset cannot be opened: ") + missing));
    QVERIFY(panel.evaluateButton()->isEnabled());

    panel.setupForm()->setDataFolder(QString());
    panel.evaluate();
    QCOMPARE(panel.statusText(), QStringLiteral("Choose a dataset folder to evaluate on."));
    QVERIFY(!panel.isRunning());
}

void tst_EvaluationPanel::cancelStopsAnEvaluation()
{
    EvaluationPanel panel;
    panel.setupForm()->setModelPath(m_model);
    panel.setupForm()->setDataFolder(m_data);
    QSignalSpy cancelled(&panel, &EvaluationPanel::cancelled);
    QSignalSpy finished(&panel, &EvaluationPanel::finished);
    panel.evaluate();
    QTest::mouseClick(panel.cancelButton(), Qt::LeftButton);
    QVERIFY(cancelled.wait(5000));
    QCOMPARE(finished.count(), 0);
    QCOMPARE(panel.statusText(), QStringLiteral("Evaluation cancelled."));
    QVERIFY(panel.evaluateButton()->isEnabled());
    QVERIFY(!panel.progressBar()->isVisibleTo(&panel));
}

void tst_EvaluationPanel::thePartChoiceHasAllAndTheAutomaticDefault()
{
    EvaluationPanel panel;
    QComboBox* parts = panel.setupForm()->partBox();
    QStringList names;
    for (int i = 0; i < parts->count(); ++i)
        names << parts->itemData(i).toString();
    QCOMPARE(names, (QStringList{QString(), "test", "validation", "train", "all"}));
    QCOMPARE(parts->itemText(0), QStringLiteral("automatic part"));
    QVERIFY(!panel.setupForm()->setup().part.has_value());  // a first start: automatic

    // The toy model was trained on other notes than the tiny dataset's: automatic is every note.
    panel.setOpenDataset(m_dataset);
    panel.setupForm()->setModelPath(m_model);
    QTRY_VERIFY_WITH_TIMEOUT(panel.setupForm()->modelInfo().startsWith(QStringLiteral("timbre-net")), 10000);
    QSignalSpy finished(&panel, &EvaluationPanel::finished);
    panel.evaluate();
    QVERIFY(finished.wait(60000));
    QCOMPARE(panel.result().report().n, m_dataset->notes().size());
    QVERIFY(panel.result().setup().part == EvaluationPart::All);
    QVERIFY2(panel.statusText().endsWith(QStringLiteral("s: all notes (this model was not trained on this dataset).")),
             qPrintable(panel.statusText()));

    // "all" chosen by hand evaluates every note as well, and is remembered as chosen.
    panel.setupForm()->setPart(EvaluationPart::All);
    panel.evaluate();
    QVERIFY(finished.wait(60000));
    QCOMPARE(panel.result().report().n, std::size_t(36));
    QVERIFY(panel.statusText().endsWith(QStringLiteral("(as asked; this model was not trained on this dataset).")));
    EvaluationPanel next;
    QVERIFY(next.setupForm()->setup().part == EvaluationPart::All);
}

void tst_EvaluationPanel::confidenceFiguresAreShownBesideTheAccuracy()
{
    // The hand-made source predictions: 27 right at 90 %, 9 wrong at 60 %. ECE = 27/36 × 0.1 +
    // 9/36 × 0.6 = 0.225; the 27 predictions at ≥ 80 % are all right.
    EvaluationResult made = handMadeResult();
    ts::ml::EvaluationReport report = made.report();
    ts::ml::addTargetReports(report, *ts::ml::findArchitecture("timbre-net"));
    EvaluationPanel panel;
    panel.showResult(EvaluationResult(made.setup(), made.model(), std::move(report), m_dataset));
    panel.setTarget(Target::Source);
    QCOMPARE(panel.accuracyText(), QStringLiteral("Source accuracy 75.0 %  ·  27 of 36 notes  ·  macro F1 0.600  ·  ECE 0.225  ·  "
                                                  "≥ 80 % sure: 27 notes, 100.0 % right"));
    QVERIFY(panel.accuracyText().contains(QStringLiteral("ECE")));
}

QTEST_MAIN(tst_EvaluationPanel)
#include "tst_EvaluationPanel.moc"
