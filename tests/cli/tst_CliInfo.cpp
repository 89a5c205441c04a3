// `timbrescope info` driven as a user would: text and --json for a sound file and a dataset
// folder, exact values where they exist, and exit 1 with one line naming the path for each bad
// input (missing path, bad sound files, every kind of bad examples.json, missing WAVs), 2 for
// wrong usage.
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <memory>

#include "common/NsynthFixture.h"

namespace fx = nsynthfixture;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs `timbrescope info ARGS` for each argument list at once: the binary takes most of a second
// to start (LibTorch's static initialisers), so the cases run side by side.
std::vector<Run> runInfoAll(const std::vector<QStringList>& argLists)
{
    std::vector<std::unique_ptr<QProcess>> processes;
    for (const QStringList& args : argLists) {
        processes.push_back(std::make_unique<QProcess>());
        processes.back()->start(qEnvironmentVariable("TIMBRESCOPE_BIN"), QStringList{QStringLiteral("info")} + args);
    }
    std::vector<Run> runs;
    for (auto& p : processes) {
        if (!p->waitForFinished(60000))
            qFatal("timbrescope info did not finish");
        Run r;
        r.exitCode = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
        r.out = QString::fromUtf8(p->readAllStandardOutput());
        r.err = QString::fromUtf8(p->readAllStandardError());
        runs.push_back(r);
    }
    return runs;
}

Run runInfo(const QStringList& args)
{
    return runInfoAll({args}).front();
}

struct BadInput {
    QStringList args;
    QString named;   // the path the one-line message must name
    QString reason;  // and what it must say
};

nlohmann::json parse(const QString& text)
{
    return nlohmann::json::parse(text.toStdString(), nullptr, false);
}

} // namespace

