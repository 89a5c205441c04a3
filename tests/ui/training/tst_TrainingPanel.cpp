// TrainingPanel and its TrainingWorker on a tiny generated dataset (36 one-second tones, random
// split): a run emits its epochs in order and every chart grows by one point per epoch; Stop ends a
// run within 1 s and the saved model holds the best epoch; Resume continues that history; a bad
// dataset folder is a clear error after which the panel still trains; a saved model's history
// reopens in the charts.
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QValueAxis>

#include <algorithm>

#include "common/TinyDatasetFixture.h"
#include "ml/ModelFile.h"
#include "ml/Safetensors.h"
#include "ui/training/TrainingCharts.h"
#include "ui/training/TrainingForm.h"
#include "ui/training/TrainingPanel.h"
#include "ui/training/TrainingProgressBars.h"

using namespace ts::ui;

namespace {

// The epoch the Trainer keeps: best mean validation accuracy, then lowest validation loss, then
// the earliest, 1-based.
int bestEpochOf(const ts::ml::ModelMetadata& m)
{
    auto mean = [](const ts::ml::EpochRecord& r) {
        double sum = 0.0;
        for (const auto& [target, value] : r.validationAccuracy)
            sum += value;
        return r.validationAccuracy.empty() ? 0.0 : sum / double(r.validationAccuracy.size());
    };
    const auto best = std::min_element(m.history.begin(), m.history.end(), [&](const auto& a, const auto& b) {
        if (mean(a) != mean(b))
            return mean(a) > mean(b);
        return a.validationLoss < b.validationLoss;
    });
    return best == m.history.end() ? 0 : best->epoch;
}

// Runs until trainingFinished and hands back its result.
TrainingResult waitFinished(QSignalSpy& finished, int timeoutMs = 60000)
{
    if (finished.isEmpty() && !finished.wait(timeoutMs))
        return {};
    return finished.takeFirst().at(0).value<TrainingResult>();
}

} // namespace

class tst_TrainingPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aRenderedDatasetOffersLeaveOneGeneratorOutSplits();
    void aRunEmitsEpochsInOrderAndTheChartsGrowByOnePointEach();
    void stopEndsWithinASecondKeepsTheBestEpochAndResumeContinues();
    void aBadDatasetFolderIsAClearErrorAndThePanelStillTrains();
    void aSavedModelsHistoryReopensInTheCharts();
    void theIdleChartsFollowTheChosenArchitecture();
    void twoLocalProcessesTrainOneModel();
    void headsOnlyFineTuningKeepsTheBody();

private:
    void configure(TrainingPanel& panel, const QString& architecture, int epochs, int batch, const QString& output);

    QTemporaryDir m_dir;
    QString m_data;
    QString m_timbreNetModel;  // written by the first test, reopened by the last
};

void tst_TrainingPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Feature caches and default model paths go to the test's folder, never the user's.
    qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());
    qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
    m_data = m_dir.filePath(QStringLiteral("tiny"));
    QVERIFY(tinydataset::write(m_data));
}

void tst_TrainingPanel::configure(TrainingPanel& panel, const QString& architecture, int epochs, int batch, const QString& output)
{
    TrainingForm* form = panel.form();
    form->setDataFolder(m_data);
    form->setSplit(QStringLiteral("random"));
    form->setSeed(7);
    form->setArchitecture(architecture);
    form->setEpochs(epochs);
    form->setBatchSize(batch);
    form->setPatience(epochs);
    form->setOutputPath(m_dir.filePath(output));
    panel.setTrainingThreads(1);
}

