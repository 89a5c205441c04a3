// `models`, and the argument and model-file errors of `predict`, `train`, `evaluate` (exit codes
// and JSON shapes of the CLI's documented contract).
#include <QtTest>

#include "common/CliRun.h"
#include "common/NsynthFixture.h"
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

class tst_CliModels : public QObject {
    Q_OBJECT

    static ts::test::CliRun run(const QStringList& args) { return ts::test::runTimbrescope(args); }

private Q_SLOTS:
    void modelsJson()
    {
        const auto r = run({"models", "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j.size(), std::size_t(5));
        std::map<std::string, long long> counts;
        for (const auto& m : j) {
            QVERIFY(m.contains("targets") && m.contains("features") && m.contains("description"));
            counts[m.at("id").get<std::string>()] = m.at("parameters").get<long long>();
        }
        QCOMPARE(counts.at("seed-cnn2d"), 614667LL);
        QCOMPARE(counts.at("seed-logreg-spec"), 708092LL);
        QCOMPARE(counts.at("seed-cnn1d"), 3077955LL);
        QCOMPARE(counts.at("seed-logreg-raw"), 192003LL);
        QCOMPARE(j[4].at("targets"), nlohmann::json({"family", "source"}));
    }
    void wordThatIsNeitherCommandNorPathIsAUsageError()
    {
        // `timbrescope PATH` opens the GUI with that path; a word that names neither stays an error.
        const auto r = run({"no-such-command-or-file"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("unknown command 'no-such-command-or-file' (and no such file or folder)"));
    }

    void predictErrors()
    {
        QTemporaryDir dir;
        QCOMPARE(run({"predict", "--model", dir.filePath("x.tsm")}).exitCode, 2);  // no FILE
        const auto missing = run({"predict", "--model", dir.filePath("missing.tsm"), "a.wav"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("missing.tsm"));
        QFile notModel(dir.filePath("fake.tsm"));
        QVERIFY(notModel.open(QIODevice::WriteOnly));
        notModel.write("hello, not a model");
        notModel.close();
        const auto foreign = run({"predict", "--model", notModel.fileName(), "a.wav"});
        QCOMPARE(foreign.exitCode, 1);
        QVERIFY(foreign.err.contains("not a Timbrescope model file"));
        QVERIFY(foreign.out.isEmpty());
    }
    void trainAndEvaluateUsage()
    {
        QCOMPARE(run({"train", "--model", "timbre-net"}).exitCode, 2);
        QCOMPARE(run({"train", "--data", "/nonexistent", "--model", "resnet"}).exitCode, 2);
        QCOMPARE(run({"train", "--data", "/nonexistent", "--model", "timbre-net", "--epochs", "0"}).exitCode, 2);
        const auto noData = run({"train", "--data", "/nonexistent/ds", "--model", "timbre-net"});
        QCOMPARE(noData.exitCode, 1);
        QVERIFY(noData.err.contains("/nonexistent/ds"));
        QCOMPARE(run({"evaluate", "--data", "/nonexistent"}).exitCode, 2);
    }
    // The command line is right, the data cannot be split: bad data (1), not usage (2).
    void datasetTooSmallToSplitIsBadData()
    {
        QTemporaryDir dir;
        const std::string data = dir.filePath("tiny").toStdString();
        QVERIFY(nsynthfixture::write(data, nsynthfixture::grid({0}, 1, {60}, {100})));
        const auto r = run({"train", "--data", QString::fromStdString(data), "--model", "timbre-net", "--out",
                            dir.filePath("m.tsm")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("timbrescope: ") + QString::fromStdString(data) + ": too small to split"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("m.tsm")));
    }
};

QTEST_GUILESS_MAIN(tst_CliModels)
#include "tst_CliModels.moc"
