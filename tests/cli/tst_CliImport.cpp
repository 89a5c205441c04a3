// Your own sounds from the command line, end to end: a folder of four classes of synthetic tones
// (sine, square, sawtooth, a decaying pluck; several pitches, some with silence before the note,
// one file of two notes, one stereo 44.1 kHz 24-bit file, one broken file) is imported, trained on
// from scratch and fine-tuned from a family/source model, and its classes come back from predict
// (text, JSON, CSV) and evaluate. Re-importing updates without duplicates; a folder that is not an
// import is never replaced; a CSV of labels works and a bad one is named.
#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cmath>

#include "audio/AudioFile.h"
#include "common/CliRun.h"
#include "common/ModelWeights.h"
#include "common/NsynthFixture.h"
#include "dataset/Dataset.h"
#include "ml/ModelFile.h"

namespace fx = nsynthfixture;
using ts::test::runTimbrescope;
using ts::test::weightsOf;

namespace {

const QStringList kClasses = {"pluck", "saw", "sine", "square"};

// One tone of a class: 1 s at `hz`, after `leadIn` seconds of silence, at `rate` Hz.
std::vector<float> tone(const QString& kind, double hz, double leadIn = 0.0, int rate = 16000, double seconds = 1.0)
{
    std::vector<float> x(std::size_t((leadIn + seconds + 0.3) * rate), 0.0f);
    const std::size_t first = std::size_t(leadIn * rate);
    for (std::size_t i = 0; i < std::size_t(seconds * rate); ++i) {
        const double t = double(i) / rate, phase = std::fmod(hz * t, 1.0);
        double v = 0.0;
        if (kind == "sine")
            v = std::sin(2 * M_PI * phase);
        else if (kind == "square")
            v = phase < 0.5 ? 0.7 : -0.7;
        else if (kind == "saw")
            v = 2.0 * phase - 1.0;
        else
            v = (2.0 * phase - 1.0) * std::exp(-6.0 * t);  // pluck: a sawtooth dying away
        x[first + i] = float(0.5 * v * std::min(1.0, t / 0.005));
    }
    return x;
}

// A stereo 24-bit PCM WAV written by hand (the project only writes 16-bit mono).
bool writeStereo24(const QString& path, const std::vector<float>& mono, int rate)
{
    QByteArray data;
    for (float v : mono)
        for (int channel = 0; channel < 2; ++channel) {
            const auto s = std::int32_t(std::lround(double(v) * 8388607.0));
            data.append(char(s & 0xff)).append(char((s >> 8) & 0xff)).append(char((s >> 16) & 0xff));
        }
    auto u32 = [](QByteArray& b, std::uint32_t v) { for (int i = 0; i < 4; ++i) b.append(char((v >> (8 * i)) & 0xff)); };
    auto u16 = [](QByteArray& b, std::uint16_t v) { b.append(char(v & 0xff)).append(char(v >> 8)); };
    QByteArray file("RIFF");
    u32(file, std::uint32_t(36 + data.size()));
    file.append("WAVEfmt ");
    u32(file, 16);
    u16(file, 1);
    u16(file, 2);
    u32(file, std::uint32_t(rate));
    u32(file, std::uint32_t(rate * 6));
    u16(file, 6);
    u16(file, 24);
    file.append("data");
    u32(file, std::uint32_t(data.size()));
    file.append(data);
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(file) == file.size();
}

QJsonDocument json(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8());
}

} // namespace