void tst_TrainingPanel::aRenderedDatasetOffersLeaveOneGeneratorOutSplits()
{
    const QString folder = m_dir.filePath(QStringLiteral("rendered"));
    QVERIFY(QDir().mkpath(folder));
    QFile sidecar(folder + QStringLiteral("/instruments.json"));
    QVERIFY(sidecar.open(QIODevice::WriteOnly));
    sidecar.write(R"({"instruments": [{"instrument_str": "flute_synthetic_000", "generator": "STK"},
                                      {"instrument_str": "flute_acoustic_000", "generator": "FluidR3_GM"}]})");
    sidecar.close();
    TrainingPanel panel;
    auto* split = panel.form()->findChild<QComboBox*>();
    QVERIFY(split);
    auto splits = [&] {
        QStringList values;
        for (int i = 0; i < split->count(); ++i)
            values << split->itemData(i).toString();
        return values;
    };
    panel.form()->setDataFolder(m_data);  // no instruments.json: the four usual splits
    QCOMPARE(splits(), (QStringList{"instrument", "random", "seed", "final"}));
    panel.form()->setDataFolder(folder);
    QCOMPARE(splits(), (QStringList{"instrument", "random", "seed", "final", "generator:FluidR3_GM", "generator:STK"}));
    panel.form()->setSplit(QStringLiteral("generator:STK"));
    QCOMPARE(panel.form()->request().job.split, std::string("generator:STK"));
    QVERIFY(!QString::fromStdString(panel.form()->request().job.modelPath).contains(QLatin1Char(':')));
    panel.form()->setDataFolder(m_data);
    QCOMPARE(splits(), (QStringList{"instrument", "random", "seed", "final"}));
}

