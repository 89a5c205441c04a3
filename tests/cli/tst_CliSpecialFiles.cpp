// Files that are not regular files (a FIFO, /dev/zero) where a model, a sound or a dataset's
// examples.json is expected: each command answers at once with one line naming the file and
// "not a regular file", instead of blocking on the FIFO or reading the device without end.
#include <QtTest>

#include <QTemporaryDir>

#include <sys/stat.h>

#include "common/CliRun.h"
#include "common/NsynthFixture.h"

class tst_CliSpecialFiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_fifo;
    QString m_sound;

    // A hang shows as exit code -1 after 20 s (the run is killed), so a regression fails, not blocks.
    static ts::test::CliRun run(const QStringList& args)
    {
        return ts::test::runTimbrescope(args, QProcessEnvironment::systemEnvironment(), 20000);
    }

    static void expectNotRegular(const ts::test::CliRun& r, const QString& path)
    {
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QStringLiteral("timbrescope: %1: not a regular file\n").arg(path));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_fifo = m_dir.filePath(QStringLiteral("pipe.tsm"));
        QCOMPARE(::mkfifo(m_fifo.toLocal8Bit().constData(), 0600), 0);
        m_sound = m_dir.filePath(QStringLiteral("tone.wav"));
        QVERIFY(nsynthfixture::writeWav(m_sound.toStdString(), nsynthfixture::tone(69, 16000)));
    }

    void modelIsAFifo() { expectNotRegular(run({"predict", m_sound, "--model", m_fifo}), m_fifo); }

    void modelIsADevice()
    {
        expectNotRegular(run({"predict", m_sound, "--model", "/dev/zero"}), QStringLiteral("/dev/zero"));
    }

    void soundIsAFifoOrADevice()
    {
        expectNotRegular(run({"info", m_fifo}), m_fifo);
        expectNotRegular(run({"info", "/dev/zero"}), QStringLiteral("/dev/zero"));
        expectNotRegular(run({"features", "/dev/zero", "--kind", "logmel"}), QStringLiteral("/dev/zero"));
    }

    void examplesJsonIsAFifoOrADevice()
    {
        const QString fifoData = m_dir.filePath(QStringLiteral("fifo-data"));
        QVERIFY(QDir().mkpath(fifoData));
        const QString fifoJson = fifoData + QStringLiteral("/examples.json");
        QCOMPARE(::mkfifo(fifoJson.toLocal8Bit().constData(), 0600), 0);
        expectNotRegular(run({"info", fifoData}), fifoJson);

        const QString zeroData = m_dir.filePath(QStringLiteral("zero-data"));
        QVERIFY(QDir().mkpath(zeroData));
        const QString zeroJson = zeroData + QStringLiteral("/examples.json");
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), zeroJson));
        expectNotRegular(run({"info", zeroData, "--json"}), zeroJson);
    }
};

QTEST_GUILESS_MAIN(tst_CliSpecialFiles)
#include "tst_CliSpecialFiles.moc"
