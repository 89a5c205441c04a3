// `timbrescope evaluate --part` and `calibrate` on a tiny dataset and a timbre-net trained on it by
// `train`: the parts' note counts add up as the split says, the automatic part is the test part of
// the model's own dataset (also when its notes were copied elsewhere) and every note of another one,
// with the reason printed; the JSON carries "part", "ece" and "confident" beside the contract's keys;
// --confusion-csv writes the same counts as CSV.
#include <QtTest>

#include "common/CliRun.h"
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/NsynthFixture.h"

namespace fx = nsynthfixture;

class tst_CliEvaluate : public QObject {
    Q_OBJECT

    ts::test::CliRun run(const QStringList& args) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("cache")));  // feature caches stay here
        return ts::test::runTimbrescope(args, env, 180000);
    }
    nlohmann::ordered_json evaluateJson(const QString& data, const QStringList& more = {}) const
    {
        const ts::test::CliRun r = run(QStringList{"evaluate", "--model", m_model, "--data", data, "--json"} + more);
        if (r.exitCode != 0)
            qWarning("%s", qPrintable(r.err));
        return nlohmann::ordered_json::parse(r.out.toStdString(), nullptr, false);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // 3 families × 3 instruments × 3 pitches × 3 velocities = 81 notes of 0.1 s tones.
        m_data = m_dir.filePath(QStringLiteral("tiny"));
        QVERIFY(fx::write(m_data.toStdString(), fx::grid({0, 3, 4}, 3, {48, 60, 72}, {25, 75, 127})));
        m_model = m_dir.filePath(QStringLiteral("net.tsm"));
        const ts::test::CliRun trained = run({"train", "--data", m_data, "--model", "timbre-net", "--split", "random", "--epochs", "2",
                                 "--batch", "8", "--out", m_model});
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        // "train: timbre-net on 49 notes, validation 8, test 21 (split random)"
        const auto sizes = QRegularExpression(QStringLiteral("on (\\d+) notes, validation (\\d+), test (\\d+)")).match(trained.err);
        QVERIFY2(sizes.hasMatch(), qPrintable(trained.err));
        m_train = sizes.captured(1).toInt();
        m_validation = sizes.captured(2).toInt();
        m_test = sizes.captured(3).toInt();
        // The summary line has each target's test ECE next to its accuracy.
        QVERIFY2(trained.err.contains(QStringLiteral("test_family_ece ")), qPrintable(trained.err));
        QVERIFY(trained.err.contains(QStringLiteral("test_source_ece ")));
    }
    void partsAddUpAsTheSplitSays()
    {
        QCOMPARE(m_train + m_validation + m_test, 81);
        const std::map<QString, int> expected = {{"all", 81}, {"train", m_train}, {"validation", m_validation}, {"test", m_test}};
        for (const auto& [part, n] : expected) {
            const auto j = evaluateJson(m_data, {"--part", part});
            QVERIFY2(!j.is_discarded(), qPrintable(part));
            QCOMPARE(j.at("n").get<int>(), n);
            QCOMPARE(QString::fromStdString(j.at("part").get<std::string>()), part);
            int support = 0;
            for (const auto& c : j.at("family").at("per_class"))
                support += c.at("support").get<int>();
            QCOMPARE(support, n);
        }
    }
    void jsonKeepsTheContractAndAddsCalibration()
    {
        const auto j = evaluateJson(m_data);
        QVERIFY(!j.is_discarded());
        std::vector<std::string> keys;
        for (const auto& item : j.items())
            keys.push_back(item.key());
        QCOMPARE(keys, (std::vector<std::string>{"n", "part", "family", "source"}));
        for (const char* target : {"family", "source"}) {
            const auto& t = j.at(target);
            std::vector<std::string> targetKeys;
            for (const auto& item : t.items())
                targetKeys.push_back(item.key());
            QCOMPARE(targetKeys, (std::vector<std::string>{"labels", "accuracy", "confusion", "per_class", "ece", "confident"}));
            const double ece = t.at("ece").get<double>();
            QVERIFY(ece >= 0.0 && ece <= 1.0);
            QCOMPARE(t.at("confident").at("threshold").get<double>(), 0.8);
            const int n = t.at("confident").at("n").get<int>();
            QVERIFY(n >= 0 && n <= j.at("n").get<int>());
            if (n > 0)
                QVERIFY(t.at("confident").at("accuracy").get<double>() >= 0.0);
            else
                QVERIFY(t.at("confident").at("accuracy").is_null());
        }
    }
    void automaticPartIsTestOnItsOwnDatasetAndAllElsewhere()
    {
        // Its own dataset: the test part, and the text says why.
        const ts::test::CliRun own = run({"evaluate", "--model", m_model, "--data", m_data});
        QCOMPARE(own.exitCode, 0);
        QVERIFY2(own.out.startsWith(QStringLiteral("part: test (this model was trained on this dataset)\nnotes: %1\n").arg(m_test)),
                 qPrintable(own.out));
        QVERIFY(own.out.contains(QStringLiteral("family ECE: ")));
        QVERIFY(own.out.contains(QStringLiteral("source confident (>= 80 %): ")));

        // A copy of it (new file times, so another fingerprint, but the same notes): still the test part.
        const QString copy = m_dir.filePath(QStringLiteral("copy"));
        std::filesystem::copy(m_data.toStdString(), copy.toStdString(), std::filesystem::copy_options::recursive);
        const auto copied = evaluateJson(copy);
        QCOMPARE(copied.at("part").get<std::string>(), std::string("test"));
        QCOMPARE(copied.at("n").get<int>(), m_test);

        // Another dataset (other instruments' notes): every note, which the model never heard.
        const QString other = m_dir.filePath(QStringLiteral("other"));
        QVERIFY(fx::write(other.toStdString(), fx::grid({0, 3}, 2, {50, 62}, {100})));
        const ts::test::CliRun foreign = run({"evaluate", "--model", m_model, "--data", other});
        QCOMPARE(foreign.exitCode, 0);
        QVERIFY2(foreign.out.startsWith(QStringLiteral("part: all (this model was not trained on this dataset)\nnotes: 8\n")),
                 qPrintable(foreign.out));
        // Asked for its test part, it is split as the model's split says (random, seed 1).
        const auto foreignTest = evaluateJson(other, {"--part", "test"});
        QCOMPARE(foreignTest.at("part").get<std::string>(), std::string("test"));
        QVERIFY(foreignTest.at("n").get<int>() > 0 && foreignTest.at("n").get<int>() < 8);
    }
    void confusionCsvHasAHeaderAndTheTargetOnEveryLine()
    {
        const QString csvPath = m_dir.filePath(QStringLiteral("confusion.csv"));
        const ts::test::CliRun r = run({"evaluate", "--model", m_model, "--data", m_data, "--json", "--confusion-csv", csvPath});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto j = nlohmann::ordered_json::parse(r.out.toStdString());
        // The same counts as the JSON, family's block then source's: "target,true,<predicted labels>",
        // then "<target>,<true label>,<counts>" per true label.
        std::string expected;
        for (const char* target : {"family", "source"}) {
            const auto& t = j.at(target);
            const auto labels = t.at("labels").get<std::vector<std::string>>();
            expected += "target,true";
            for (const auto& l : labels)
                expected += "," + l;
            expected += "\n";
            for (std::size_t i = 0; i < labels.size(); ++i) {
                expected += std::string(target) + "," + labels[i];
                for (int count : t.at("confusion").at(i).get<std::vector<int>>())
                    expected += "," + std::to_string(count);
                expected += "\n";
            }
        }
        QFile file(csvPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().toStdString(), expected);
    }
    void badPartIsAUsageError()
    {
        const ts::test::CliRun r = run({"evaluate", "--model", m_model, "--data", m_data, "--part", "everything"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("--part must be all, train, validation or test, got 'everything'")));
        QVERIFY(r.out.isEmpty());
    }
    void calibrateRefitsWithoutTraining()
    {
        const QString out = m_dir.filePath(QStringLiteral("recalibrated.tsm"));
        const ts::test::CliRun r = run({"calibrate", "--model", m_model, "--data", m_data, "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("(%1 notes; this model was trained on this dataset)").arg(m_validation)), qPrintable(r.err));
        QVERIFY(QRegularExpression(QStringLiteral("^family: temperature [0-9.]+, validation ECE [0-9.]+ -> [0-9.]+\n"
                                                  "source: temperature [0-9.]+, validation ECE [0-9.]+ -> [0-9.]+\n$"))
                    .match(r.out)
                    .hasMatch());
        // The same weights and the same fit as train's: the same evaluation.
        const auto before = evaluateJson(m_data);
        const ts::test::CliRun after = run({"evaluate", "--model", out, "--data", m_data, "--json"});
        QCOMPARE(after.exitCode, 0);
        const auto a = nlohmann::ordered_json::parse(after.out.toStdString());
        QCOMPARE(a.at("family").at("confusion"), before.at("family").at("confusion"));
        QVERIFY(std::abs(a.at("family").at("ece").get<double>() - before.at("family").at("ece").get<double>()) < 1e-4);
    }

private:
    QTemporaryDir m_dir;
    QString m_data, m_model;
    int m_train = 0, m_validation = 0, m_test = 0;
};

QTEST_GUILESS_MAIN(tst_CliEvaluate)
#include "tst_CliEvaluate.moc"
