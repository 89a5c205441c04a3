// `timbrescope features` driven as a user would: the real binary (TIMBRESCOPE_BIN), its exit codes,
// the files it writes (NPY header, size and values; CSV rows), and what numpy makes of the NPY.
#include <QtTest>

#include "common/CliRun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cmath>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "audio/AudioFile.h"
#include "dsp/LogMel.h"
#include "dsp/SeedStft.h"
#include "util/AtomicFile.h"

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runBinary(const QStringList& args)
{
    QProcess p;
    p.start(qEnvironmentVariable("TIMBRESCOPE_BIN"), args);
    Run r;
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

std::vector<float> tone(double hz, std::size_t n)
{
    std::vector<float> s(n);
    for (std::size_t i = 0; i < n; ++i)
        s[i] = float(0.5 * std::sin(2.0 * M_PI * hz * double(i) / 16000.0));
    return s;
}

struct Npy {
    std::string header;
    std::vector<float> values;
};

// Independent of the writer: parses what the NPY 1.0 spec says must be there.
bool parseNpy(const std::string& bytes, Npy& npy)
{
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY", 6) != 0 || bytes[6] != 1 || bytes[7] != 0)
        return false;
    const std::size_t len = std::size_t(std::uint8_t(bytes[8])) | std::size_t(std::uint8_t(bytes[9])) << 8;
    if ((10 + len) % 16 != 0 || bytes.size() < 10 + len || (bytes.size() - 10 - len) % 4 != 0)
        return false;
    npy.header = bytes.substr(10, len);
    npy.values.resize((bytes.size() - 10 - len) / 4);
    std::memcpy(npy.values.data(), bytes.data() + 10 + len, npy.values.size() * 4);  // x86: little-endian
    return true;
}

bool pythonHasNumpy()
{
    QProcess p;
    p.start("/usr/bin/python3", {"-c", "import numpy"});
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class tst_CliFeatures : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.path() + "/" + name; }
    std::string spath(const char* name) const { return path(name).toStdString(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty(), "TIMBRESCOPE_BIN is not set");
        QVERIFY(ts::audio::writeWav16(spath("note.wav"), tone(1000.0, 64000), 16000).ok());
        QVERIFY(ts::audio::writeWav16(spath("short.wav"), tone(1000.0, 16000), 16000).ok());
        QVERIFY(ts::audio::writeWav16(spath("long.wav"), tone(1000.0, 128000), 16000).ok());
        QVERIFY(ts::writeFileAtomically(spath("text.wav"), std::string("not audio, just words\n")).ok());
        QVERIFY(ts::writeFileAtomically(spath("empty.wav"), std::string()).ok());
    }

    void stftToNpyMatchesTheLibrary()
    {
        const Run r = runBinary({"features", path("note.wav"), "--kind", "stft", "--out", path("s.npy")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.isEmpty());  // a file was asked for: nothing on stdout
        const auto bytes = ts::readWholeFile(spath("s.npy"));
        QVERIFY(bytes.ok());
        Npy npy;
        QVERIFY(parseNpy(*bytes, npy));
        QVERIFY2(npy.header.find("'descr': '<f4'") != std::string::npos, npy.header.c_str());
        QVERIFY(npy.header.find("'fortran_order': False") != std::string::npos);
        QVERIFY(npy.header.find("'shape': (499, 129)") != std::string::npos);
        QCOMPARE(npy.values.size(), std::size_t(499 * 129));

        // The same values the library computes in this process (FFTW may plan differently per
        // process, hence a tolerance far below anything a user would see).
        auto decoded = ts::audio::loadAudio(spath("note.wav"));
        QVERIFY(decoded.ok());
        const std::vector<float> view = ts::audio::modelView(decoded->samples);
        const ts::dsp::Spectrogram s = ts::dsp::SeedStft().compute(view.data(), view.size());
        float worst = 0.0f, peak = 0.0f;
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            worst = std::max(worst, std::fabs(s.values[i] - npy.values[i]));
            peak = std::max(peak, s.values[i]);
        }
        QVERIFY(peak > 30.0f);  // 1 kHz at amplitude 0.5: about 31.75 in bin 16
        QVERIFY(worst <= 1e-5f * peak);
    }

    // FFTW_MEASURE may choose another plan in another process, and plans differ in the last bits.
    // The first run keeps its plans as wisdom in the cache folder; later runs make the same plans,
    // so the same note gives the same bytes.
    void featuresAreByteIdenticalAcrossProcesses()
    {
        QTemporaryDir cache;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CACHE_HOME"), cache.path());
        QByteArray outputs[2];
        for (int run = 0; run < 2; ++run) {
            for (const char* kind : {"stft", "logmel"}) {
                const QString out = path("same-%1-%2.npy").arg(kind).arg(run);
                const auto r = ts::test::runTimbrescope({"features", path("note.wav"), "--kind", kind, "--out", out}, env);
                QCOMPARE(r.exitCode, 0);
                QFile f(out);
                QVERIFY(f.open(QIODevice::ReadOnly));
                outputs[run] += f.readAll();
            }
            if (run == 0) {
                const QStringList wisdom = QDir(cache.path() + QStringLiteral("/timbrescope"))
                                               .entryList({QStringLiteral("fftw-wisdom-*.txt")}, QDir::Files);
                QCOMPARE(wisdom.size(), 1);
            }
        }
        QVERIFY(outputs[0].size() > 499 * 129 * 4 + 251 * 64 * 4);  // both kinds were written
        QVERIFY(outputs[0] == outputs[1]);
    }

    void numpyLoadsTheNpy()
    {
        QCOMPARE(runBinary({"features", path("note.wav"), "--kind", "stft", "--out", path("n.npy")}).exitCode, 0);
        if (!pythonHasNumpy()) {
            // No numpy here: the header was already parsed by hand in stftToNpyMatchesTheLibrary.
            qWarning("/usr/bin/python3 with numpy not found; NPY checked by the C++ parser only");
            return;
        }
        QProcess p;
        p.start("/usr/bin/python3",
                {"-c", "import numpy, sys; a = numpy.load(sys.argv[1]); "
                       "print(a.shape, a.dtype, int(a[250].argmax()))",
                 path("n.npy")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput().trimmed(), QByteArray("(499, 129) float32 16"));
    }

    void logmelToCsvHasARowPerFrame()
    {
        const Run r = runBinary({"features", path("note.wav"), "--kind", "logmel", "--out", path("m.csv")});
        QCOMPARE(r.exitCode, 0);
        QFile f(path("m.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size(), 252);  // 251 rows and the empty string after the last newline
        QVERIFY(lines.last().isEmpty());
        for (int i = 0; i < 251; ++i)
            QCOMPARE(lines[i].split(',').size(), 64);
        // Row 100 as the library computes it.
        auto decoded = ts::audio::loadAudio(spath("note.wav"));
        QVERIFY(decoded.ok());
        const std::vector<float> view = ts::audio::modelView(decoded->samples);
        const ts::dsp::Spectrogram m = ts::dsp::LogMel().compute(view.data(), view.size());
        const QList<QByteArray> row = lines[100].split(',');
        for (int b = 0; b < 64; ++b)
            QVERIFY(std::fabs(row[b].toDouble() - double(m.at(100, b))) < 1e-3);
    }

    void summaryWithoutOut()
    {
        const Run r = runBinary({"features", path("short.wav"), "--kind", "stft"});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, r.out.constData());
        const QJsonObject o = doc.object();
        QCOMPARE(o.keys(), (QStringList{"file", "kind", "max", "mean", "min", "shape"}));
        QCOMPARE(o["file"].toString(), path("short.wav"));
        QCOMPARE(o["kind"].toString(), QString("stft"));
        // 1 s of audio still gives the model view's 499 frames (zero-padded).
        QCOMPARE(o["shape"].toArray(), (QJsonArray{499, 129}));
        QCOMPARE(o["min"].toDouble(), 0.0);
        QVERIFY(std::fabs(o["max"].toDouble() - 31.75) < 0.05);
        QVERIFY(o["mean"].toDouble() > 0.0);

        const Run m = runBinary({"features", path("short.wav"), "--kind", "logmel"});
        QCOMPARE(m.exitCode, 0);
        const QJsonObject lm = QJsonDocument::fromJson(m.out).object();
        QCOMPARE(lm["shape"].toArray(), (QJsonArray{251, 64}));
        QCOMPARE(lm["min"].toDouble(), -100.0);  // the padded seconds sit on the floor
    }

    void wholeSignal()
    {
        const Run r = runBinary({"features", path("long.wav"), "--kind", "stft", "--whole"});
        QCOMPARE(r.exitCode, 0);
        // 8 s: 1 + (128000 - 255) / 128 = 999 frames.
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["shape"].toArray(), (QJsonArray{999, 129}));
    }

    void badFilesExitOneWithOneLine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::newRow("text") << "text.wav" << "not a sound file";
        QTest::newRow("empty") << "empty.wav" << "empty file";
        QTest::newRow("missing") << "nope.wav" << "no such file";
    }

    void badFilesExitOneWithOneLine()
    {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        const Run r = runBinary({"features", path(file.toUtf8().constData()), "--kind", "stft", "--out", path("bad.npy")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        const QByteArray line = r.err.trimmed();
        QVERIFY2(!line.contains('\n'), r.err.constData());
        QVERIFY2(line.contains(path(file.toUtf8().constData()).toUtf8() + ": "), r.err.constData());
        QVERIFY2(line.contains(reason.toUtf8()), r.err.constData());
        QVERIFY(!QFile::exists(path("bad.npy")));  // never a partial output
    }

    void unwritableOutputExitsOne()
    {
        const QString out = path("no/such/folder/f.npy");
        const Run r = runBinary({"features", path("note.wav"), "--kind", "stft", "--out", out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.trimmed().contains(out.toUtf8() + ": cannot create file"), r.err.constData());
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no file") << QStringList{"features", "--kind", "stft"};
        QTest::newRow("no kind") << QStringList{"features", "FILE"};
        QTest::newRow("bad kind") << QStringList{"features", "FILE", "--kind", "mfcc"};
        QTest::newRow("two files") << QStringList{"features", "FILE", "FILE", "--kind", "stft"};
        QTest::newRow("bad out") << QStringList{"features", "FILE", "--kind", "stft", "--out", "x.txt"};
        QTest::newRow("unknown option") << QStringList{"features", "FILE", "--kind", "stft", "--fast"};
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        args.replaceInStrings("FILE", path("note.wav"));
        const Run r = runBinary(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY(!r.err.isEmpty());
    }

    void helpListsTheOptions()
    {
        const Run r = runBinary({"features", "--help"});
        QCOMPARE(r.exitCode, 0);
        for (const char* word : {"--kind", "--out", "--whole", "stft", "logmel", ".npy", ".csv"})
            QVERIFY2(r.out.contains(word), word);
    }
};

QTEST_GUILESS_MAIN(tst_CliFeatures)
#include "tst_CliFeatures.moc"