void tst_TrainingPanel::aRunEmitsEpochsInOrderAndTheChartsGrowByOnePointEach()
{
    TrainingPanel panel;
    panel.resize(1400, 900);
    panel.show();
    configure(panel, QStringLiteral("timbre-net"), 3, 8, QStringLiteral("timbre.tsm"));
    QVERIFY(panel.form()->architectureSummary().contains(QStringLiteral("family (11 classes) and source (3 classes) — fixed by this architecture")));
    QVERIFY(panel.form()->deviceCount() >= 1);

    struct Seen {
        int epoch, lossPoints, validationPoints, familyPoints, sourcePoints, validationSourcePoints;
    };
    QVector<Seen> seen;
    connect(&panel, &TrainingPanel::epochShown, this, [&](const TrainingEpoch& e) {
        TrainingCharts* c = panel.charts();
        seen.push_back({e.epoch, int(c->lossSeries(false)->count()), int(c->lossSeries(true)->count()),
                        int(c->accuracySeries(QStringLiteral("family"), false)->count()),
                        int(c->accuracySeries(QStringLiteral("source"), false)->count()),
                        int(c->accuracySeries(QStringLiteral("source"), true)->count())});
    });
    QSignalSpy finished(&panel, &TrainingPanel::trainingFinished);
    QVERIFY(!panel.useButton()->isEnabled());
    QVERIFY(panel.start());
    QVERIFY(panel.isRunning());
    QVERIFY(!panel.startButton()->isEnabled() && panel.stopButton()->isEnabled());
    const TrainingResult result = waitFinished(finished);

    QCOMPARE(int(result.status), int(TrainingResult::Status::Finished));
    QCOMPARE(seen.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(seen[i].epoch, i + 1);
        QCOMPARE(seen[i].lossPoints, i + 1);
        QCOMPARE(seen[i].validationPoints, i + 1);
        QCOMPARE(seen[i].familyPoints, i + 1);
        QCOMPARE(seen[i].sourcePoints, i + 1);
        QCOMPARE(seen[i].validationSourcePoints, i + 1);
    }
    // The batch curve: at least the last batch of every epoch, at x in (0, 3], in order.
    const QList<QPointF> batches = panel.charts()->batchSeries()->points();
    QVERIFY(batches.size() >= 3);
    QVERIFY(batches.first().x() > 0.0 && qFuzzyCompare(batches.last().x(), 3.0));
    QVERIFY(std::is_sorted(batches.begin(), batches.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
    QVERIFY(panel.charts()->batchLossAxis()->max() >= std::max_element(batches.begin(), batches.end(),
                                                                       [](auto a, auto b) { return a.y() < b.y(); })->y());

    // The model file holds what the charts drew, epoch by epoch.
    QCOMPARE(result.modelPath, m_dir.filePath(QStringLiteral("timbre.tsm")));
    const auto model = ts::ml::loadModelFile(result.modelPath.toStdString());
    QVERIFY2(model, model ? "" : model.error().describe().c_str());
    const auto& history = model->metadata.history;
    QCOMPARE(int(history.size()), 3);
    QCOMPARE(result.bestEpoch, bestEpochOf(model->metadata));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(panel.charts()->lossSeries(false)->at(i), QPointF(i + 1, history[std::size_t(i)].loss));
        QCOMPARE(panel.charts()->lossSeries(true)->at(i), QPointF(i + 1, history[std::size_t(i)].validationLoss));
        QCOMPARE(panel.charts()->accuracySeries(QStringLiteral("family"), true)->at(i).y(),
                 100.0 * history[std::size_t(i)].validationAccuracy.at("family"));
    }
    QCOMPARE(panel.charts()->bestMarker()->count(), 1);
    QCOMPARE(panel.charts()->bestMarker()->at(0).x(), double(result.bestEpoch));
    QVERIFY(panel.charts()->lossAxis()->max() >= std::max(history[0].loss, history[0].validationLoss));
    QCOMPARE(panel.progressBars()->overallBar()->value(), panel.progressBars()->overallBar()->maximum());
    QVERIFY2(panel.progressBars()->rateText().startsWith(QStringLiteral("3 epochs in ")), qPrintable(panel.progressBars()->rateText()));
    QVERIFY(QFileInfo::exists(result.modelPath + QStringLiteral(".checkpoint")));
    QVERIFY(panel.statusText().startsWith(QStringLiteral("Saved timbre.tsm: kept epoch")));
    QVERIFY(panel.log()->toPlainText().contains(QStringLiteral("Epoch 3/3: loss")));

    // Ready for the next run, and the model can go to the prediction panel at once.
    QVERIFY(!panel.isRunning() && panel.startButton()->isEnabled() && !panel.stopButton()->isEnabled());
    QVERIFY(panel.useButton()->isEnabled());
    QSignalSpy use(&panel, &TrainingPanel::useModelRequested);
    QTest::mouseClick(panel.useButton(), Qt::LeftButton);
    QCOMPARE(use.size(), 1);
    QCOMPARE(use.first().at(0).toString(), result.modelPath);
    m_timbreNetModel = result.modelPath;
}

void tst_TrainingPanel::stopEndsWithinASecondKeepsTheBestEpochAndResumeContinues()
{
    TrainingPanel panel;
    panel.show();
    // Far more epochs than the test waits for: only Stop can end this run.
    configure(panel, QStringLiteral("seed-logreg-raw"), 1000, 2, QStringLiteral("raw.tsm"));
    QVector<int> epochs;
    connect(&panel, &TrainingPanel::epochShown, this, [&](const TrainingEpoch& e) { epochs.push_back(e.epoch); });
    QSignalSpy finished(&panel, &TrainingPanel::trainingFinished);
    QVERIFY(panel.start());
    QTRY_VERIFY_WITH_TIMEOUT(epochs.size() >= 3, 60000);

    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
    const TrainingResult stopped = waitFinished(finished, 5000);
    const qint64 stopMs = clock.elapsed();
    qInfo("Stop to finished (model saved): %lld ms after epoch %d", stopMs, epochs.last());
    QVERIFY2(stopMs <= 1000, qPrintable(QStringLiteral("%1 ms").arg(stopMs)));
    QCOMPARE(int(stopped.status), int(TrainingResult::Status::Stopped));
    QVERIFY(stopped.hasModel());
    const auto model = ts::ml::loadModelFile(stopped.modelPath.toStdString());
    QVERIFY(model);
    const int stoppedAt = int(model->metadata.history.size());
    QCOMPARE(stoppedAt, epochs.size());
    QCOMPARE(model->metadata.bestEpoch, bestEpochOf(model->metadata));
    QCOMPARE(stopped.bestEpoch, model->metadata.bestEpoch);
    QVERIFY(model->resumeState.empty());
    QVERIFY(panel.statusText().startsWith(QStringLiteral("Stopped. Saved the best epoch so far to raw.tsm")));
    QCOMPARE(panel.progressBars()->overallBar()->format(), QStringLiteral("stopped in epoch %1 · %p%").arg(stoppedAt + 1));

    // Resume is offered at once: it continues from the checkpoint with the earlier epochs charted.
    QCOMPARE(panel.offeredCheckpoint(), stopped.modelPath + QStringLiteral(".checkpoint"));
    QCOMPARE(panel.resumeButton()->text(), QStringLiteral("Resume"));
    QVERIFY(panel.resumeButton()->isEnabled());
    panel.form()->setEpochs(stoppedAt + 2);
    epochs.clear();
    QVector<int> pointsWhenShown;
    connect(&panel, &TrainingPanel::epochShown, this,
            [&](const TrainingEpoch&) { pointsWhenShown.push_back(panel.charts()->epochPoints()); });
    QTest::mouseClick(panel.resumeButton(), Qt::LeftButton);
    const TrainingResult resumed = waitFinished(finished);
    QCOMPARE(int(resumed.status), int(TrainingResult::Status::Finished));
    QCOMPARE(epochs, (QVector<int>{stoppedAt + 1, stoppedAt + 2}));
    QCOMPARE(pointsWhenShown, (QVector<int>{stoppedAt + 1, stoppedAt + 2}));
    QCOMPARE(resumed.modelPath, stopped.modelPath);
    const auto continued = ts::ml::loadModelFile(resumed.modelPath.toStdString());
    QVERIFY(continued);
    QCOMPARE(int(continued->metadata.history.size()), stoppedAt + 2);
    for (int i = 0; i < stoppedAt; ++i) {
        QCOMPARE(continued->metadata.history[std::size_t(i)].loss, model->metadata.history[std::size_t(i)].loss);
        QCOMPARE(panel.charts()->lossSeries(true)->at(i).y(), model->metadata.history[std::size_t(i)].validationLoss);
    }
    QCOMPARE(continued->metadata.bestEpoch, bestEpochOf(continued->metadata));
}

void tst_TrainingPanel::aBadDatasetFolderIsAClearErrorAndThePanelStillTrains()
{
    TrainingPanel panel;
    panel.show();
    configure(panel, QStringLiteral("seed-logreg-raw"), 1, 8, QStringLiteral("after-error.tsm"));
    const QString missing = m_dir.filePath(QStringLiteral("no-such-dataset"));
    panel.form()->setDataFolder(missing);
    QSignalSpy finished(&panel, &TrainingPanel::trainingFinished);
    QVERIFY(panel.start());
    const TrainingResult failed = waitFinished(finished);
    QCOMPARE(int(failed.status), int(TrainingResult::Status::Failed));
    QVERIFY(!failed.hasModel());
    QVERIFY2(failed.error.startsWith(missing), qPrintable(failed.error));
    QCOMPARE(panel.statusText(), failed.error);
    QVERIFY(panel.statusIsError());
    QVERIFY(panel.log()->toPlainText().contains(QStringLiteral("Failed: ") + missing));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("after-error.tsm"))));
    QVERIFY(panel.startButton()->isEnabled() && !panel.stopButton()->isEnabled() && !panel.useButton()->isEnabled());

    panel.form()->setDataFolder(m_data);
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    const TrainingResult ok = waitFinished(finished);
    QCOMPARE(int(ok.status), int(TrainingResult::Status::Finished));
    QVERIFY(!panel.statusIsError());
    QVERIFY(QFileInfo::exists(m_dir.filePath(QStringLiteral("after-error.tsm"))));
    QCOMPARE(panel.charts()->epochPoints(), 1);
}

