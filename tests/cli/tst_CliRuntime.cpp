// The LibTorch runtime is loaded only by commands that run a network: with the runtime library made
// unreachable (TIMBRESCOPE_TORCH_RUNTIME names a file that is not there), info, render --help,
// features and --help still work, and predict fails with one clear line naming the library.
#include <QtTest>

#include <QTemporaryDir>

#include "common/CliRun.h"
#include "common/NsynthFixture.h"

class tst_CliRuntime : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_sound;
    QString m_missing;
    QString m_model;  // the shipped timbre-net, committed in models/

    QProcessEnvironment withoutRuntime() const
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TIMBRESCOPE_TORCH_RUNTIME"), m_missing);
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR") + QStringLiteral("/models/timbre-net.tsm");
        QVERIFY2(QFileInfo::exists(m_model), qPrintable(m_model));
        m_sound = m_dir.filePath(QStringLiteral("tone.wav"));
        QVERIFY(nsynthfixture::writeWav(m_sound.toStdString(), nsynthfixture::tone(69, 16000)));
        m_missing = m_dir.filePath(QStringLiteral("no-runtime/libtimbrescope-torch.so"));
        const auto notes = nsynthfixture::grid({0, 3}, 2, {60}, {100});
        QVERIFY(nsynthfixture::write(m_dir.filePath(QStringLiteral("data")).toStdString(), notes));
    }

    void commandsWithoutNetworksNeverLoadIt_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--help") << QStringList{"--help"};
        QTest::newRow("--version") << QStringList{"--version"};
        QTest::newRow("info sound") << QStringList{"info", "SOUND", "--json"};
        QTest::newRow("info dataset") << QStringList{"info", "DATA", "--json"};
        QTest::newRow("render --help") << QStringList{"render", "--help"};
        QTest::newRow("features") << QStringList{"features", "SOUND", "--kind", "logmel", "--out", "OUT"};
        QTest::newRow("models") << QStringList{"models", "--json"};
        // The shipped model is of the current format: rewriting it needs no LibTorch.
        QTest::newRow("models --convert") << QStringList{"models", "--convert", "MODEL", "CONVERTED"};
    }

    void commandsWithoutNetworksNeverLoadIt()
    {
        QFETCH(QStringList, args);
        args.replaceInStrings(QStringLiteral("SOUND"), m_sound);
        args.replaceInStrings(QStringLiteral("DATA"), m_dir.filePath(QStringLiteral("data")));
        args.replaceInStrings(QStringLiteral("OUT"), m_dir.filePath(QStringLiteral("features.npy")));
        args.replaceInStrings(QStringLiteral("MODEL"), m_model);
        args.replaceInStrings(QStringLiteral("CONVERTED"), m_dir.filePath(QStringLiteral("converted.tsm")));
        const auto r = ts::test::runTimbrescope(args, withoutRuntime());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("runtime")), qPrintable(r.err));
    }

    void aCommandThatRunsANetworkNamesTheMissingLibrary()
    {
        const QString& model = m_model;
        const auto r = ts::test::runTimbrescope({"predict", m_sound, "--model", model}, withoutRuntime());
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);  // one line, ours
        QVERIFY2(r.err.startsWith(QStringLiteral("timbrescope: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(m_missing), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("LibTorch runtime")), qPrintable(r.err));
    }

    // The dynamic loader's own account (LD_DEBUG=files lists every library it maps): info never maps
    // LibTorch, predict does.
    void onlyPredictMapsLibTorch()
    {
        const QString& model = m_model;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LD_DEBUG"), QStringLiteral("files"));
        const auto info = ts::test::runTimbrescope({"info", m_sound}, env);
        QCOMPARE(info.exitCode, 0);
        QVERIFY(info.err.contains(QStringLiteral("libsndfile")));  // the loader did report its libraries
        QVERIFY(!info.err.contains(QStringLiteral("libtorch")));
        const auto predict = ts::test::runTimbrescope({"predict", m_sound, "--model", model}, env);
        QCOMPARE(predict.exitCode, 0);
        QVERIFY(predict.err.contains(QStringLiteral("libtorch_cpu")));
    }

    void withTheRuntimePredictWorks()
    {
        const QString& model = m_model;
        const auto r = ts::test::runTimbrescope({"predict", m_sound, "--model", model, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("\"family\"")));
    }
};

QTEST_GUILESS_MAIN(tst_CliRuntime)
#include "tst_CliRuntime.moc"
