// Two renders of one folder at once: one renders, the other waits ("waiting for another Timbrescope
// (pid N) rendering DIR" on stderr) and then keeps the set the first made; both exit 0 and the
// folder is one complete set. kill -9 of the render holding the lock lets the waiting one render.
// `render --default` waits the same way for whoever renders the default dataset.
#include <QtTest>

#include "common/CliRun.h"
#include "common/KillTesting.h"

#include <fstream>
#include <unistd.h>

#include "dataset/Dataset.h"
#include "synth/DatasetRenderer.h"
#include "synth/RenderManifest.h"
#include "util/FileLock.h"

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

QStringList renderArgs(const QString& out, int count)
{
    return {"render", "--soundfont", kFluid, "--count", QString::number(count), "--seed", "2", "--jobs", "1", "--out", out};
}

// A render started in the background whose stderr is collected as it comes.
struct Render {
    QProcess process;
    QString err;
    long startedPid = 0;  // QProcess forgets it once the process has ended

    void start(const QStringList& args, const QProcessEnvironment& env)
    {
        ts::test::startTimbrescope(process, args, env);
        startedPid = long(process.processId());
    }
    // Waits (up to timeoutMs) until stderr contains `text`.
    bool waitForErr(const QString& text, int timeoutMs = 20000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!err.contains(text) && timer.elapsed() < timeoutMs && process.state() != QProcess::NotRunning) {
            process.waitForReadyRead(50);
            err += QString::fromUtf8(process.readAllStandardError());
        }
        err += QString::fromUtf8(process.readAllStandardError());
        return err.contains(text);
    }
    int finish()
    {
        process.waitForFinished(120000);
        err += QString::fromUtf8(process.readAllStandardError());
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }
    QString out() { return QString::fromUtf8(process.readAllStandardOutput()); }
    long pid() const { return startedPid; }
};

QString waiting(long pid, const QString& folder)
{
    return QStringLiteral("timbrescope: waiting for another Timbrescope (pid %1) rendering %2\n").arg(pid).arg(folder);
}

int entries(const QString& folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size();
}

// The folder is one whole render of `count` notes: every WAV examples.json names, nothing else.
void checkWholeSet(const QString& folder, int count)
{
    auto loaded = ts::dataset::Dataset::load(folder.toStdString());
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().describe().c_str());
    QCOMPARE(loaded->usableIndices().size(), std::size_t(count));
    QCOMPARE(QDir(folder + "/audio").entryList(QDir::Files | QDir::Hidden).size(), count);
    QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden),
             (QStringList{QStringLiteral("examples.json"), QStringLiteral("instruments.json")}));
}

} // namespace

class tst_RenderLock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty(), "TIMBRESCOPE_BIN must name the binary");
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
    }

    void twoRendersOfOneFolderMakeOneSet()
    {
        // Both start while the folder is locked (here by this test), so both are surely running when
        // the lock is free: one takes it and renders, the other waits for that one.
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("set"));
        auto held = ts::FileLock::acquire(dir.filePath(QStringLiteral(".set.lock")).toStdString());
        QVERIFY(held.ok());
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        Render a, b;
        a.start(renderArgs(out, 12), env);
        b.start(renderArgs(out, 12), env);
        QVERIFY2(a.waitForErr(waiting(::getpid(), out)), qPrintable(a.err));
        QVERIFY2(b.waitForErr(waiting(::getpid(), out)), qPrintable(b.err));
        { ts::FileLock release = std::move(held.value()); }

        QCOMPARE(a.finish(), 0);
        QCOMPARE(b.finish(), 0);
        const QString outA = a.out(), outB = b.out();
        const bool aRendered = outA.startsWith(QStringLiteral("Rendered 12 notes"));
        Render& waited = aRendered ? b : a;
        const long winner = aRendered ? a.pid() : b.pid();
        QVERIFY2(aRendered != outB.startsWith(QStringLiteral("Rendered 12 notes")), qPrintable(outA + outB));
        QCOMPARE(aRendered ? outB : outA, QStringLiteral("The dataset is already in place: %1 (12 notes).\n").arg(out));
        QVERIFY2(waited.err.contains(waiting(winner, out)), qPrintable(waited.err));
        checkWholeSet(out, 12);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{QStringLiteral("set")});
    }

    void killingTheRenderHoldingTheLockLetsTheWaiterRender()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("set"));
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        Render first;
        first.start(renderArgs(out, 60), env);
        const QString rendering = dir.filePath(QStringLiteral(".set.rendering-%1").arg(first.pid()));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(rendering), 20000);
        QCOMPARE(ts::FileLock::holderOf(dir.filePath(QStringLiteral(".set.lock")).toStdString()), first.pid());
        Render second;
        second.start(renderArgs(out, 60), env);
        QVERIFY2(second.waitForErr(waiting(first.pid(), out)), qPrintable(second.err));
        QVERIFY(first.process.state() == QProcess::Running);
        ::kill(pid_t(first.pid()), SIGKILL);
        QCOMPARE(first.finish(), -1);

        QCOMPARE(second.finish(), 0);
        QVERIFY2(second.out().startsWith(QStringLiteral("Rendered 60 notes")), qPrintable(second.err));
        checkWholeSet(out, 60);
        // The killed render's folder and lock are gone.
        QCOMPARE(ts::test::temporariesIn(dir.path()), QStringList());
        QCOMPARE(entries(dir.path()), 1);
    }

    void defaultRenderWaitsAndKeepsTheSetTheOtherMade()
    {
        // Another Timbrescope (this test) renders the default dataset: `render --default` waits,
        // then finds it complete and keeps it. No note is rendered here.
        QTemporaryDir dir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.path());
        const QString datasets = dir.filePath(QStringLiteral("timbrescope/datasets"));
        const QString folder = datasets + QStringLiteral("/default");
        QVERIFY(QDir().mkpath(datasets));
        auto held = ts::FileLock::acquire((datasets + QStringLiteral("/.default.lock")).toStdString());
        QVERIFY(held.ok());
        Render render;
        render.start({"render", "--default"}, env);
        QVERIFY2(render.waitForErr(waiting(::getpid(), folder)), qPrintable(render.err));

        const auto request = ts::synth::DatasetRenderer::defaultRequest();
        auto recipe = ts::synth::RenderManifest::recipe(request.generators, request.options);
        QVERIFY(recipe.ok());
        QVERIFY(QDir().mkpath(folder + "/audio"));
        std::ofstream((folder + "/examples.json").toStdString()) << "{}";
        std::ofstream((folder + "/instruments.json").toStdString()) << "{\"recipe\": \"" << *recipe << "\", \"note_count\": 2}";
        std::ofstream((folder + "/audio/a.wav").toStdString()) << "x";
        std::ofstream((folder + "/audio/b.wav").toStdString()) << "x";
        { ts::FileLock release = std::move(held.value()); }

        QCOMPARE(render.finish(), 0);
        QCOMPARE(render.out(), QStringLiteral("The default dataset is already in place: %1 (2 notes).\n").arg(folder));
        QCOMPARE(render.err, waiting(::getpid(), folder));
        QCOMPARE(QDir(datasets).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{QStringLiteral("default")});
    }
};

QTEST_GUILESS_MAIN(tst_RenderLock)
#include "tst_RenderLock.moc"
