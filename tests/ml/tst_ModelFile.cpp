// Model files: save → load gives identical outputs; truncated, damaged, foreign and newer files are
// refused with a clear error, never a crash; the calibration temperatures round-trip, scale the
// probabilities, and a file without them (an older one) loads with temperature 1.
#include <QtTest>

#include <nlohmann/json.hpp>
#include <QTemporaryDir>

#include <cmath>

#include "ToySet.h"
#include "ml/Calibration.h"
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

    void trainingRecordsACalibrationPerHead()
    {
        const auto& c = m_file.metadata.calibration;
        QCOMPARE(c.size(), std::size_t(2));
        for (const char* target : {"family", "source"}) {
            QVERIFY(c.at(target).temperature >= kMinTemperature && c.at(target).temperature <= kMaxTemperature);
            QCOMPARE(c.at(target).validationNotes, int(m_set.validation.size()));
        }
        // The toy set of 3 notes a kind has no test part, so there is no test ECE to record.
        QVERIFY(m_set.test.empty());
        QCOMPARE(m_file.metadata.finalMetrics.count("test_family_ece"), std::size_t(0));
    }
    void temperatureRoundTrips()
    {
        ModelMetadata meta = m_file.metadata;
        meta.calibration = {{"family", {1.75, 0.125, 0.0625, 528}}, {"source", {0.8125, 0.03125, 0.015625, 528}}};
        meta.dataNotesFingerprint = "0123456789abcdef";
        const std::string json = metadataToJson(meta);
        QVERIFY(QString::fromStdString(json).contains("\"ece_validation_before\": 0.125"));
        auto back = metadataFromJson(json, "x.tsm");
        QVERIFY(back.ok());
        QCOMPARE(back->temperatureOf("family"), 1.75);
        QCOMPARE(back->temperatureOf("source"), 0.8125);
        QCOMPARE(back->calibration.at("family").eceValidationBefore, 0.125);
        QCOMPARE(back->calibration.at("family").eceValidationAfter, 0.0625);
        QCOMPARE(back->calibration.at("source").validationNotes, 528);
        QCOMPARE(back->dataNotesFingerprint, std::string("0123456789abcdef"));
    }
    void fileWithoutCalibrationLoadsWithTemperatureOne()
    {
        // As a file written before calibration existed: no "calibration" key at all.
        ModelFile old = m_file;
        old.metadata.calibration.clear();
        old.metadata.dataNotesFingerprint.clear();
        QVERIFY(!QString::fromStdString(metadataToJson(old.metadata)).contains("calibration"));
        auto decoded = decodeModelFile(encodeModelFile(old), "old.tsm");
        QVERIFY(decoded.ok());
        QVERIFY(decoded->metadata.calibration.empty());
        QCOMPARE(decoded->metadata.temperatureOf("family"), 1.0);
        // The shipped timbre-net is calibrated: a temperature per head, fitted on its validation part.
        const QString shipped = qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR") + "/models/timbre-net.tsm";
        if (QFile::exists(shipped)) {
            auto model = TrainedModel::load(shipped.toStdString());
            QVERIFY2(model.ok(), model.ok() ? "" : model.error().describe().c_str());
            for (const char* head : {"family", "source"}) {
                const double t = model->metadata().temperatureOf(head);
                QVERIFY2(std::isfinite(t) && t > 0.0 && t != 1.0, head);
            }
        }
    }
    void temperatureScalesTheProbabilities()
    {
        // softmax(z / 2) ∝ sqrt(softmax(z)): the same predictions, softer confidences.
        ModelFile plainFile = m_file, softFile = m_file;
        plainFile.metadata.calibration.clear();
        softFile.metadata.calibration = {{"family", {2.0, 0.0, 0.0, 0}}};
        auto plain = TrainedModel::fromModelFile(plainFile);
        auto soft = TrainedModel::fromModelFile(softFile);
        QVERIFY(plain.ok() && soft.ok());
        const auto a = plain->score(m_set.features.data(), m_set.features.rows());
        const auto b = soft->score(m_set.features.data(), m_set.features.rows());
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->source, b->source);  // no source temperature: 1
        for (std::size_t r = 0; r < a->family.size(); ++r) {
            double sum = 0.0;
            for (float p : a->family[r])
                sum += std::sqrt(double(p));
            for (std::size_t c = 0; c < a->family[r].size(); ++c)
                QVERIFY(std::abs(double(b->family[r][c]) - std::sqrt(double(a->family[r][c])) / sum) < 1e-5);
        }
    }
    // Each bad field is named with its rule, not with the JSON library's error id.
    void badFieldsAreNamedWithTheirRule()
    {
        const auto base = nlohmann::json::parse(metadataToJson(m_file.metadata));
        const auto message = [](const nlohmann::json& j) {
            auto r = metadataFromJson(j.dump(), "m.tsm");
            return r.ok() ? QString() : QString::fromStdString(r.error().describe());
        };
        auto j = base;
        j["epochs"] = 1e30;
        QCOMPARE(message(j), QStringLiteral("m.tsm: model metadata is not valid: field 'epochs' must be a whole number from 0 to 1000000"));
        j = base;
        j["targets"] = 5;
        QCOMPARE(message(j), QStringLiteral("m.tsm: model metadata is not valid: field 'targets' must be a list of target names"));
        j = base;
        j.erase("split");
        QCOMPARE(message(j), QStringLiteral("m.tsm: model metadata is not valid: field 'split' is missing"));
        j = base;
        j["learning_rate"] = -0.1;
        QCOMPARE(message(j), QStringLiteral("m.tsm: model metadata is not valid: field 'learning_rate' must be a positive number"));
        j = base;
        j["best_epoch"] = j["epochs"].get<int>() + 1;
        QVERIFY(message(j).contains(QStringLiteral("field 'best_epoch' must be a whole number from 0 to")));
        // Zero is below the lowest format and the first epoch: the lower bound holds for numbers
        // JSON reads as unsigned too.
        j = base;
        j["format_version"] = 0;
        QCOMPARE(message(j), QStringLiteral("m.tsm: model metadata is not valid: field 'format_version' must be a whole number from 1 to 1000"));
        // A seed too large for 64 bits (a float) or below 0 is refused before it is converted.
        for (const nlohmann::json& seed : {nlohmann::json(4.2e81), nlohmann::json(-3), nlohmann::json(1.5)}) {
            j = base;
            j["seed"] = seed;
            QCOMPARE(message(j), QStringLiteral("m.tsm: model metadata is not valid: field 'seed' must be a whole number from 0"));
        }
        j = base;
        j["history"][0]["epoch"] = 0;
        QVERIFY(message(j).contains(QStringLiteral("field 'epoch' must be a whole number from 1 to")));
        auto bad = metadataFromJson("{not json", "m.tsm");
        QCOMPARE(QString::fromStdString(bad.error().describe()), QStringLiteral("m.tsm: model metadata is not valid: it is not JSON text"));
        QVERIFY(metadataFromJson(base.dump(), "m.tsm").ok());
    }

    void badTemperatureRefused()
    {
        ModelMetadata meta = m_file.metadata;
        meta.calibration = {{"family", {-1.0, 0.0, 0.0, 0}}};
        auto r = metadataFromJson(metadataToJson(meta), "neg.tsm");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().path, std::string("neg.tsm"));
        QVERIFY(QString::fromStdString(r.error().message).contains("calibration temperature of 'family' must be a positive number"));
        // A count of validation notes too large for an int is refused before it is converted.
        meta.calibration = {{"family", {1.5, 0.0, 0.0, 120}}};
        auto j = nlohmann::json::parse(metadataToJson(meta));
        j["calibration"]["family"]["validation_notes"] = 1e20;
        r = metadataFromJson(j.dump(), "big.tsm");
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().describe()),
                 QStringLiteral("big.tsm: model metadata is not valid: field 'validation_notes' must be a whole number from 0 to 2147483647"));
        j["calibration"]["family"]["validation_notes"] = 120;
        QCOMPARE(metadataFromJson(j.dump(), "ok.tsm")->calibration.at("family").validationNotes, 120);
    }

private:
    QTemporaryDir m_dir;
    TrainingSet m_set;
    ModelFile m_file;
    std::string m_path;
};

QTEST_GUILESS_MAIN(tst_ModelFile)
#include "tst_ModelFile.moc"
