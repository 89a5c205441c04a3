// `predict` with the shipped timbre-net: the JSON shape of the CLI's documented contract with "uncertain"
// per target, `--segments` (a phrase of three tones gives three segments with start, end, family
// and source), the text form ("uncertain (best: LABEL N %)" for noise), and tagging a folder:
// `--recursive` finds every sound file below it by extension, `--csv` writes a line per file in
// path order with the answers a single file's predict gives, an unreadable file gets its reason and
// exit 1, and `--jobs 1` and `--jobs 2` write the same bytes.
#include <QtTest>

#include "common/CliRun.h"
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

#include "common/NsynthFixture.h"

namespace fx = nsynthfixture;

namespace {

constexpr int kRate = 16000;

// Three harmonic tones with 5 ms attacks and decays, at 0.5, 1.7 and 2.9 s, 1.2 s each.
std::vector<float> phrase()
{
    std::vector<float> x(std::size_t(4.5 * kRate), 0.0f);
    const double starts[] = {0.5, 1.7, 2.9};
    const double hz[] = {220.0, 330.0, 262.0};
    for (int n = 0; n < 3; ++n)
        for (std::size_t i = 0; i < std::size_t(1.2 * kRate); ++i) {
            const double t = double(i) / kRate;
            double v = 0.0;
            for (int h = 1; h <= 6; ++h)
                v += std::sin(2.0 * M_PI * hz[n] * h * t) / h;
            x[std::size_t(starts[n] * kRate) + i] += float(0.2 * std::min(1.0, t / 0.005) * std::exp(-2.0 * t) * v);
        }
    return x;
}

} // namespace

class tst_CliPredict : public QObject {
    Q_OBJECT

    static ts::test::CliRun run(const QStringList& args) { return ts::test::runTimbrescope(args); }

    QTemporaryDir m_dir;
    QString m_model, m_phrase, m_noise;

private Q_SLOTS:
    void initTestCase()
    {
        m_model = qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR") + QStringLiteral("/models/timbre-net.tsm");
        if (!QFileInfo::exists(m_model))
            QSKIP("models/timbre-net.tsm not found");
        m_phrase = m_dir.filePath(QStringLiteral("phrase.wav"));
        QVERIFY(fx::writeWav(m_phrase.toStdString(), phrase()));
        std::vector<float> noise(std::size_t(3 * kRate));
        std::mt19937 rng(4);
        std::normal_distribution<float> g(0.0f, 0.25f);
        for (float& v : noise)
            v = g(rng);
        m_noise = m_dir.filePath(QStringLiteral("noise.wav"));
        QVERIFY(fx::writeWav(m_noise.toStdString(), noise));
    }

