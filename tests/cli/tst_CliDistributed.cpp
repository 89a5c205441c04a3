// `timbrescope train` on several processes (c10d, Gloo) on this machine: two ranks train one model
// that rank 0 alone writes (with the run's world size in its metrics) while rank 1 writes nothing,
// and both continue from rank 0's checkpoint with --resume;
// two ranks of a model without batch norm or dropout end with the weights of one process with the
// doubled batch (the gradients really are averaged over the same notes); a rank killed mid-run makes
// the other stop with exit 1 saying it lost contact; a rank left alone gives up after --timeout
// naming where it waited; nonsense ranks are usage errors.
#include <QtTest>

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/CliRun.h"
#include "common/NsynthFixture.h"
#include "dataset/Dataset.h"
#include "dataset/Split.h"
#include "ml/ModelFile.h"
#include "ml/Safetensors.h"

namespace fx = nsynthfixture;

namespace {

// A TCP port nobody listens on right now (the kernel's pick for a socket bound to port 0).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
        qFatal("no free port");
    ::close(fd);
    return ntohs(address.sin_port);
}

// The largest difference between two models' float weights, or a negative number when their tensors
// differ in name, type or shape.
double largestWeightDifference(const ts::ml::ModelFile& a, const ts::ml::ModelFile& b)
{
    const auto x = ts::ml::decodeSafetensors(a.weights, "a");
    const auto y = ts::ml::decodeSafetensors(b.weights, "b");
    if (!x || !y || x->tensors.size() != y->tensors.size())
        return -1.0;
    double largest = 0.0;
    for (const auto& [name, t] : x->tensors) {
        const auto other = y->tensors.find(name);
        if (other == y->tensors.end() || other->second.shape != t.shape || t.type != ts::ml::TensorType::F32
            || other->second.type != t.type)
            return -1.0;
        const auto* p = reinterpret_cast<const float*>(t.bytes.data());
        const auto* q = reinterpret_cast<const float*>(other->second.bytes.data());
        for (std::int64_t i = 0; i < t.elementCount(); ++i)
            largest = std::max(largest, double(std::fabs(p[i] - q[i])));
    }
    return largest;
}

} // namespace

class tst_CliDistributed : public QObject {
    Q_OBJECT

    QProcessEnvironment m_env;
    QTemporaryDir m_dir;
    QString m_data;

