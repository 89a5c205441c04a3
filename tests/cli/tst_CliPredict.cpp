// `predict` with the shipped timbre-net: the JSON shape of the CLI's documented contract with "uncertain"
// per target, `--segments` (a phrase of three tones gives three segments with start, end, family
// and source), and the text form ("uncertain (best: LABEL N %)" for noise).
#include <QtTest>

#include "common/CliRun.h"
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
