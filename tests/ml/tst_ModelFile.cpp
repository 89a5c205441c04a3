// Model files: save → load gives identical outputs; truncated, damaged, foreign and newer files are
// refused with a clear error, never a crash.
#include <QtTest>
#include <QTemporaryDir>

#include "ToySet.h"
#include "ml/ModelFile.h"
#include "ml/TrainedModel.h"
#include "ml/Trainer.h"
#include "util/AtomicFile.h"

using namespace ts::ml;

class tst_ModelFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const auto architecture = *findArchitecture("timbre-net");
        m_set = makeToySet(architecture, 3);
        TrainingOptions options;
        options.epochs = 2;
        options.batchSize = 4;
        auto outcome = Trainer(options).run(m_set);
        QVERIFY(outcome.ok());
        m_file = outcome->model;
        m_path = m_dir.filePath("model.tsm").toStdString();
        QVERIFY(saveModelFile(m_path, m_file).ok());
    }
    void saveLoadGivesIdenticalOutputs()
    {
        auto before = TrainedModel::fromModelFile(m_file);
        auto after = TrainedModel::load(m_path);
        QVERIFY(before.ok());
        QVERIFY2(after.ok(), after.ok() ? "" : after.error().describe().c_str());
        const auto a = before->score(m_set.features.data(), m_set.features.rows());
        const auto b = after->score(m_set.features.data(), m_set.features.rows());
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->family, b->family);
        QCOMPARE(a->source, b->source);
        QCOMPARE(after->metadata().architecture, std::string("timbre-net"));
        QCOMPARE(after->metadata().history.size(), std::size_t(2));
        QCOMPARE(after->metadata().labels.at("source").size(), std::size_t(3));
    }
    void truncatedFileRefused()
    {
        auto bytes = ts::readWholeFile(m_path).value();
        for (std::size_t size : {std::size_t(0), std::size_t(5), std::size_t(20), bytes.size() / 2, bytes.size() - 1}) {
            auto r = decodeModelFile(bytes.substr(0, size), "cut.tsm");
            QVERIFY(!r.ok());
            QCOMPARE(r.error().path, std::string("cut.tsm"));
        }
    }
    void damagedFileRefused()
    {
        auto bytes = ts::readWholeFile(m_path).value();
        bytes[bytes.size() / 2] ^= 0x5a;
        auto r = decodeModelFile(bytes, "bad.tsm");
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error().message).contains("damaged"));
    }
    void foreignAndNewerFilesRefused()
    {
        auto foreign = decodeModelFile("RIFF....WAVEfmt not a model at all", "x.wav");
        QVERIFY(!foreign.ok());
        QVERIFY(QString::fromStdString(foreign.error().message).contains("not a Timbrescope model"));
        auto bytes = ts::readWholeFile(m_path).value();
        bytes[8] = char(99);  // format version
        auto newer = decodeModelFile(bytes, "new.tsm");
        QVERIFY(!newer.ok());
        QCOMPARE(newer.error().code, ts::ErrorCode::Unsupported);
        QVERIFY(!TrainedModel::load(m_dir.filePath("missing.tsm").toStdString()).ok());
    }

private:
    QTemporaryDir m_dir;
    TrainingSet m_set;
    ModelFile m_file;
    std::string m_path;
};

QTEST_GUILESS_MAIN(tst_ModelFile)
#include "tst_ModelFile.moc"