void tst_TrainingPanel::aSavedModelsHistoryReopensInTheCharts()
{
    QVERIFY2(!m_timbreNetModel.isEmpty(), "the first test saves the model this one opens");
    const auto model = ts::ml::loadModelFile(m_timbreNetModel.toStdString());
    QVERIFY(model);
    const auto& history = model->metadata.history;

    TrainingPanel panel;
    panel.show();
    QSignalSpy shown(&panel, &TrainingPanel::historyShown);
    panel.openModel(m_timbreNetModel);
    QVERIFY(shown.wait(10000));
    TrainingCharts* charts = panel.charts();
    QCOMPARE(charts->epochPoints(), int(history.size()));
    for (std::size_t i = 0; i < history.size(); ++i) {
        QCOMPARE(charts->lossSeries(false)->at(qsizetype(i)), QPointF(double(i + 1), history[i].loss));
        QCOMPARE(charts->accuracySeries(QStringLiteral("source"), false)->at(qsizetype(i)).y(), 100.0 * history[i].accuracy.at("source"));
    }
    QCOMPARE(charts->bestMarker()->at(0).x(), double(model->metadata.bestEpoch));
    QVERIFY(charts->title().contains(QStringLiteral("timbre.tsm")));
    QCOMPARE(charts->epochAxis()->max(), double(history.size()));
    QVERIFY(panel.statusText().startsWith(QStringLiteral("timbre.tsm: timbre-net on ")));
    QVERIFY(panel.useButton()->isEnabled());
    QCOMPARE(panel.modelPath(), m_timbreNetModel);

    // A damaged file is refused with its name and the reason; the charts keep what they showed.
    const QString damaged = m_dir.filePath(QStringLiteral("damaged.tsm"));
    QFile in(m_timbreNetModel), out(damaged);
    QVERIFY(in.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly));
    out.write(in.read(in.size() / 2));
    out.close();
    QSignalSpy failed(&panel, &TrainingPanel::modelOpenFailed);
    panel.openModel(damaged);
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().at(1).toString().startsWith(damaged + QStringLiteral(": ")), qPrintable(failed.first().at(1).toString()));
    QVERIFY(panel.statusIsError());
    QCOMPARE(charts->epochPoints(), int(history.size()));
}