class tst_CliImport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_sounds, m_dataset;

    QString path(const QString& name) const { return m_dir.filePath(name); }
    QStringList trainArgs(const QString& data, const QString& out) const
    {
        return {"train", "--data", data, "--model", "timbre-net", "--split", "random", "--epochs", "8", "--patience", "8",
                "--batch", "8", "--recordings", "0", "--threads", "2", "--out", out};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sounds = path("sounds");
        m_dataset = path("mine");
        const double pitches[] = {110, 147, 196, 262, 330, 392, 523, 659};
        for (const QString& kind : kClasses) {
            QVERIFY(QDir().mkpath(m_sounds + "/" + kind));
            for (int k = 0; k < 8; ++k)
                QVERIFY(ts::audio::writeWav16((m_sounds + QString("/%1/%1_%2.wav").arg(kind).arg(k)).toStdString(),
                                              tone(kind, pitches[k], k % 3 == 0 ? 0.6 : 0.0), 16000).ok());
        }
        // Two notes in one file (cut at its onsets into two), a stereo 24-bit 44.1 kHz file, a
        // broken file, and a file directly in the folder (no class).
        auto twoNotes = tone("square", 220.0);
        const auto second = tone("square", 440.0);
        twoNotes.insert(twoNotes.end(), second.begin(), second.end());
        QVERIFY(ts::audio::writeWav16((m_sounds + "/square/phrase.wav").toStdString(), twoNotes, 16000).ok());
        QVERIFY(writeStereo24(m_sounds + "/saw/stereo24.wav", tone("saw", 175.0, 0.0, 44100), 44100));
        QFile broken(m_sounds + "/sine/broken.wav");
        QVERIFY(broken.open(QIODevice::WriteOnly) && broken.write("RIFF\x10\0\0\0WAVEjunk", 16) == 16);
        broken.close();
        QVERIFY(ts::audio::writeWav16((m_sounds + "/loose.wav").toStdString(), tone("sine", 300.0), 16000).ok());
    }

    void importsTheFolder()
    {
        const auto run = runTimbrescope({"import", "--from", m_sounds, "--out", m_dataset, "--json"});
        QCOMPARE(run.exitCode, 1);  // the broken file failed; the rest is imported
        QVERIFY2(run.err.contains("broken.wav"), qPrintable(run.err));
        QVERIFY2(run.err.contains("loose.wav: not in a class folder"), qPrintable(run.err));
        const auto j = json(run.out).object();
        QCOMPARE(j["files"].toInt(), 34);  // 32 tones + the phrase + the stereo file
        QCOMPARE(j["notes"].toInt(), 35);  // the phrase is two notes
        const auto classes = j["classes"].toObject();
        QCOMPARE(classes["pluck"].toInt(), 8);
        QCOMPARE(classes["saw"].toInt(), 9);
        QCOMPARE(classes["sine"].toInt(), 8);
        QCOMPARE(classes["square"].toInt(), 10);
        QCOMPARE(j["failed"].toArray().size(), 1);

        auto data = ts::dataset::Dataset::load(m_dataset.toStdString());
        QVERIFY2(data.ok(), data.ok() ? "" : data.error().describe().c_str());
        QCOMPARE(data->classNames(), (std::vector<std::string>{"pluck", "saw", "sine", "square"}));
        QCOMPARE(data->size(), std::size_t(35));
        for (const auto& note : data->notes()) {
            QCOMPARE(note.family, ts::dataset::kUnknownLabel);
            auto audio = ts::audio::loadAudio(note.wavPath);
            QVERIFY(audio.ok());
            QCOMPARE(audio->samples.size(), std::size_t(64000));  // 16 kHz mono, 4 s
            QCOMPARE(audio->source.sampleRate, 16000);
            QCOMPARE(audio->source.channels, 1);
        }
        // The notes after 0.6 s of silence start at their onset (15 ms margin), not at the file's start.
        for (const auto& note : data->notes())
            if (note.noteStr == "sine_sine_0-000") {
                auto audio = ts::audio::loadAudio(note.wavPath);
                float early = 0.0f;
                for (std::size_t i = 0; i < 800; ++i)
                    early = std::max(early, std::fabs(audio->samples[i]));
                QVERIFY2(early > 0.1f, "the note's sound should be in its first 50 ms");
            }
        const auto info = runTimbrescope({"info", m_dataset, "--json"});
        QCOMPARE(info.exitCode, 0);
        QCOMPARE(json(info.out).object()["classes"].toObject()["square"].toInt(), 10);
        QCOMPARE(json(info.out).object()["unknown_family"].toInt(), 35);
    }

    void trainsPredictsAndEvaluatesItsClasses()
    {
        const QString model = path("mine.tsm");
        auto run = runTimbrescope(trainArgs(m_dataset, model));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains("acc class"), qPrintable(run.err));

        // predict: the class, with the model's class names, in text, JSON and CSV.
        run = runTimbrescope({"predict", "--model", model, "--json", m_sounds + "/square/square_3.wav"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto answer = json(run.out).array().first().toObject()["class"].toObject();
        QVERIFY(answer.contains("label"));
        QCOMPARE(answer["scores"].toObject().keys(), kClasses);
        QVERIFY(!json(run.out).array().first().toObject().contains("family"));
        run = runTimbrescope({"predict", "--model", model, "--recursive", m_sounds, "--csv", "-"});
        QVERIFY(run.out.startsWith("file,family,family_confidence,family_uncertain,source,source_confidence,"
                                   "source_uncertain,class,class_confidence,class_uncertain,error\n"));
        // evaluate: the class report, on the dataset's test part.
        run = runTimbrescope({"evaluate", "--model", model, "--data", m_dataset, "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto report = json(run.out).object();
        QCOMPARE(report["part"].toString(), QString("test"));
        QVERIFY(!report.contains("family"));
        QStringList labels;
        for (const auto& l : report["class"].toObject()["labels"].toArray())
            labels << l.toString();
        QCOMPARE(labels, kClasses);

        // With timbre-net beside it, predict answers the class, the family and the source.
        const QString familyModel = path("family.tsm");
        const QString nsynth = path("nsynth");
        QVERIFY(fx::write(nsynth.toStdString(), fx::grid({0, 2, 4}, 2, {48, 55, 60, 67}, {25, 127})));
        QVERIFY(runTimbrescope(trainArgs(nsynth, familyModel)).exitCode == 0);
        run = runTimbrescope({"predict", "--model", model, "--model", familyModel, "--json", m_sounds + "/sine/sine_2.wav"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto both = json(run.out).array().first().toObject();
        QVERIFY(both.contains("class") && both.contains("family") && both.contains("source"));

        // Fine-tuned from the family/source model: new class head, the same body to start from.
        const QString tuned = path("tuned.tsm");
        auto args = trainArgs(m_dataset, tuned);
        args << "--init" << familyModel;
        run = runTimbrescope(args);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        run = runTimbrescope({"evaluate", "--model", tuned, "--data", m_dataset, "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // The same test part as the model from scratch (the split is the dataset's), every note of it
        // in the 4 x 4 class matrix.
        const auto tunedReport = json(run.out).object();
        QCOMPARE(tunedReport["n"].toInt(), report["n"].toInt());
        int counted = 0;
        for (const auto& line : tunedReport["class"].toObject()["confusion"].toArray()) {
            QCOMPARE(line.toArray().size(), 4);
            for (const auto& count : line.toArray())
                counted += count.toInt();
        }
        QCOMPARE(counted, tunedReport["n"].toInt());

        // --freeze-body: every body tensor is the family model's; the heads are one new class head
        // of 4 classes (256 x 4 weights), family_head and source_head gone.
        const QString frozen = path("frozen.tsm");
        args = trainArgs(m_dataset, frozen);
        args << "--init" << familyModel << "--freeze-body";
        run = runTimbrescope(args);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto base = weightsOf(familyModel), own = weightsOf(frozen);
        int body = 0;
        for (const auto& [name, tensor] : own.tensors) {
            if (name.find("class_head") != std::string::npos)
                continue;
            QVERIFY2(base.tensors.count(name) && base.tensors.at(name).bytes == tensor.bytes, name.c_str());
            ++body;
        }
        QCOMPARE(std::size_t(body) + 2, own.tensors.size());
        QCOMPARE(own.tensors.at("param.class_head.weight").shape, (std::vector<std::int64_t>{4, 256}));
        QVERIFY(!own.tensors.count("param.family_head.weight"));
        auto meta = ts::ml::loadModelFile(frozen.toStdString());
        QCOMPARE(meta->metadata.targets, (std::vector<std::string>{"class"}));
        QCOMPARE(meta->metadata.labels.at("class"), (std::vector<std::string>{"pluck", "saw", "sine", "square"}));

        // A model of own classes on a dataset without them is refused by name.
        run = runTimbrescope({"evaluate", "--model", model, "--data", nsynth});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("the model learnt its own classes and the dataset has none"), qPrintable(run.err));
    }

    void reimportUpdatesWithoutDuplicates()
    {
        QVERIFY(QFile::remove(m_sounds + "/pluck/pluck_7.wav"));
        QVERIFY(QFile::remove(m_sounds + "/sine/broken.wav"));
        const auto run = runTimbrescope({"import", "--from", m_sounds, "--out", m_dataset, "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(json(run.out).object()["notes"].toInt(), 34);
        auto data = ts::dataset::Dataset::load(m_dataset.toStdString());
        QVERIFY(data.ok());
        QCOMPARE(data->size(), std::size_t(34));
        QCOMPARE(QDir(m_dataset + "/audio").entryList(QDir::Files).size(), 34);
    }

    void wholeFilesAreOneNoteEach()
    {
        const auto run = runTimbrescope({"import", "--from", m_sounds + "/square", "--out", path("whole"), "--whole-files", "--json"});
        QVERIFY2(run.exitCode == 1, qPrintable(run.err));  // square/ holds no class folder: nothing to import
        QVERIFY2(run.err.contains("no sound files in class folders"), qPrintable(run.err));
        const auto all = runTimbrescope({"import", "--from", m_sounds, "--out", path("whole"), "--whole-files", "--json"});
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));
        QCOMPARE(json(all.out).object()["notes"].toInt(), 33);  // the phrase stays one note
    }

    void neverReplacesAFolderThatIsNotAnImport()
    {
        const QString other = path("other");
        QVERIFY(QDir().mkpath(other));
        QFile keep(other + "/keep.txt");
        QVERIFY(keep.open(QIODevice::WriteOnly) && keep.write("mine") == 4);
        keep.close();
        const auto run = runTimbrescope({"import", "--from", m_sounds, "--out", other});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("is not an imported dataset"), qPrintable(run.err));
        QVERIFY(QFile::exists(other + "/keep.txt"));
    }

    void labelsFromACsv()
    {
        const QString csv = path("labels.csv");
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("file,class,family\n"
                "sine/sine_0.wav,soft,flute\n"
                "sine/sine_1.wav,soft,flute\n"
                "\"square/square_0.wav\",buzzy,synth_lead\n"
                "square/square_1.wav,buzzy,\n"
                "nowhere.wav,soft,flute\n");
        f.close();
        const QString out = path("from-csv");
        auto run = runTimbrescope({"import", "--from", m_sounds, "--out", out, "--labels", "csv", csv, "--source", "synthetic"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains("nowhere.wav: no such file (line 6)"), qPrintable(run.err));
        auto data = ts::dataset::Dataset::load(out.toStdString());
        QVERIFY(data.ok());
        QCOMPARE(data->classNames(), (std::vector<std::string>{"buzzy", "soft"}));
        int flutes = 0, unknownFamily = 0;
        for (const auto& n : data->notes()) {
            flutes += n.family == 2;
            unknownFamily += n.family == ts::dataset::kUnknownLabel;
            QCOMPARE(n.source, 2);
        }
        QCOMPARE(flutes, 2);
        QCOMPARE(unknownFamily, 1);

        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("file,class,family\nsine/sine_0.wav,soft,kazoo\n");
        f.close();
        run = runTimbrescope({"import", "--from", m_sounds, "--out", out, "--labels", "csv", csv});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("labels.csv: line 2: \"kazoo\" is not an NSynth family"), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(tst_CliImport)
#include "tst_CliImport.moc"
