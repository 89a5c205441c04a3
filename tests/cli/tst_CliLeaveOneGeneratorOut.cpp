// Leave-one-generator-out end to end on a tiny corpus: `render` from a SoundFont and STK records
// each note's generator, `info --json` counts notes per generator, `train --split generator:STK`
// tests on exactly STK's notes, and models/leave-one-generator-out makes its table.
// ctest-label: slow
#include <QtTest>

#include "common/CliRun.h"

#include <nlohmann/json.hpp>

namespace {

const char* kTim = "/usr/share/sounds/sf2/TimGM6mb.sf2";

} // namespace

class tst_CliLeaveOneGeneratorOut : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty(), "TIMBRESCOPE_BIN must name the binary");
        if (!QFile::exists(QString::fromLatin1(kTim)) || !QFileInfo(QStringLiteral("/usr/share/stk/rawwaves")).isDir())
            QSKIP("timgm6mb-soundfont or stk is not installed");
        QVERIFY(m_dir.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("cache")));
        m_data = m_dir.filePath(QStringLiteral("tiny"));
        const ts::test::CliRun r = run({"render", "--soundfont", kTim, "--stk", "--out", m_data, "--count", "220", "--jobs", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("TimGM6mb: ")) && r.out.contains(QStringLiteral("STK: ")), qPrintable(r.out));
    }

    void infoCountsNotesPerGenerator()
    {
        const ts::test::CliRun r = run({"info", m_data, "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto info = nlohmann::json::parse(r.out.toStdString());
        const auto& generators = info.at("generators");
        QCOMPARE(int(generators.size()), 2);
        QCOMPARE(generators.at("TimGM6mb").get<int>() + generators.at("STK").get<int>(), 220);
        QVERIFY(generators.at("STK").get<int>() > 20);
        m_stkNotes = generators.at("STK").get<int>();
    }

    void generatorSplitTestsOnEveryNoteOfTheOneLeftOut()
    {
        const QString model = m_dir.filePath(QStringLiteral("logo.tsm"));
        ts::test::CliRun r = run({"train", "--data", m_data, "--model", "timbre-net", "--split", "generator:STK", "--epochs", "1",
                     "--recordings", "1", "--out", model});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("test %1 (split generator:STK)").arg(m_stkNotes)), qPrintable(r.err));
        r = run({"evaluate", "--model", model, "--data", m_data, "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto e = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(e.at("part").get<std::string>(), std::string("test"));
        QCOMPARE(e.at("n").get<int>(), m_stkNotes);

        r = run({"train", "--data", m_data, "--model", "timbre-net", "--split", "generator:OPL-3_FM", "--epochs", "1",
                 "--out", m_dir.filePath(QStringLiteral("none.tsm"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("no notes of generator 'OPL-3_FM'")), qPrintable(r.err));
    }

    void scriptMakesTheTable()
    {
        const QString bin = qEnvironmentVariable("TIMBRESCOPE_BIN");
        const QString build = QFileInfo(QFileInfo(bin).absolutePath()).absolutePath();
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("DATA"), m_data);
        env.insert(QStringLiteral("EPOCHS"), QStringLiteral("1"));
        env.insert(QStringLiteral("RECORDINGS"), QStringLiteral("0"));
        const ts::test::CliRun r = ts::test::runProgram(QStringLiteral("bash"),
                                 {qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR") + "/models/leave-one-generator-out", build,
                                  m_dir.filePath(QStringLiteral("table"))},
                                 env, 600000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err.right(2000)));
        QVERIFY2(r.out.contains(QStringLiteral("| STK left out | %1 |").arg(m_stkNotes)), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("| TimGM6mb left out | %1 |").arg(220 - m_stkNotes)), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("**mean of 2 generators**")));
        QVERIFY(r.out.contains(QStringLiteral("| instrument split (unseen instruments) |")));
    }

private:
    ts::test::CliRun run(const QStringList& args) { return ts::test::runTimbrescope(args, m_env, 300000); }

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QString m_data;
    int m_stkNotes = 0;
};

QTEST_MAIN(tst_CliLeaveOneGeneratorOut)
#include "tst_CliLeaveOneGeneratorOut.moc"
