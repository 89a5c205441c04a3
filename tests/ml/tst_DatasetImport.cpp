// Importing a folder of own sounds (ml/DatasetImport.h) below the CLI: a cancelled import changes
// nothing on disk; the plan names what it skips; the notes are cut where predict cuts them; the
// import sidecar tells the training form the classes; CSV fields may be quoted.
#include <QtTest>

#include <QTemporaryDir>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "audio/AudioFile.h"
#include "dsp/OnsetDetector.h"
#include "ml/DatasetImport.h"
#include "ml/Predictor.h"

namespace fs = std::filesystem;

namespace {

// Two 0.8 s tones 1.5 s apart, the second after silence.
std::vector<float> twoTones()
{
    std::vector<float> x(std::size_t(3.5 * 16000), 0.0f);
    for (double start : {0.2, 1.7})
        for (std::size_t i = 0; i < 12800; ++i)
            x[std::size_t(start * 16000) + i] = float(0.4 * std::sin(2 * M_PI * 330.0 * double(i) / 16000.0));
    return x;
}

} // namespace

class tst_DatasetImport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_from;

    // Options importing the class folders into `out` (below the test's folder), and their plan.
    std::pair<ts::ml::ImportOptions, ts::ml::ImportPlan> planInto(const QString& out) const
    {
        ts::ml::ImportOptions options;
        options.from = m_from;
        options.out = m_dir.filePath(out).toStdString();
        auto plan = ts::ml::planImport(options);
        if (!plan)
            qFatal("%s", plan.error().describe().c_str());
        return {options, plan.value()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_from = m_dir.filePath(QStringLiteral("sounds")).toStdString();
        fs::create_directories(m_from + "/a");
        fs::create_directories(m_from + "/b");
        QVERIFY(ts::audio::writeWav16(m_from + "/a/two.wav", twoTones(), 16000).ok());
        QVERIFY(ts::audio::writeWav16(m_from + "/b/two.wav", twoTones(), 16000).ok());
        QVERIFY(ts::audio::writeWav16(m_from + "/alone.wav", twoTones(), 16000).ok());
    }

    void aCancelledImportChangesNothing()
    {
        const auto [options, plan] = planInto(QStringLiteral("cancelled"));
        QCOMPARE(plan.files.size(), std::size_t(2));
        QCOMPARE(plan.skipped.size(), std::size_t(1));
        QVERIFY(plan.skipped.front().find("alone.wav: not in a class folder") != std::string::npos);
        ts::CancellationToken cancel;
        cancel.cancel();
        auto run = ts::ml::runImport(plan, options, {}, cancel);
        QVERIFY(!run.ok());
        QCOMPARE(int(run.error().code), int(ts::ErrorCode::Cancelled));
        QVERIFY(!fs::exists(options.out));
        for (const auto& entry : fs::directory_iterator(m_dir.path().toStdString()))
            QVERIFY2(entry.path().filename().string().find("rendering") == std::string::npos, "a temporary folder was left");
    }

    void notesAreCutWherePredictCutsThem()
    {
        const auto [options, plan] = planInto(QStringLiteral("cut"));
        auto run = ts::ml::runImport(plan, options);
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().describe().c_str());
        const auto spans = ts::ml::findNoteSpans(ts::dsp::OnsetDetector(), twoTones());
        QCOMPARE(spans.size(), std::size_t(2));
        QCOMPARE(run->notes, std::size_t(4));
        // The second note of a/two.wav is the signal from its span's start, zero-padded to 4 s.
        auto second = ts::audio::loadAudio(options.out + "/audio/a_two-001.wav");
        QVERIFY(second.ok());
        QCOMPARE(second->samples.size(), std::size_t(64000));
        const auto x = twoTones();
        const std::size_t length = spans[1].end - spans[1].start;
        for (std::size_t i = 0; i < length; i += 997)
            QVERIFY(std::fabs(second->samples[i] - x[spans[1].start + i]) < 1.0f / 16384);
        for (std::size_t i = length; i < 64000; i += 997)
            QCOMPARE(second->samples[i], 0.0f);
        QCOMPARE(ts::ml::importedClasses(options.out), (std::vector<std::string>{"a", "b"}));
        QVERIFY(ts::ml::importedClasses(m_from).empty());  // not an import
    }

    void quotedCsvFields()
    {
        const std::string csv = m_dir.filePath(QStringLiteral("labels.csv")).toStdString();
        std::ofstream(csv) << "file,source,class\n\"a/two.wav\",electronic,\"soft, round\"\nb/two.wav,,\"say \"\"hi\"\"\"\n";
        ts::ml::ImportOptions options;
        options.from = m_from;
        options.csvPath = csv;
        auto plan = ts::ml::planImport(options);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.error().describe().c_str());
        QCOMPARE(plan->files.size(), std::size_t(2));
        QCOMPARE(plan->files[0].ownClass, std::string("soft, round"));
        QCOMPARE(plan->files[0].source, 1);
        QCOMPARE(plan->files[1].ownClass, std::string("say \"hi\""));
        QCOMPARE(plan->files[1].source, -1);
    }
};

QTEST_GUILESS_MAIN(tst_DatasetImport)
#include "tst_DatasetImport.moc"