void tst_TrainingPanel::twoLocalProcessesTrainOneModel()
{
    // The tab's worker is rank 0 (the charts); rank 1 is the built timbrescope, started by the tab.
    TrainingPanel panel;
    panel.setRankProgram(qEnvironmentVariable("TIMBRESCOPE_BIN"));
    configure(panel, QStringLiteral("timbre-net"), 2, 4, QStringLiteral("two.tsm"));
    panel.setTrainingThreads(2);
    panel.form()->setProcesses(2);
    QCOMPARE(panel.form()->request().processes, 2);
    QSignalSpy finished(&panel, &TrainingPanel::trainingFinished);
    QVERIFY(panel.start());
    const TrainingResult result = waitFinished(finished);
    const QString log = panel.log()->toPlainText();
    QVERIFY2(result.status == TrainingResult::Status::Finished, qPrintable(log));
    QCOMPARE(result.finalMetrics.value(QStringLiteral("world_size")), 2.0);
    QCOMPARE(panel.charts()->lossSeries(false)->count(), 2);
    QVERIFY2(log.contains(QStringLiteral("1 threads in each of 2 processes")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("Training as 2 processes on this machine: this one is rank 0")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("rank 1: exit 0 · train: rank 1 of 2 done after 2 epochs; rank 0 writes the model")),
             qPrintable(log));
    const auto model = ts::ml::loadModelFile(result.modelPath.toStdString());
    QVERIFY(model.ok());
    QCOMPARE(model->metadata.finalMetrics.at("world_size"), 2.0);
}

