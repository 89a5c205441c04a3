// `models`, `models --convert` (a format-1 checkpoint rewritten as format 2 predicts the same; a
// damaged one is a named error that leaves no file), and the argument and model-file errors of
// `predict`, `train`, `evaluate` (exit codes and JSON shapes of the CLI's documented contract).
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
    void convertWritesFormatTwoThatPredictsTheSame()
    {
        QTemporaryDir dir;
        const QString old = qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR") + "/tests/fixtures/toy-timbre-net-v1.checkpoint";
        const QString converted = dir.filePath("converted.tsm");
        const auto r = run({"models", "--convert", old, converted});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // 33 weight tensors (18 parameters, 15 buffers); the resume state adds 3 of Adam's per parameter and the rate.
        QCOMPARE(r.out, old + " (format 1) -> " + converted + " (format 2): timbre-net, 33 weight tensors, resume state of 88 tensors\n");
        QVERIFY(r.err.isEmpty());
        QFile file(converted);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(12), QByteArray("TSMODEL1\x02\0\0\0", 12));
        file.close();

        const auto j = run({"models", "--convert", old, dir.filePath("again.tsm"), "--json"});
        QCOMPARE(j.exitCode, 0);
        const auto json = nlohmann::json::parse(j.out.toStdString());
        QCOMPARE(json.at("input").get<std::string>(), old.toStdString());
        QCOMPARE(json.at("input_format").get<int>(), 1);
        QCOMPARE(json.at("output").get<std::string>(), dir.filePath("again.tsm").toStdString());
        QCOMPARE(json.at("format").get<int>(), 2);
        QCOMPARE(json.at("architecture").get<std::string>(), std::string("timbre-net"));
        QCOMPARE(json.at("weights_tensors").get<int>(), 33);
        QCOMPARE(json.at("resume_state_tensors").get<int>(), 88);
        QCOMPARE(json.at("bytes").get<qint64>(), QFileInfo(converted).size());

        // The same answers, to the last digit, from both files.
        const QString wav = dir.filePath("tone.wav");
        QVERIFY(nsynthfixture::writeWav(wav.toStdString(), nsynthfixture::tone(57, 64000)));
        const auto before = run({"predict", "--model", old, "--json", wav});
        const auto after = run({"predict", "--model", converted, "--json", wav});
        QVERIFY2(before.exitCode == 0, qPrintable(before.err));
        QCOMPARE(after.exitCode, 0);
        QVERIFY(before.out.contains("\"scores\""));
        QCOMPARE(after.out, before.out);

        // A current file rewritten in place stays byte for byte the same.
        QFile a(converted);
        QVERIFY(a.open(QIODevice::ReadOnly));
        const QByteArray bytes = a.readAll();
        a.close();
        QCOMPARE(run({"models", "--convert", converted, converted}).exitCode, 0);
        QVERIFY(a.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), bytes);
    }
    void convertRefusesADamagedFileAndWritesNothing()
    {
        QTemporaryDir dir;
        QFile fixture(qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR") + "/tests/fixtures/toy-timbre-net-v1.checkpoint");
        QVERIFY(fixture.open(QIODevice::ReadOnly));
        QByteArray bytes = fixture.readAll();
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x5a);
        const QString damaged = dir.filePath("damaged.checkpoint");
        QFile out(damaged);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();
        const QString target = dir.filePath("new.tsm");
        const auto r = run({"models", "--convert", damaged, target});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, "timbrescope: " + damaged + ": model file is damaged (checksum mismatch)\n");
        QVERIFY(r.out.isEmpty());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"damaged.checkpoint"});

        const auto missing = run({"models", "--convert", dir.filePath("missing.tsm"), target});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.startsWith("timbrescope: " + dir.filePath("missing.tsm") + ": "), qPrintable(missing.err));
        const auto unwritable = run({"models", "--convert", fixture.fileName(), dir.filePath("no/such/folder/new.tsm")});
        QCOMPARE(unwritable.exitCode, 1);
        QVERIFY2(unwritable.err.startsWith("timbrescope: " + dir.filePath("no/such/folder/new.tsm")), qPrintable(unwritable.err));
        QVERIFY(!QFile::exists(target));

        const auto noNew = run({"models", "--convert", damaged});
        QCOMPARE(noNew.exitCode, 2);
        QVERIFY2(noNew.err.startsWith("timbrescope models: --convert needs OLD and NEW"), qPrintable(noNew.err));
        QCOMPARE(run({"models", "--convert"}).exitCode, 2);
        QVERIFY(run({"models", "--help"}).out.contains("--convert OLD NEW"));
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