class tst_CliInfo : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_wav;      // 1 s, 0.5-amplitude sine at 16 kHz
    QString m_dataset;  // 12 notes, two WAVs missing
    std::vector<fx::Note> m_notes = fx::grid({0, 3, 10}, 2, {48, 60}, {100});

    QString path(const QString& name) const { return m_tmp.path() + QLatin1Char('/') + name; }

    QString datasetWithJson(const QString& name, const std::string& json)
    {
        const std::string folder = path(name).toStdString();
        std::filesystem::create_directories(folder + "/audio");
        fx::writeText(folder + "/examples.json", json);
        return path(name);
    }

    // Each: exit 1, nothing on stdout, one line on stderr naming the path and the reason.
    void expectBadInputs(const std::vector<BadInput>& cases)
    {
        std::vector<QStringList> argLists;
        for (const BadInput& c : cases)
            argLists.push_back(c.args);
        const std::vector<Run> runs = runInfoAll(argLists);
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const Run& r = runs[i];
            const QString what = cases[i].args.join(QLatin1Char(' ')) + QStringLiteral(" -> ") + r.err;
            QVERIFY2(r.exitCode == 1, qPrintable(what));
            QVERIFY2(r.out.isEmpty(), qPrintable(what + r.out));
            QVERIFY2(r.err.count(QLatin1Char('\n')) == 1, qPrintable(what));
            QVERIFY2(r.err.contains(cases[i].named), qPrintable(what));
            QVERIFY2(r.err.contains(cases[i].reason), qPrintable(what));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty());
        m_wav = path(QStringLiteral("tone.wav"));
        QVERIFY(fx::writeWav(m_wav.toStdString(), fx::tone(69, 16000, 0.5)));
        m_dataset = path(QStringLiteral("dataset"));
        QVERIFY(fx::write(m_dataset.toStdString(), m_notes, 160, {m_notes[3].noteStr(), m_notes[8].noteStr()}));
    }

    void soundFileText()
    {
        const Run r = runInfo({m_wav});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        QVERIFY(r.out.contains(QStringLiteral("Container:    WAV\n")));
        QVERIFY(r.out.contains(QStringLiteral("Encoding:     PCM 16-bit\n")));
        QVERIFY(r.out.contains(QStringLiteral("Sample rate:  16000 Hz\n")));
        QVERIFY(r.out.contains(QStringLiteral("Channels:     1\n")));
        QVERIFY(r.out.contains(QStringLiteral("Frames:       16000\n")));
        QVERIFY(r.out.contains(QStringLiteral("Duration:     1.000 s\n")));
        QVERIFY(r.out.contains(QStringLiteral("Size:         32044 bytes\n")));
        // A 0.5 sine: peak 20·log10(0.5) = -6.02 dBFS, RMS 3.01 dB below.
        QVERIFY2(r.out.contains(QStringLiteral("Peak:         -6.02 dBFS")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("RMS:          -9.03 dBFS")), qPrintable(r.out));
    }

    void soundFileJson()
    {
        const Run r = runInfo({m_wav, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const auto j = parse(r.out);
        QVERIFY2(j.is_object(), qPrintable(r.out));
        QCOMPARE(j["type"].get<std::string>(), std::string("sound"));
        QCOMPARE(j["container"].get<std::string>(), std::string("WAV"));
        QCOMPARE(j["sample_rate"].get<int>(), 16000);
        QCOMPARE(j["channels"].get<int>(), 1);
        QCOMPARE(j["frames"].get<long long>(), 16000LL);
        QCOMPARE(j["duration_s"].get<double>(), 1.0);
        QCOMPARE(j["file_bytes"].get<long long>(), 32044LL);
        QCOMPARE(j["peak_db"].get<double>(), -6.02);
        QCOMPARE(j["rms_db"].get<double>(), -9.03);
    }

    void otherRatesAndChannels()
    {
        // Stereo 44.1 kHz, 8 channels at 96 kHz, mono 8 kHz: described with the header's own rate
        // and channels (not refused); levels are those of the mono mix at 16 kHz.
        auto interleave = [](const std::vector<float>& mono, int channels) {
            std::vector<float> out;
            for (float s : mono)
                out.insert(out.end(), std::size_t(channels), s);
            return out;
        };
        const QString stereo = path(QStringLiteral("stereo.wav"));
        const QString eight = path(QStringLiteral("eight.wav"));
        const QString low = path(QStringLiteral("low.wav"));
        QVERIFY(fx::writeWav(stereo.toStdString(), interleave(fx::tone(57, 44100, 0.25), 2), 44100, 2));
        QVERIFY(fx::writeWav(eight.toStdString(), interleave(fx::tone(57, 9600, 0.25), 8), 96000, 8));
        QVERIFY(fx::writeWav(low.toStdString(), fx::tone(57, 4000, 0.25), 8000, 1));
        const QString json = QStringLiteral("--json");
        const auto runs = runInfoAll({{stereo, json}, {eight, json}, {low, json}});
        const int rates[3] = {44100, 96000, 8000};
        const int channels[3] = {2, 8, 1};
        const long long frames[3] = {44100, 9600, 4000};
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(runs[std::size_t(i)].exitCode, 0);
            const auto j = parse(runs[std::size_t(i)].out);
            QCOMPARE(j["sample_rate"].get<int>(), rates[i]);
            QCOMPARE(j["channels"].get<int>(), channels[i]);
            QCOMPARE(j["frames"].get<long long>(), frames[i]);
            // 20·log10(0.25) = -12.04 dBFS; resampling may move the peak a little.
            QVERIFY2(std::fabs(j["peak_db"].get<double>() - (-12.04)) < 0.1, runs[std::size_t(i)].out.toUtf8().constData());
        }
    }

    void datasetTextListsMissingAndExits1()
    {
        const Run r = runInfo({m_dataset});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.contains(QStringLiteral("Notes:        12 (10 with a WAV file)\n")));
        QVERIFY(r.out.contains(QStringLiteral("Instruments:  6\n")));
        QVERIFY(r.out.contains(QStringLiteral("Pitch range:  48 (C3) to 60 (C4)\n")));
        QVERIFY(r.out.contains(QStringLiteral("  bass              4\n")));
        QVERIFY(r.out.contains(QStringLiteral("  guitar            4\n")));
        QVERIFY(r.out.contains(QStringLiteral("  vocal             4\n")));
        QVERIFY(r.out.contains(QStringLiteral("  flute             0\n")));
        QVERIFY(r.out.contains(QStringLiteral("  acoustic          4\n")));
        const QString missing = QStringLiteral("Missing WAVs: 2 (%1.wav, %2.wav)\n")
                                    .arg(QString::fromStdString(m_notes[3].noteStr()), QString::fromStdString(m_notes[8].noteStr()));
        QVERIFY2(r.out.contains(missing), qPrintable(r.out));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(r.err.contains(QStringLiteral("dataset")));
        QVERIFY(r.err.contains(QStringLiteral("2 note(s) in examples.json name WAV files that do not exist")));
    }

    void datasetJson()
    {
        const Run r = runInfo({m_dataset, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const auto j = parse(r.out);
        QVERIFY2(j.is_object(), qPrintable(r.out));
        QCOMPARE(j["type"].get<std::string>(), std::string("dataset"));
        QCOMPARE(j["notes"].get<int>(), 12);
        QCOMPARE(j["usable_notes"].get<int>(), 10);
        QCOMPARE(j["instruments"].get<int>(), 6);
        QCOMPARE(j["pitch_min"].get<int>(), 48);
        QCOMPARE(j["pitch_max"].get<int>(), 60);
        QCOMPARE(j["families"]["bass"].get<int>(), 4);
        QCOMPARE(j["families"]["synth_lead"].get<int>(), 0);
        QCOMPARE(j["families"].size(), std::size_t(11));
        QCOMPARE(j["sources"]["electronic"].get<int>(), 4);
        QCOMPARE(j["missing_wavs"]["count"].get<int>(), 2);
        QCOMPARE(j["missing_wavs"]["first"][0].get<std::string>(), m_notes[3].noteStr() + ".wav");
        QCOMPARE(j["fingerprint"].get<std::string>().size(), std::size_t(16));
    }

    void completeDatasetExits0()
    {
        const std::string folder = path(QStringLiteral("complete")).toStdString();
        QVERIFY(fx::write(folder, fx::grid({5}, 1, {70}, {25, 127}), 160));
        const Run r = runInfo({QString::fromStdString(folder), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        const auto j = parse(r.out);
        QCOMPARE(j["notes"].get<int>(), 2);
        QCOMPARE(j["families"]["mallet"].get<int>(), 2);
        QCOMPARE(j["velocities"], nlohmann::json::parse("[25, 127]"));
        QCOMPARE(j["missing_wavs"]["count"].get<int>(), 0);
    }

    void badSoundFiles()
    {
        const QString empty = path(QStringLiteral("empty.wav"));
        fx::writeText(empty.toStdString(), "");
        const QString text = path(QStringLiteral("text.wav"));
        fx::writeText(text.toStdString(), "This is a text file, not a sound file at all.\n");
        std::string header;
        {
            QFile f(m_wav);
            QVERIFY(f.open(QIODevice::ReadOnly));
            header = f.read(20).toStdString();
        }
        const QString truncated = path(QStringLiteral("truncated.wav"));
        fx::writeText(truncated.toStdString(), header);
        const QString zero = path(QStringLiteral("zero.wav"));
        QVERIFY(fx::writeWav(zero.toStdString(), {}));
        const QString absent = path(QStringLiteral("absent.wav"));
        const QString json = QStringLiteral("--json");
        expectBadInputs({
            {{absent}, QStringLiteral("absent.wav"), QStringLiteral("no such file")},
            {{absent, json}, QStringLiteral("absent.wav"), QStringLiteral("no such file")},
            {{empty}, QStringLiteral("empty.wav"), QString()},
            {{text}, QStringLiteral("text.wav"), QString()},
            {{text, json}, QStringLiteral("text.wav"), QString()},
            {{truncated}, QStringLiteral("truncated.wav"), QString()},
            {{zero}, QStringLiteral("zero.wav"), QString()},
        });
    }

    // A WAV whose data is MPEG layer 3 that cannot be decoded: libsndfile's own reason ("does not
    // exist or is not a regular file (possibly a pipe?)") is wrong for it; ours says what is true.
    void undecodableMpegInWavIsNotCalledAPipe()
    {
        std::string fmt;
        const auto u16 = [&fmt](int v) { fmt += char(v & 0xff); fmt += char((v >> 8) & 0xff); };
        const auto u32 = [](std::string& s, std::uint32_t v) { for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xff); };
        u16(0x55); u16(1); u32(fmt, 16000); u32(fmt, 2000); u16(1); u16(0); u16(12);
        fmt += std::string(12, '\0');
        std::string data;
        for (int i = 0; i < 2000; ++i)
            data += std::string("\xff\xfb\x90\x00", 4);
        std::string wav = "RIFF";
        u32(wav, std::uint32_t(4 + 8 + fmt.size() + 8 + data.size()));
        wav += "WAVEfmt ";
        u32(wav, std::uint32_t(fmt.size()));
        wav += fmt + "data";
        u32(wav, std::uint32_t(data.size()));
        wav += data;
        const QString mp3 = path(QStringLiteral("mpeg.wav"));
        QVERIFY(fx::writeText(mp3.toStdString(), wav));
        const Run r = runInfoAll({{mp3}})[0];
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(mp3 + QStringLiteral(": not a sound file (its audio data cannot be decoded)")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("pipe")), qPrintable(r.err));
        // One line, ours: libmpg123's own warnings ("Note: Trying to resync...") are not passed on.
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    }

    void badExamplesJson()
    {
        const fx::Note n{"reed_acoustic_004", 4, 7, 0, 62, 75};
        nlohmann::json lacks = fx::noteJson(n, 0);
        lacks.erase("velocity");
        nlohmann::json wrong = fx::noteJson(n, 0);
        wrong["instrument_family"] = "reed";
        const QString noJson = path(QStringLiteral("nojson"));
        QVERIFY(QDir().mkpath(noJson));
        const QString notJson = datasetWithJson(QStringLiteral("notjson"), "{ \"a\": [1, 2,\n");
        const QString json = QStringLiteral("--json");
        expectBadInputs({
            {{notJson}, QStringLiteral("notjson/examples.json"), QStringLiteral("not valid JSON")},
            {{notJson, json}, QStringLiteral("notjson/examples.json"), QStringLiteral("not valid JSON")},
            {{datasetWithJson(QStringLiteral("notobject"), "[1, 2, 3]")}, QStringLiteral("notobject/examples.json"),
             QStringLiteral("one JSON object")},
            {{datasetWithJson(QStringLiteral("lacks"), fx::examplesJson(std::vector<nlohmann::json>{lacks}))},
             QStringLiteral("lacks/examples.json"), QStringLiteral("reed_acoustic_004-062-075\": lacks the field \"velocity\"")},
            {{datasetWithJson(QStringLiteral("wrongtype"), fx::examplesJson(std::vector<nlohmann::json>{wrong})), json},
             QStringLiteral("wrongtype/examples.json"), QStringLiteral("\"instrument_family\" should be an integer, not a string")},
            {{noJson}, QStringLiteral("nojson"), QStringLiteral("examples.json is missing")},
        });
    }

    void wavsThatDoNotExist()
    {
        // examples.json names notes, none of whose WAVs exist.
        const QString folder = datasetWithJson(QStringLiteral("nowavs"), fx::examplesJson(fx::grid({2}, 1, {60, 61, 62}, {50})));
        const Run r = runInfo({folder});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.contains(QStringLiteral("Missing WAVs: 3 (flute_acoustic_000-060-050.wav")));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(r.err.contains(QStringLiteral("nowavs: 3 note(s) in examples.json name WAV files that do not exist in audio/ (first: flute_acoustic_000-060-050.wav)")));
    }

    void usageErrors()
    {
        const std::vector<Run> runs = runInfoAll({{}, {m_wav, m_wav}, {m_wav, QStringLiteral("--frobnicate")}, {QStringLiteral("--help")}});
        QCOMPARE(runs[0].exitCode, 2);
        QCOMPARE(runs[1].exitCode, 2);
        QCOMPARE(runs[2].exitCode, 2);
        QVERIFY(runs[2].out.isEmpty());
        QCOMPARE(runs[3].exitCode, 0);
        QVERIFY(runs[3].out.contains(QStringLiteral("--json")));
    }
};

QTEST_GUILESS_MAIN(tst_CliInfo)
#include "tst_CliInfo.moc"
