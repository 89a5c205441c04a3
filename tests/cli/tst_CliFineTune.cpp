// Fine-tuning from the command line: `train --init MODEL` starts from a trained model's weights, and
// with --freeze-body only the heads learn: every body tensor of the result (weights and batch-norm
// statistics) is byte-identical to the starting model's, while the heads have moved. Misuse is named:
// --freeze-body without --init, a model of another architecture, a missing file.
#include <QtTest>

#include <QTemporaryDir>

#include "common/CliRun.h"
#include "common/ModelWeights.h"
#include "common/NsynthFixture.h"
#include "ml/ModelFile.h"

namespace fx = nsynthfixture;
using ts::test::runTimbrescope;
using ts::test::weightsOf;

namespace {

bool isHeadTensor(const std::string& name)
{
    return name.find("family_head") != std::string::npos || name.find("source_head") != std::string::npos;
}

} // namespace

class tst_CliFineTune : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_data, m_base;

    QStringList trainArgs(const QString& out) const
    {
        return {"train", "--data", m_data, "--model", "timbre-net", "--split", "random", "--epochs", "2",
                "--batch", "8", "--recordings", "0", "--threads", "2", "--out", out};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath(QStringLiteral("data"));
        QVERIFY(fx::write(m_data.toStdString(), fx::grid({0, 2, 4}, 2, {48, 55, 60, 67}, {25, 127})));
        m_base = m_dir.filePath(QStringLiteral("base.tsm"));
        const auto run = runTimbrescope(trainArgs(m_base));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }

    void aFrozenBodyKeepsEveryBodyTensor()
    {
        const QString tuned = m_dir.filePath(QStringLiteral("tuned.tsm"));
        auto args = trainArgs(tuned);
        args << "--init" << m_base << "--freeze-body" << "--seed" << "7";
        const auto run = runTimbrescope(args);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto before = weightsOf(m_base);
        const auto after = weightsOf(tuned);
        QCOMPARE(after.tensors.size(), before.tensors.size());
        int body = 0, heads = 0, headsMoved = 0;
        for (const auto& [name, tensor] : after.tensors) {
            const auto& old = before.tensors.at(name);
            if (isHeadTensor(name)) {
                ++heads;
                headsMoved += tensor.bytes != old.bytes ? 1 : 0;
            } else {
                ++body;
                QVERIFY2(tensor.bytes == old.bytes, name.c_str());
            }
        }
        QCOMPARE(heads, 4);  // family_head and source_head, weight and bias each
        QCOMPARE(headsMoved, 4);
        QVERIFY(body > 10);  // convolutions, their batch norms and running statistics
        // The heads alone train at ten times the usual rate unless --lr says otherwise.
        QCOMPARE(ts::ml::loadModelFile(tuned.toStdString())->metadata.learningRate, 1e-2);
        QCOMPARE(ts::ml::loadModelFile(m_base.toStdString())->metadata.learningRate, 1e-3);
    }

    void aFullFineTuneStartsFromTheModel()
    {
        // Same seed, same data: from the base model's weights the first epoch already differs from a
        // run from random weights, and the body moves too when it is not frozen.
        const QString tuned = m_dir.filePath(QStringLiteral("full.tsm"));
        const QString scratch = m_dir.filePath(QStringLiteral("scratch.tsm"));
        auto args = trainArgs(tuned);
        args << "--init" << m_base << "--seed" << "7";
        QCOMPARE(runTimbrescope(args).exitCode, 0);
        auto scratchArgs = trainArgs(scratch);
        scratchArgs << "--seed" << "7";
        QCOMPARE(runTimbrescope(scratchArgs).exitCode, 0);
        const auto base = weightsOf(m_base), full = weightsOf(tuned), fresh = weightsOf(scratch);
        QVERIFY(full.tensors.at("param.conv1.weight").bytes != base.tensors.at("param.conv1.weight").bytes);
        QVERIFY(full.tensors.at("param.conv1.weight").bytes != fresh.tensors.at("param.conv1.weight").bytes);
    }

    void misuseIsNamed()
    {
        auto noInit = trainArgs(m_dir.filePath(QStringLiteral("x.tsm")));
        noInit << "--freeze-body";
        const auto a = runTimbrescope(noInit);
        QCOMPARE(a.exitCode, 2);
        QVERIFY2(a.err.contains(QLatin1String("--freeze-body needs --init")), qPrintable(a.err));

        auto missing = trainArgs(m_dir.filePath(QStringLiteral("y.tsm")));
        missing << "--init" << m_dir.filePath(QStringLiteral("nowhere.tsm"));
        const auto b = runTimbrescope(missing);
        QCOMPARE(b.exitCode, 1);
        QVERIFY2(b.err.contains(QLatin1String("nowhere.tsm")), qPrintable(b.err));

        const QString seedModel = QString::fromLocal8Bit(qgetenv("TIMBRESCOPE_SOURCE_DIR")) + QStringLiteral("/models/seed-cnn2d.tsm");
        if (QFileInfo::exists(seedModel)) {
            auto other = trainArgs(m_dir.filePath(QStringLiteral("z.tsm")));
            other << "--init" << seedModel;
            const auto c = runTimbrescope(other);
            QCOMPARE(c.exitCode, 1);
            QVERIFY2(c.err.contains(QLatin1String("seed-cnn2d, not a timbre-net")), qPrintable(c.err));
        }
    }
};

QTEST_GUILESS_MAIN(tst_CliFineTune)
#include "tst_CliFineTune.moc"