    void jsonKeepsItsShapeWithUncertain()
    {
        const auto r = run({"predict", "--model", m_model, "--json", m_phrase});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j.size(), std::size_t(1));
        const auto& entry = j[0];
        QCOMPARE(entry.at("file").get<std::string>(), m_phrase.toStdString());
        QVERIFY(!entry.contains("segments"));  // only with --segments
        for (const char* target : {"family", "source"}) {
            const auto& t = entry.at(target);
            QVERIFY(t.at("label").is_string());
            QVERIFY(t.at("confidence").is_number());
            QVERIFY(t.at("uncertain").is_boolean());
            QCOMPARE(t.at("scores").size(), std::string(target) == "family" ? std::size_t(11) : std::size_t(3));
            QCOMPARE(t.at("uncertain").get<bool>(), t.at("confidence").get<double>() < (std::string(target) == "family" ? 0.5 : 0.6));
        }
    }

    // A file name that is not UTF-8 (byte 0xFF) breaks neither the batch nor the name: the other
    // file's result comes out, and the name is written with \udcff (Python's surrogateescape rule).
    void jsonSurvivesNamesThatAreNotUtf8()
    {
        const std::string bad = m_dir.filePath(QStringLiteral("bad")).toStdString() + "\xff.wav";
        QVERIFY(fx::writeWav(bad, fx::tone(57, 32000)));
        // QProcess arguments are text: the raw byte goes through sh's printf.
        const QString script = QStringLiteral("exec \"$0\" predict --model \"$1\" --json \"$2\" \"$3$(printf '\\377').wav\"");
        const auto r = ts::test::runProgram(QStringLiteral("/bin/sh"),
                                            {QStringLiteral("-c"), script, qEnvironmentVariable("TIMBRESCOPE_BIN"), m_model,
                                             m_phrase, m_dir.filePath(QStringLiteral("bad"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString badName = m_dir.filePath(QStringLiteral("bad")) + QStringLiteral("\\udcff.wav");
        QVERIFY2(r.out.contains(QStringLiteral("\"file\": \"%1\"").arg(badName)), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("\"file\": \"%1\"").arg(m_phrase)), qPrintable(r.out));
        QCOMPARE(r.out.count(QStringLiteral("\"family\": {")), 2);  // both files answered
        QVERIFY(!r.out.contains(QStringLiteral("error")));
        // (nlohmann, like other strict parsers, refuses a lone surrogate; Python's json and
        // JavaScript's JSON.parse read it, and os.fsencode gives back the byte.)
    }

    void aFolderIsTaggedIntoCsv()
    {
        const QString root = m_dir.filePath(QStringLiteral("library"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/keys/soft")) && QDir().mkpath(root + QStringLiteral("/pads")));
        const QStringList sounds = {root + QStringLiteral("/a, tone.wav"), root + QStringLiteral("/keys/b.WAV"),
                                    root + QStringLiteral("/keys/soft/c.wav"), root + QStringLiteral("/pads/phrase.wav")};
        QVERIFY(fx::writeWav(sounds[0].toStdString(), fx::tone(57, 32000)));
        QVERIFY(fx::writeWav(sounds[1].toStdString(), fx::tone(45, 48000)));
        QVERIFY(fx::writeWav(sounds[2].toStdString(), fx::tone(69, 24000)));
        QVERIFY(QFile::copy(m_phrase, sounds[3]));
        const QString broken = root + QStringLiteral("/pads/broken.wav");
        QFile notAudio(broken);
        QVERIFY(notAudio.open(QIODevice::WriteOnly) && notAudio.write("RIFF this is no sound") > 0);
        notAudio.close();
        QFile text(root + QStringLiteral("/readme.txt"));
        QVERIFY(text.open(QIODevice::WriteOnly) && text.write("not a sound file") > 0);
        text.close();

        // Without --recursive a folder is named, not walked.
        auto r = run({"predict", "--model", m_model, root});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(root + QStringLiteral(": a folder (add --recursive")), qPrintable(r.err));

        const QString csv1 = m_dir.filePath(QStringLiteral("tags1.csv")), csv2 = m_dir.filePath(QStringLiteral("tags2.csv"));
        r = run({"predict", "--model", m_model, "--recursive", root, "--csv", csv1, "--jobs", "1"});
        QCOMPARE(r.exitCode, 1);  // the broken file
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));  // the CSV holds the answers
        QVERIFY2(r.err.contains(QStringLiteral("predict: 5 files in ")) && r.err.contains(QStringLiteral("1 could not be read")),
                 qPrintable(r.err));
        r = run({"predict", "--model", m_model, "--recursive", root, "--csv", csv2, "--jobs", "2"});
        QCOMPARE(r.exitCode, 1);
        QFile f1(csv1), f2(csv2);
        QVERIFY(f1.open(QIODevice::ReadOnly) && f2.open(QIODevice::ReadOnly));
        const QByteArray bytes = f1.readAll();
        QCOMPARE(f2.readAll(), bytes);  // in parallel: the same lines in the same order
        const QStringList lines = QString::fromUtf8(bytes).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines[0], QStringLiteral("file,family,family_confidence,family_uncertain,source,source_confidence,source_uncertain,error"));
        QVERIFY(lines[1].startsWith(QStringLiteral("\"%1\",").arg(sounds[0])));  // a comma in the name: quoted
        QVERIFY(lines[2].startsWith(sounds[1] + QLatin1Char(',')));
        QVERIFY(lines[3].startsWith(sounds[2] + QLatin1Char(',')));
        QVERIFY(lines[4].startsWith(broken + QStringLiteral(",,,,,,,")));
        QVERIFY2(lines[4].contains(broken + QStringLiteral(": ")), qPrintable(lines[4]));
        QVERIFY(lines[5].startsWith(sounds[3] + QLatin1Char(',')));
        QVERIFY(!bytes.contains("readme.txt"));

        // Each line holds what predict says of that file alone.
        for (int i : {2, 5}) {
            const QString file = i == 2 ? sounds[1] : sounds[3];
            const auto single = run({"predict", "--model", m_model, "--json", file});
            QCOMPARE(single.exitCode, 0);
            const auto j = nlohmann::json::parse(single.out.toStdString())[0];
            const QStringList fields = lines[i].split(QLatin1Char(','));
            QCOMPARE(fields.size(), 8);
            QCOMPARE(fields[1].toStdString(), j.at("family").at("label").get<std::string>());
            QCOMPARE(fields[2], QString::number(j.at("family").at("confidence").get<double>(), 'f', 4));
            QCOMPARE(fields[3], QString::fromLatin1(j.at("family").at("uncertain").get<bool>() ? "true" : "false"));
            QCOMPARE(fields[4].toStdString(), j.at("source").at("label").get<std::string>());
            QCOMPARE(fields[5], QString::number(j.at("source").at("confidence").get<double>(), 'f', 4));
            QVERIFY(fields[7].isEmpty());
        }
        // By notes: the phrase's three tones are three lines with their spans, the others one each.
        const QString byNotes = m_dir.filePath(QStringLiteral("notes.csv"));
        r = run({"predict", "--model", m_model, "--recursive", root, "--csv", byNotes, "--segments"});
        QCOMPARE(r.exitCode, 1);
        QFile notesFile(byNotes);
        QVERIFY(notesFile.open(QIODevice::ReadOnly));
        const QStringList noteLines = QString::fromUtf8(notesFile.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(noteLines.size(), 8);
        QCOMPARE(noteLines[0], QStringLiteral("file,start,end,family,family_confidence,family_uncertain,source,source_confidence,source_uncertain,error"));
        QVERIFY(noteLines[4].startsWith(broken + QStringLiteral(",,,,,,,,,")));
        for (int i = 5; i < 8; ++i)
            QVERIFY2(noteLines[i].startsWith(sounds[3] + QLatin1Char(',')), qPrintable(noteLines[i]));
        QVERIFY2(noteLines[5].startsWith(sounds[3] + QStringLiteral(",0.485,")), qPrintable(noteLines[5]));
        r = run({"predict", "--model", m_model, "--recursive", root, "--jobs", "0"});
        QCOMPARE(r.exitCode, 1);  // 0 means the default: still every file, the broken one failing
        r = run({"predict", "--model", m_model, "--recursive", root, "--jobs", "999"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("--jobs must be a whole number from 1 to 256")));
    }

    void segmentsJson()
    {
        const auto r = run({"predict", "--model", m_model, "--segments", "--json", m_phrase, m_noise});
        QCOMPARE(r.exitCode, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j.size(), std::size_t(2));
        const auto& segments = j[0].at("segments");
        QCOMPARE(segments.size(), std::size_t(3));
        const double starts[] = {0.5, 1.7, 2.9};
        for (std::size_t i = 0; i < 3; ++i) {
            const auto& s = segments[i];
            // The view starts 15 ms before the onset.
            QVERIFY2(std::fabs(s.at("start").get<double>() - (starts[i] - 0.015)) <= 0.03, s.dump().c_str());
            QVERIFY(s.at("end").get<double>() > s.at("start").get<double>());
            QVERIFY(s.at("family").at("label").is_string());
            QVERIFY(s.at("family").at("uncertain").is_boolean());
            QCOMPARE(s.at("source").at("scores").size(), std::size_t(3));
        }
        QCOMPARE(segments[0].at("end").get<double>(), segments[1].at("start").get<double>());
        QCOMPARE(segments[2].at("end").get<double>(), 4.5);
        // White noise: one segment from the start, and uncertain on both targets.
        const auto& noise = j[1];
        QVERIFY(noise.at("family").at("uncertain").get<bool>());
        QVERIFY(noise.at("source").at("uncertain").get<bool>());
    }

    void segmentsText()
    {
        const auto r = run({"predict", "--model", m_model, "--segments", m_phrase, m_noise});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        // phrase: its line and three segment lines; noise: its line and one segment line.
        QCOMPARE(lines.size(), 6);
        QVERIFY(lines[0].startsWith(m_phrase + QStringLiteral(":")));
        QVERIFY2(lines[1].contains(QStringLiteral(" s: ")), qPrintable(lines[1]));
        QVERIFY(lines[4].startsWith(m_noise + QStringLiteral(": uncertain (best: ")));
        QVERIFY(lines[4].contains(QStringLiteral("%) uncertain (best: ")));
    }
};

QTEST_GUILESS_MAIN(tst_CliPredict)
#include "tst_CliPredict.moc"
