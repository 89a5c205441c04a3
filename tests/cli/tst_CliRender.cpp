// `timbrescope render` end to end: exit codes, one-line errors, nothing left behind, the
// --default fast path, and a clean stop on SIGTERM.
#include <QtTest>

#include "common/CliRun.h"

#include <fstream>

#include "synth/DatasetRenderer.h"
#include "synth/RenderManifest.h"

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

using Run = ts::test::CliRun;

Run runBin(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    return ts::test::runTimbrescope(args, env);
}

int entries(const QString& folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size();
}

} // namespace

class tst_CliRender : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty(), "TIMBRESCOPE_BIN must name the binary");
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
    }

    void rendersASmallSet()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("set"));
        const Run r = runBin({"render", "--soundfont", kFluid, "--out", out, "--count", "6", "--jobs", "2"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("Rendered 6 notes")), qPrintable(r.out));
        QVERIFY(r.err.contains(QStringLiteral("6 / 6 notes")));  // progress goes to stderr
        QCOMPARE(QDir(out + "/audio").entryList(QDir::Files).size(), 6);
        QVERIFY(QFileInfo::exists(out + "/examples.json") && QFileInfo::exists(out + "/instruments.json"));
        QCOMPARE(entries(dir.path()), 1);
    }

    void badInputIsOneLineExitOneAndLeavesNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mention");
        QTest::newRow("count 0") << QStringList{"--soundfont", kFluid, "--count", "0"} << 1 << "--count";
        QTest::newRow("missing soundfont") << QStringList{"--soundfont", "@/missing.sf2", "--count", "3"} << 1 << "missing.sf2";
        QTest::newRow("not a soundfont") << QStringList{"--soundfont", "@/notes.txt", "--count", "3"} << 1 << "not a SoundFont";
        QTest::newRow("count and grid") << QStringList{"--soundfont", kFluid, "--count", "3", "--grid"} << 2 << "--grid";
        QTest::newRow("jobs 0") << QStringList{"--soundfont", kFluid, "--jobs", "0"} << 2 << "--jobs";
        QTest::newRow("count not a number") << QStringList{"--soundfont", kFluid, "--count", "many"} << 2 << "--count";
    }

    void badInputIsOneLineExitOneAndLeavesNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, mention);
        QTemporaryDir dir;
        std::ofstream(dir.filePath(QStringLiteral("notes.txt")).toStdString()) << "not a SoundFont\n";
        for (QString& a : args)
            a.replace(QStringLiteral("@"), dir.path());
        args.prepend(QStringLiteral("render"));
        args << QStringLiteral("--out") << dir.filePath(QStringLiteral("set"));
        const Run r = runBin(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(mention), qPrintable(r.err));
        if (exitCode == 1)
            QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(entries(dir.path()), 1);  // only notes.txt
    }

    void unwritableOutputFolder()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("file"));
        std::ofstream(file.toStdString()) << "x";
        const Run r = runBin({"render", "--soundfont", kFluid, "--out", file + "/set", "--count", "3"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("timbrescope: ")), qPrintable(r.err));
        QCOMPARE(entries(dir.path()), 1);
    }

    void defaultReturnsAtOnceWhenAlreadyInPlace()
    {
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.path());
        // A finished default render is recognised by its recipe (every installed generator) and its
        // complete file list.
        const auto request = ts::synth::DatasetRenderer::defaultRequest();
        auto recipe = ts::synth::RenderManifest::recipe(request.generators, request.options);
        QVERIFY(recipe.ok());
        // The recipe of the FluidR3-only default dataset of earlier versions is not the current one.
        ts::synth::RenderOptions old;
        old.count = ts::synth::DatasetRenderer::kDefaultCount;
        auto oldRecipe = ts::synth::RenderManifest::recipe(ts::synth::DatasetRenderer::kDefaultSoundFont, old);
        QVERIFY(oldRecipe.ok());
        QVERIFY(*oldRecipe != *recipe);
        const QString folder = dir.filePath(QStringLiteral("timbrescope/datasets/default"));
        QVERIFY(QDir().mkpath(folder + "/audio"));
        std::ofstream((folder + "/examples.json").toStdString()) << "{}";
        std::ofstream((folder + "/instruments.json").toStdString())
            << "{\"recipe\": \"" << *recipe << "\", \"note_count\": 2}";
        std::ofstream((folder + "/audio/a.wav").toStdString()) << "x";
        std::ofstream((folder + "/audio/b.wav").toStdString()) << "x";
        QElapsedTimer timer;
        timer.start();
        const Run r = runBin({"render", "--default"}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("already in place")), qPrintable(r.out + r.err));
        QVERIFY2(timer.elapsed() < 5000, QByteArray::number(timer.elapsed()));
        QVERIFY(r.err.isEmpty());

        QCOMPARE(runBin({"render", "--default", "--count", "5"}, env).exitCode, 2);
        QCOMPARE(runBin({"render", "--force"}, env).exitCode, 2);
    }

    void sigtermCancelsAndLeavesNothing()
    {
        QTemporaryDir dir;
        QProcess p;
        p.start(qEnvironmentVariable("TIMBRESCOPE_BIN"),
                {"render", "--soundfont", kFluid, "--out", dir.filePath(QStringLiteral("set")), "--count", "4096", "--jobs", "2"});
        QVERIFY(p.waitForStarted());
        // Wait until notes are being written (the temporary folder exists beside the lock file),
        // then stop it.
        const QString rendering = dir.filePath(QStringLiteral(".set.rendering-%1").arg(p.processId()));
        QElapsedTimer timer;
        timer.start();
        while (!QFileInfo::exists(rendering + "/audio") && timer.elapsed() < 20000)
            QTest::qWait(20);
        QVERIFY(QFileInfo::exists(rendering + "/audio"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 (QStringList{QStringLiteral(".set.lock"), QStringLiteral(".set.rendering-%1").arg(p.processId())}));
        p.terminate();
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 128 + 15);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("cancelled")));
        QCOMPARE(entries(dir.path()), 0);
    }
};

QTEST_GUILESS_MAIN(tst_CliRender)
#include "tst_CliRender.moc"
