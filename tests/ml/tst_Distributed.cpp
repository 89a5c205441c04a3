// Who takes part in a distributed training run: the command line, torchrun's variables and Slurm's,
// in that order of precedence, and a clear message for every value that makes no sense.
#include <QtTest>

#include <map>
#include <string>

#include "ml/Distributed.h"

using ts::ml::DistributedArgs;
using ts::ml::DistributedSpec;
using ts::ml::resolveDistributed;

namespace {

using Environment = std::map<std::string, std::string>;

ts::Result<DistributedSpec> resolve(const DistributedArgs& args, const Environment& environment = {})
{
    return resolveDistributed(args, [&](const char* name) -> const char* {
        const auto it = environment.find(name);
        return it == environment.end() ? nullptr : it->second.c_str();
    });
}

QString messageOf(const ts::Result<DistributedSpec>& r) { return r.ok() ? QString() : QString::fromStdString(r.error().message); }

} // namespace

class tst_Distributed : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nothingSetIsOneProcess()
    {
        const auto spec = resolve({}, {{"PATH", "/usr/bin"}});
        QVERIFY(spec.ok());
        QVERIFY(!spec->enabled());
        QCOMPARE(spec->worldSize, 1);
        QCOMPARE(spec->rank, 0);
        QVERIFY(spec->writesOutputs());
    }

    void commandLine()
    {
        DistributedArgs args;
        args.worldSize = 4;
        args.rank = 3;
        args.master = "node01:12345";
        args.timeoutSeconds = 30;
        const auto spec = resolve(args, {{"WORLD_SIZE", "8"}, {"RANK", "1"}, {"MASTER_ADDR", "other"}, {"MASTER_PORT", "1"}});
        QVERIFY2(spec.ok(), qPrintable(messageOf(spec)));
        QCOMPARE(spec->worldSize, 4);
        QCOMPARE(spec->rank, 3);
        QCOMPARE(spec->host, std::string("node01"));
        QCOMPARE(spec->port, 12345);
        QCOMPARE(spec->timeoutSeconds, 30);
        QVERIFY(spec->enabled());
        QVERIFY(!spec->writesOutputs());
        args.master = "[::1]:29501";
        QCOMPARE(resolve(args)->host, std::string("::1"));
    }

    void torchrunVariables()
    {
        const auto spec = resolve({}, {{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"LOCAL_RANK", "0"}, {"MASTER_ADDR", "10.0.0.5"},
                                       {"MASTER_PORT", "29400"}, {"SLURM_NTASKS", "16"}, {"SLURM_PROCID", "9"}});
        QVERIFY2(spec.ok(), qPrintable(messageOf(spec)));
        QCOMPARE(spec->worldSize, 2);
        QCOMPARE(spec->rank, 0);
        QCOMPARE(spec->host, std::string("10.0.0.5"));
        QCOMPARE(spec->port, 29400);
        QCOMPARE(spec->timeoutSeconds, 120);
    }

    void slurmVariables()
    {
        const auto spec = resolve({}, {{"SLURM_NTASKS", "3"}, {"SLURM_PROCID", "2"}, {"MASTER_ADDR", "c7"}});
        QVERIFY2(spec.ok(), qPrintable(messageOf(spec)));
        QCOMPARE(spec->worldSize, 3);
        QCOMPARE(spec->rank, 2);
        QCOMPARE(spec->host, std::string("c7"));
        QCOMPARE(spec->port, 29500);  // torchrun's default
    }

    void nonsenseIsRefusedWithTheReason_data()
    {
        QTest::addColumn<long long>("world");
        QTest::addColumn<long long>("rank");
        QTest::addColumn<QString>("master");
        QTest::addColumn<QString>("expected");
        QTest::newRow("rank beyond the world") << 2LL << 2LL << "h:1" << "--rank must be from 0 to 1 (--world-size 2), got 2";
        QTest::newRow("negative rank") << 2LL << -1LL << "h:1" << "--rank must be from 0 to 1 (--world-size 2), got -1";
        QTest::newRow("no world") << 0LL << 0LL << "h:1" << "--world-size must be at least 1, got 0";
        QTest::newRow("port out of range") << 2LL << 0LL << "h:70000" << "--master: the port must be from 1 to 65535, got 70000";
        QTest::newRow("no port") << 2LL << 0LL << "host" << "--master must be HOST:PORT, got 'host'";
        QTest::newRow("port not a number") << 2LL << 0LL << "host:http" << "--master must be HOST:PORT, got 'host:http'";
        QTest::newRow("no address") << 2LL << 1LL << ""
                                    << "a run of 2 processes needs rank 0's address: --master HOST:PORT or MASTER_ADDR";
    }

    void nonsenseIsRefusedWithTheReason()
    {
        QFETCH(long long, world);
        QFETCH(long long, rank);
        QFETCH(QString, master);
        QFETCH(QString, expected);
        DistributedArgs args;
        args.worldSize = world;
        args.rank = rank;
        if (!master.isEmpty())
            args.master = master.toStdString();
        const auto spec = resolve(args);
        QVERIFY(!spec.ok());
        QCOMPARE(int(spec.error().code), int(ts::ErrorCode::InvalidArgument));
        QCOMPARE(messageOf(spec), expected);
    }

    void badVariablesNameThemselves()
    {
        QCOMPARE(messageOf(resolve({}, {{"WORLD_SIZE", "two"}, {"RANK", "0"}})), QStringLiteral("WORLD_SIZE must be a whole number, got 'two'"));
        QCOMPARE(messageOf(resolve({}, {{"WORLD_SIZE", "2"}, {"RANK", "5"}, {"MASTER_ADDR", "h"}})),
                 QStringLiteral("RANK must be from 0 to 1 (WORLD_SIZE 2), got 5"));
        QCOMPARE(messageOf(resolve({}, {{"WORLD_SIZE", "2"}})),
                 QStringLiteral("a run of 2 processes needs --rank (or RANK) for this one"));
        QCOMPARE(messageOf(resolve({}, {{"WORLD_SIZE", "2"}, {"RANK", "1"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "0"}})),
                 QStringLiteral("MASTER_PORT: the port must be from 1 to 65535, got 0"));
        DistributedArgs args;
        args.timeoutSeconds = 0;
        args.worldSize = 1;
        QCOMPARE(messageOf(resolve(args)), QStringLiteral("--timeout must be from 1 to 86400 seconds, got 0"));
    }
};

QTEST_GUILESS_MAIN(tst_Distributed)
#include "tst_Distributed.moc"