void tst_TrainingPanel::headsOnlyFineTuningKeepsTheBody()
{
    // Start from the timbre-net the first run wrote, heads only: the rate moves to the heads' 1e-2
    // (and back when unticked), and the saved model has the starting model's body, byte for byte.
    QVERIFY(!m_timbreNetModel.isEmpty());
    TrainingPanel panel;
    configure(panel, QStringLiteral("timbre-net"), 1, 4, QStringLiteral("tuned.tsm"));
    TrainingForm* form = panel.form();
    auto* freeze = form->findChild<QCheckBox*>();
    QVERIFY(freeze);
    QVERIFY(!freeze->isEnabled());  // nothing to keep without a model to start from
    form->setInitModel(m_timbreNetModel);
    QVERIFY(freeze->isEnabled());
    QCOMPARE(form->request().job.options.learningRate, 1e-3);
    form->setFreezeBody(true);
    QCOMPARE(form->request().job.options.learningRate, 1e-2);
    form->setFreezeBody(false);
    QCOMPARE(form->request().job.options.learningRate, 1e-3);
    form->setFreezeBody(true);
    const auto request = form->request();
    QCOMPARE(request.job.options.initPath, m_timbreNetModel.toStdString());
    QVERIFY(request.job.options.freezeBody);

    QSignalSpy finished(&panel, &TrainingPanel::trainingFinished);
    QVERIFY(panel.start());
    const TrainingResult result = waitFinished(finished);
    QVERIFY2(result.status == TrainingResult::Status::Finished, qPrintable(panel.log()->toPlainText()));
    auto weightsOf = [](const QString& path) {
        auto file = ts::ml::loadModelFile(path.toStdString());
        return ts::ml::decodeSafetensors(file->weights, path.toStdString()).value();
    };
    const auto before = weightsOf(m_timbreNetModel), after = weightsOf(result.modelPath);
    QCOMPARE(after.tensors.at("param.conv2.weight").bytes, before.tensors.at("param.conv2.weight").bytes);
    QCOMPARE(after.tensors.at("buffer.bn2.running_mean").bytes, before.tensors.at("buffer.bn2.running_mean").bytes);
    QVERIFY(after.tensors.at("param.family_head.weight").bytes != before.tensors.at("param.family_head.weight").bytes);
}

void tst_TrainingPanel::theIdleChartsFollowTheChosenArchitecture()
{
    TrainingPanel panel;
    panel.form()->setArchitecture(QStringLiteral("timbre-net"));
    panel.form()->setEpochs(12);
    QVERIFY(panel.charts()->accuracySeries(QStringLiteral("family"), true));
    QVERIFY(panel.charts()->accuracySeries(QStringLiteral("source"), true));
    QCOMPARE(panel.charts()->epochAxis()->max(), 12.0);
    panel.form()->setArchitecture(QStringLiteral("seed-cnn1d"));
    QVERIFY(!panel.charts()->accuracySeries(QStringLiteral("family"), false));
    QVERIFY(panel.charts()->accuracySeries(QStringLiteral("source"), false));
    QVERIFY(panel.form()->architectureSummary().startsWith(QStringLiteral("source (3 classes) — fixed by this architecture\n3,077,955 parameters")));
    // The default model file: in the user's models folder, named after architecture and split.
    const QString output = QString::fromStdString(panel.form()->request().job.modelPath);
    QVERIFY2(output.startsWith(m_dir.filePath(QStringLiteral("data/timbrescope/models/seed-cnn1d-instrument-"))) &&
                 output.endsWith(QStringLiteral(".tsm")),
             qPrintable(output));
}

QTEST_MAIN(tst_TrainingPanel)
#include "tst_TrainingPanel.moc"
