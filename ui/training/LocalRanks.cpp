#include "ui/training/LocalRanks.h"

#include <QFile>
#include <QProcess>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ts::ui {

namespace {

QString number(double value) { return QString::number(value, 'g', 17); }

// The last non-empty line of a rank's output file.
QString lastLine(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (auto it = lines.rbegin(); it != lines.rend(); ++it)
        if (!it->trimmed().isEmpty())
            return QString::fromUtf8(it->trimmed());
    return {};
}

} // namespace

int LocalRanks::freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

QStringList LocalRanks::arguments(const ml::TrainingJobSpec& job, int rank)
{
    const ml::TrainingOptions& o = job.options;
    QStringList args{QStringLiteral("train"),
                     QStringLiteral("--data"), QString::fromStdString(job.dataFolder),
                     QStringLiteral("--model"), QString::fromStdString(o.architecture),
                     QStringLiteral("--split"), QString::fromStdString(job.split),
                     QStringLiteral("--seed"), QString::number(o.seed),
                     QStringLiteral("--epochs"), QString::number(o.epochs),
                     QStringLiteral("--batch"), QString::number(o.batchSize),
                     QStringLiteral("--lr"), number(o.learningRate),
                     QStringLiteral("--patience"), QString::number(o.patience),
                     QStringLiteral("--device"), QString::fromStdString(o.device),
                     QStringLiteral("--threads"), QString::number(o.threads),
                     QStringLiteral("--world-size"), QString::number(o.distributed.worldSize),
                     QStringLiteral("--rank"), QString::number(rank),
                     QStringLiteral("--master"), QStringLiteral("%1:%2").arg(QString::fromStdString(o.distributed.host)).arg(o.distributed.port),
                     QStringLiteral("--timeout"), QString::number(o.distributed.timeoutSeconds),
                     QStringLiteral("--out"), QString::fromStdString(job.modelPath)};
    if (job.recordings)
        args << QStringLiteral("--recordings") << QString::number(*job.recordings);
    if (o.mixStyle > 0.0)
        args << QStringLiteral("--mix-style") << number(o.mixStyle);
    if (!o.schedule.empty())
        args << QStringLiteral("--schedule") << QString::fromStdString(o.schedule);
    if (!o.resumePath.empty())
        args << QStringLiteral("--resume") << QString::fromStdString(o.resumePath);
    if (!o.initPath.empty())
        args << QStringLiteral("--init") << QString::fromStdString(o.initPath);
    if (o.freezeBody)
        args << QStringLiteral("--freeze-body");
    return args;
}

LocalRanks::LocalRanks() = default;

LocalRanks::~LocalRanks() { finish(true); }

Status LocalRanks::start(const QString& program, const ml::TrainingJobSpec& job)
{
    for (int rank = 1; rank < job.options.distributed.worldSize; ++rank) {
        auto process = std::make_unique<QProcess>();
        process->setStandardOutputFile(QProcess::nullDevice());
        process->setStandardErrorFile(m_logs.filePath(QStringLiteral("rank-%1.log").arg(rank)));
        process->start(program, arguments(job, rank));
        if (!process->waitForStarted(10000)) {
            const std::string why = process->errorString().toStdString();
            finish(true);
            return makeError(ErrorCode::Unreadable, "cannot start rank " + std::to_string(rank) + " (" + why + ")",
                             program.toStdString());
        }
        m_ranks.push_back(std::move(process));
    }
    return {};
}

QStringList LocalRanks::finish(bool stopNow)
{
    QStringList ends;
    for (std::size_t i = 0; i < m_ranks.size(); ++i) {
        QProcess& process = *m_ranks[i];
        if (stopNow)
            process.kill();
        if (!process.waitForFinished(stopNow ? 5000 : 60000)) {
            process.kill();
            process.waitForFinished(5000);
        }
        const int rank = int(i) + 1;
        const QString last = lastLine(m_logs.filePath(QStringLiteral("rank-%1.log").arg(rank)));
        const QString how = process.exitStatus() == QProcess::NormalExit ? QStringLiteral("exit %1").arg(process.exitCode())
                                                                          : QStringLiteral("stopped");
        ends << QStringLiteral("rank %1: %2%3").arg(rank).arg(how, last.isEmpty() ? QString() : QStringLiteral(" · ") + last);
    }
    m_ranks.clear();
    return ends;
}

} // namespace ts::ui