    QStringList trainArgs(int rank, int port, const QString& out, int epochs) const
    {
        return {"train", "--data", m_data, "--model", "timbre-net", "--split", "random", "--epochs", QString::number(epochs),
                "--patience", QString::number(epochs), "--batch", "4", "--recordings", "0", "--threads", "1",
                "--world-size", "2", "--rank", QString::number(rank), "--master", QStringLiteral("127.0.0.1:%1").arg(port),
                "--timeout", "30", "--out", out};
    }
    void startRank(QProcess& process, const QStringList& args) const
    {
        process.setProcessEnvironment(m_env);
        process.start(qEnvironmentVariable("TIMBRESCOPE_BIN"), args);
        QVERIFY(process.waitForStarted());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath(QStringLiteral("tiny"));
        QVERIFY(fx::write(m_data.toStdString(), fx::grid({0, 3, 4}, 3, {48, 60}, {25, 127})));
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("cache")));
        for (const char* name : {"WORLD_SIZE", "RANK", "MASTER_ADDR", "MASTER_PORT", "SLURM_NTASKS", "SLURM_PROCID"})
            m_env.remove(QString::fromLatin1(name));
    }

    void twoRanksTrainOneModelThatRankZeroWrites()
    {
        const int port = freePort();
        const QString model = m_dir.filePath(QStringLiteral("net.tsm"));
        const QString other = m_dir.filePath(QStringLiteral("rank1.tsm"));
        QProcess rank1;
        startRank(rank1, trainArgs(1, port, other, 3));
        const auto rank0 = ts::test::runTimbrescope(trainArgs(0, port, model, 3), m_env, 180000);
        QVERIFY(rank1.waitForFinished(60000));
        const QString err1 = QString::fromUtf8(rank1.readAllStandardError());
        QVERIFY2(rank0.exitCode == 0, qPrintable(rank0.err));
        QVERIFY2(rank1.exitStatus() == QProcess::NormalExit && rank1.exitCode() == 0, qPrintable(err1));
        QVERIFY2(err1.contains(QStringLiteral("train: rank 1 of 2 done after 3 epochs; rank 0 writes the model")), qPrintable(err1));
        QVERIFY(!err1.contains(QStringLiteral("epoch 1/3")));  // rank 0 speaks for the run
        QVERIFY2(rank0.err.contains(QStringLiteral("epoch 3/3")), qPrintable(rank0.err));
        QVERIFY(!QFile::exists(other));
        QVERIFY(!QFile::exists(other + ".checkpoint"));
        QVERIFY(QFile::exists(model + ".checkpoint"));
        const auto loaded = ts::ml::loadModelFile(model.toStdString());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().describe().c_str());
        QCOMPARE(loaded->metadata.epochs, 3);
        QCOMPARE(loaded->metadata.finalMetrics.at("world_size"), 2.0);
        QVERIFY(loaded->metadata.finalMetrics.count("test_family_accuracy") == 1);
        for (const auto& epoch : loaded->metadata.history)
            QVERIFY(epoch.samplesPerSecond > 0.0);

        // Both ranks continue from rank 0's checkpoint: the fourth epoch follows the first three.
        const int again = freePort();
        QStringList resume0 = trainArgs(0, again, model, 4), resume1 = trainArgs(1, again, other, 4);
        for (QStringList* args : {&resume0, &resume1})
            *args << QStringLiteral("--resume") << model + ".checkpoint";
        QProcess resumed1;
        startRank(resumed1, resume1);
        const auto resumed0 = ts::test::runTimbrescope(resume0, m_env, 180000);
        QVERIFY(resumed1.waitForFinished(60000));
        QVERIFY2(resumed0.exitCode == 0, qPrintable(resumed0.err));
        QCOMPARE(resumed1.exitCode(), 0);
        QVERIFY2(resumed0.err.contains(QStringLiteral("epoch 4/4")) && !resumed0.err.contains(QStringLiteral("epoch 1/4")),
                 qPrintable(resumed0.err));
        const auto continued = ts::ml::loadModelFile(model.toStdString());
        QVERIFY(continued.ok());
        QCOMPARE(continued->metadata.epochs, 4);
        for (std::size_t e = 0; e < 3; ++e)
            QCOMPARE(continued->metadata.history[e].loss, loaded->metadata.history[e].loss);
    }

    void twoRanksLearnWhatOneProcessWithTheDoubledBatchLearns()
    {
        // seed-logreg-raw: one dense layer, no batch norm, no dropout, no augmentation. A dataset
        // whose training part is a multiple of 4 notes: rank r's step k then covers the same notes
        // as the single process's step k (no padding), so the averaged gradients are the same.
        QString data;
        const std::vector<std::vector<int>> familySets{{0, 3, 4}, {0, 3, 4, 5}, {0, 3, 4, 5, 6}};
        for (int size = 0; size < 18 && data.isEmpty(); ++size) {
            const auto& families = familySets[std::size_t(size % 3)];
            const int pitches = 3 + size / 3;
            std::vector<int> grid;
            for (int p = 0; p < pitches; ++p)
                grid.push_back(48 + 3 * p);
            const QString folder = m_dir.filePath(QStringLiteral("raw%1").arg(size));
            QVERIFY(fx::write(folder.toStdString(), fx::grid(families, 1, grid, {25, 127})));
            auto dataset = ts::dataset::Dataset::load(folder.toStdString());
            QVERIFY(dataset.ok());
            ts::dataset::SplitOptions options;
            options.policy = ts::dataset::SplitPolicy::Random;
            auto split = ts::dataset::makeSplit(*dataset, options);
            QVERIFY(split.ok());
            if (split->train.size() % 4 == 0)
                data = folder;
        }
        QVERIFY2(!data.isEmpty(), "no fixture size gives a training part of a multiple of 4 notes");
        auto args = [&](const QString& out, int batch) {
            return QStringList{"train", "--data", data, "--model", "seed-logreg-raw", "--split", "random", "--epochs", "3",
                               "--patience", "3", "--batch", QString::number(batch), "--threads", "1", "--out", out};
        };
        const QString single = m_dir.filePath(QStringLiteral("single.tsm"));
        const auto one = ts::test::runTimbrescope(args(single, 4), m_env, 180000);
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        const int port = freePort();
        const QString shared = m_dir.filePath(QStringLiteral("shared.tsm"));
        const QString master = QStringLiteral("127.0.0.1:%1").arg(port);
        QProcess rank1;
        startRank(rank1, args(m_dir.filePath(QStringLiteral("unused.tsm")), 2) + QStringList{"--world-size", "2", "--rank", "1", "--master", master});
        const auto rank0 = ts::test::runTimbrescope(args(shared, 2) + QStringList{"--world-size", "2", "--rank", "0", "--master", master},
                                                    m_env, 180000);
        QVERIFY(rank1.waitForFinished(60000));
        QVERIFY2(rank0.exitCode == 0, qPrintable(rank0.err));
        QCOMPARE(rank1.exitCode(), 0);
        const auto a = ts::ml::loadModelFile(single.toStdString());
        const auto b = ts::ml::loadModelFile(shared.toStdString());
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->metadata.epochs, b->metadata.epochs);
        const double difference = largestWeightDifference(*a, *b);
        QVERIFY2(difference >= 0.0 && difference <= 1e-5, qPrintable(QString::number(difference)));
        // And they did learn: the weights are not the initial ones both started from.
        QVERIFY(a->metadata.history.front().loss != a->metadata.history.back().loss);
        for (std::size_t e = 0; e < a->metadata.history.size(); ++e)
            QVERIFY(std::fabs(a->metadata.history[e].validationLoss - b->metadata.history[e].validationLoss) < 1e-5);
    }

    void aRankThatDiesStopsTheOther()
    {
        const int port = freePort();
        QProcess rank0, rank1;
        startRank(rank0, trainArgs(0, port, m_dir.filePath(QStringLiteral("dies.tsm")), 1000));
        startRank(rank1, trainArgs(1, port, m_dir.filePath(QStringLiteral("dies1.tsm")), 1000));
        // Once they train together (rank 0 has finished an epoch), rank 1 is killed.
        QByteArray err0;
        QTRY_VERIFY_WITH_TIMEOUT((err0 += rank0.readAllStandardError()).contains("epoch 2/1000"), 60000);
        ::kill(pid_t(rank1.processId()), SIGKILL);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(rank0.waitForFinished(30000));
        err0 += rank0.readAllStandardError();
        QCOMPARE(rank0.exitStatus(), QProcess::NormalExit);
        QCOMPARE(rank0.exitCode(), 1);
        QVERIFY2(err0.contains("timbrescope: rank 0 of 2: lost contact with the other ranks, stopping ("), err0.constData());
        rank1.waitForFinished(5000);
    }

    void aRankAloneGivesUpAfterTheTimeout()
    {
        const int port = freePort();
        QStringList args = trainArgs(0, port, m_dir.filePath(QStringLiteral("alone.tsm")), 2);
        args[args.indexOf(QStringLiteral("--timeout")) + 1] = QStringLiteral("2");
        QElapsedTimer timer;
        timer.start();
        const auto r = ts::test::runTimbrescope(args, m_env, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(timer.elapsed() < 30000);
        QVERIFY2(r.err.contains(QStringLiteral("rank 0 of 2: could not meet the other ranks at 127.0.0.1:%1 within 2 s").arg(port)),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("alone.tsm"))));
    }

    void nonsenseRanksAreUsageErrors()
    {
        QStringList args = trainArgs(2, 29500, m_dir.filePath(QStringLiteral("x.tsm")), 1);
        auto r = ts::test::runTimbrescope(args, m_env);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--rank must be from 0 to 1 (--world-size 2), got 2")), qPrintable(r.err));
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("WORLD_SIZE"), QStringLiteral("2"));
        env.insert(QStringLiteral("RANK"), QStringLiteral("0"));
        r = ts::test::runTimbrescope({"train", "--data", m_data, "--model", "timbre-net", "--out", m_dir.filePath(QStringLiteral("y.tsm"))}, env);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("needs rank 0's address: --master HOST:PORT or MASTER_ADDR")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(tst_CliDistributed)
#include "tst_CliDistributed.moc"
